"""The toolkit's background work."""

from celery import shared_task

from journey.models import SME

from .services import report_refresh


@shared_task
def report_refresh_task(sme_id: int) -> int:
    """Recompute and store an SME's toolkit report (after a sync or an import, or on demand)."""
    return report_refresh(sme=SME.objects.get(pk=sme_id)).pk
