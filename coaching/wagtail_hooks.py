"""Registers coaching's dashboard panels with the Wagtail admin: drift alerts, captured contacts, outcomes."""

from wagtail import hooks

from .admin import CapturePanel, DriftPanel, OutcomesPanel


@hooks.register("construct_homepage_panels")
def add_drift_panel(request, panels):
    if request.user.is_programme_staff:
        panels.append(DriftPanel(request.user))
        panels.append(CapturePanel(request.user))
        panels.append(OutcomesPanel(request.user))
