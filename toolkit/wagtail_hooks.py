"""Registers the toolkit with the lower apps' hooks (``journey.hooks``): its SME panel and workspace block,
and the report refresh after each sync; and its admin screen, the nightly refresh's progress."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from journey import hooks as journey_hooks
from journey import scoping

from . import workspace
from .admin_views import refresh_progress_view
from .services import report_refresh_after_commit
from .views import sme_panel


def refresh_after_sync(source, run) -> None:
    """Recompute the SME's report once the sync is committed; nothing changed, nothing to recompute."""
    if run.created or run.updated:
        report_refresh_after_commit(sme_id=source.sme_id)


journey_hooks.register(journey_hooks.SME_PANELS, sme_panel, order=20)
journey_hooks.register(journey_hooks.WORKSPACE_SECTIONS, workspace.section, order=30)
journey_hooks.register(journey_hooks.SYNC_SUCCEEDED, refresh_after_sync)


@hooks.register("register_admin_urls")
def register_refresh_urls():
    return [path("refresh/", refresh_progress_view, name="toolkit_refresh_progress")]


class _RefreshMenuItem(MenuItem):
    def is_shown(self, request):
        return scoping.can_view_refresh_progress(request.user)


@hooks.register("register_admin_menu_item")
def register_refresh_menu_item():
    return _RefreshMenuItem(
        _("Nightly refresh"), reverse_lazy("toolkit_refresh_progress"), icon_name="resubmit", order=260
    )
