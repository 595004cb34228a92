"""The toolkit's background work."""

from celery import group, shared_task
from django.conf import settings

from journey.models import SME

from . import refresh
from .services import report_refresh


@shared_task
def report_refresh_task(sme_id: int) -> int:
    """Recompute and store an SME's toolkit report (after a sync or an import, or on demand)."""
    return report_refresh(sme=SME.objects.get(pk=sme_id)).pk


@shared_task
def programme_refresh_task() -> int:
    """The nightly refresh: record it, then queue its chunks for every worker to take; returns its id."""
    from connectors.sync import runs_interrupt_stale

    runs_interrupt_stale()
    run, chunks = refresh.programme_refresh_start()
    if chunks:
        group(refresh_chunk_task.s(run.pk, chunk) for chunk in chunks).apply_async()
    return run.pk


# acks_late: a chunk whose worker died is delivered again; rows already claimed or done are skipped.
# The hard limit is the chunk's backstop; each SME has its own limit inside (refresh.time_limit).
@shared_task(acks_late=True, reject_on_worker_lost=True)
def refresh_chunk_task(run_id: int, sme_ids: list[int]) -> dict:
    """Refresh one chunk of SMEs; the ones that failed are queued again alone, later (backing off)."""
    result = refresh.chunk_refresh(run_id, sme_ids)
    delay = getattr(settings, "TOOLKIT_REFRESH_RETRY_SECONDS", 60)
    for sme_id in result.retry:
        refresh_chunk_task.apply_async((run_id, [sme_id]), countdown=delay)
    return {"done": result.done, "failed": result.failed, "retried": len(result.retry)}
