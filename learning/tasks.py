"""Learning's background work: badge criteria after each event, and badge expiry."""

from celery import shared_task
from django.db import OperationalError

from journey.models import SME

from .services import awards_expire, badges_evaluate


# A busy database (SQLite's lock on a laptop) is worth a few retries; anything else is a bug to see.
@shared_task(autoretry_for=(OperationalError,), retry_backoff=2, max_retries=3)
def badges_evaluate_task(sme_id: int) -> list[int]:
    """Award the badges whose criteria an SME now meets (after a course, a quiz, an award, a milestone)."""
    sme = SME.objects.filter(pk=sme_id).first()
    return [award.pk for award in badges_evaluate(sme=sme)] if sme else []


@shared_task(autoretry_for=(OperationalError,), retry_backoff=2, max_retries=3)
def awards_expire_task() -> int:
    """Withdraw the tools expired badges had opened (daily, with celery beat)."""
    return awards_expire()
