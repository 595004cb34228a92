"""Registers coaching with the Wagtail admin (dashboard panels) and with the lower apps' hooks (``journey.hooks``)."""

from wagtail import hooks

from journey import hooks as journey_hooks

from .admin import CapturePanel, DriftPanel
from .drift import open_drift


@hooks.register("construct_homepage_panels")
def add_drift_panel(request, panels):
    if request.user.is_programme_staff:
        panels.append(DriftPanel(request.user))
        panels.append(CapturePanel(request.user))


journey_hooks.register(journey_hooks.ATTENTION_REASONS, open_drift)
