"""Personal data's background work: the daily purge and a person's own export."""

from celery import shared_task
from django.db import OperationalError

from .retention import purge


@shared_task(autoretry_for=(OperationalError,), retry_backoff=2, max_retries=3)
def purge_expired_task() -> dict[str, int]:
    """Erase what is past its retention period (daily, with celery beat)."""
    return purge()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=2, max_retries=3)
def own_export_task(request_id: int) -> str:
    """Produce a person's own export, keep it for its link's lifetime and e-mail them the link."""
    from .services import own_export

    return own_export(request_id)
