"""Sections that higher apps add to an SME's pages (the staff SME page and the portal page).

``journey`` cannot import the apps above it, so they register a panel under the
``SME_PANELS`` hook (``journey.hooks``) in their ``wagtail_hooks.py``. A panel takes the
request and the SME — already checked visible to the user — and returns HTML, or "" to
show nothing.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.safestring import SafeString

from . import hooks
from .models import SME


def render(request: HttpRequest, sme: SME) -> list[SafeString]:
    """The registered panels' HTML for this SME, in hook order, empty ones left out."""
    return [html for html in (panel(request, sme) for panel in hooks.get(hooks.SME_PANELS)) if html]
