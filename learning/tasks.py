"""Learning's background work: badge criteria after each event, badge expiry, and the holders' e-mails."""

from celery import shared_task
from django.db import OperationalError

from journey.models import SME

from .services import award_earned_email_send, awards_expire, awards_expiry_warn, badges_evaluate


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


@shared_task(autoretry_for=(OperationalError,), retry_backoff=2, max_retries=3)
def award_earned_email_task(award_id: int) -> int:
    """Tell the SME's users they earned a badge (once)."""
    return award_earned_email_send(award_id=award_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=2, max_retries=3)
def awards_expiry_warn_task() -> int:
    """Warn the holders of badges expiring within 30 days (daily, with celery beat; each award once)."""
    return awards_expiry_warn()
