"""Sections that higher apps add to an SME's pages (the staff SME page and the portal page).

``journey`` cannot import the apps above it, so they register a panel at start-up
(``panels.register(my_panel)`` in ``AppConfig.ready``). A panel takes the request and the
SME — already checked visible to the user — and returns HTML, or "" to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from .models import SME

Panel = Callable[[HttpRequest, SME], str]

_panels: list[Panel] = []


def register(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def render(request: HttpRequest, sme: SME) -> list[SafeString]:
    """The registered panels' HTML for this SME, in registration order, empty ones left out."""
    return [html for html in (panel(request, sme) for panel in _panels) if html]
