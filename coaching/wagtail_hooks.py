"""Registers coaching's dashboard panel with the Wagtail admin."""

from wagtail import hooks

from .admin import DriftPanel


@hooks.register("construct_homepage_panels")
def add_drift_panel(request, panels):
    if request.user.is_programme_staff:
        panels.append(DriftPanel(request.user))
