"""Registers coaching with the Wagtail admin (dashboard panels) and with the lower apps' hooks (``journey.hooks``)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from journey import hooks as journey_hooks
from toolkit.milestones import Milestone

from . import workspace
from .admin import CapturePanel, DriftPanel
from .conditions import CHECKS
from .drift import open_drift
from .selectors import plan_actions_done
from .views import plan_target, sme_panel


@hooks.register("construct_homepage_panels")
def add_drift_panel(request, panels):
    if request.user.is_programme_staff:
        panels.append(DriftPanel(request.user))
        panels.append(CapturePanel(request.user))


def coaching_checks() -> dict:
    return dict(CHECKS)


def coaching_milestones() -> list[Milestone]:
    return [Milestone("plan_actions_done", _("plan actions done"), plan_actions_done)]


journey_hooks.register(journey_hooks.CONDITION_CHECKS, coaching_checks)
journey_hooks.register(journey_hooks.SME_PANELS, sme_panel, order=30)
journey_hooks.register(journey_hooks.WORKSPACE_SECTIONS, workspace.section, order=20)
journey_hooks.register(journey_hooks.TIMELINE_KINDS, workspace.timeline_kinds)
journey_hooks.register(journey_hooks.ATTENTION_REASONS, open_drift)
journey_hooks.register(journey_hooks.MILESTONES, coaching_milestones)
journey_hooks.register(journey_hooks.PLAN_TARGET, plan_target)
