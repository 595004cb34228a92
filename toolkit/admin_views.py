"""The staff's page on the nightly refresh: how far it got over the SMEs each reader sees."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from journey import scoping

from .models import RefreshStatus
from .refresh import refresh_progress


def refresh_progress_view(request):
    if not scoping.can_view_refresh_progress(request.user):
        raise PermissionDenied
    progress = refresh_progress(scoping.smes_visible_to(request.user))
    labels = dict(RefreshStatus.choices)
    return TemplateResponse(
        request,
        "toolkit/admin/refresh_progress.html",
        {
            "page_title": gettext("Nightly refresh"),
            "header_icon": "resubmit",
            "progress": progress,
            "rows": [
                {"status": status, "label": labels[status], "count": progress.counts[status]}
                for status in RefreshStatus.values
            ],
        },
    )
