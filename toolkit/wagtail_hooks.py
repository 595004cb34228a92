"""Registers the toolkit with the lower apps' hooks (``journey.hooks``): its SME panel and workspace block,
and the report refresh after each sync."""

from journey import hooks as journey_hooks

from . import workspace
from .services import report_refresh_after_commit
from .views import sme_panel


def refresh_after_sync(source, run) -> None:
    """Recompute the SME's report once the sync is committed; nothing changed, nothing to recompute."""
    if run.created or run.updated:
        report_refresh_after_commit(sme_id=source.sme_id)


journey_hooks.register(journey_hooks.SME_PANELS, sme_panel, order=20)
journey_hooks.register(journey_hooks.WORKSPACE_SECTIONS, workspace.section, order=30)
journey_hooks.register(journey_hooks.SYNC_SUCCEEDED, refresh_after_sync)
