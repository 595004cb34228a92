"""Registers coaching with the Wagtail admin (dashboard panels: drift alerts, captured contacts, outcomes) and
with the lower apps' hooks (``journey.hooks``)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from journey import hooks as journey_hooks
from toolkit.milestones import Milestone

from . import outcome_views, outcomes, workspace
from .admin import CapturePanel, DriftPanel, OutcomesPanel
from .conditions import CHECKS
from .drift import open_drift
from .selectors import plan_actions_done
from .views import plan_target, sme_panel


@hooks.register("construct_homepage_panels")
def add_drift_panel(request, panels):
    if request.user.is_programme_staff:
        panels.append(DriftPanel(request.user))
        panels.append(CapturePanel(request.user))
        panels.append(OutcomesPanel(request.user))


def coaching_checks() -> dict:
    return dict(CHECKS)


def coaching_milestones() -> list[Milestone]:
    return [
        Milestone("plan_actions_done", _("plan actions done"), plan_actions_done),
        Milestone("new_market_first_sales", _("first sales in a new market"), outcomes.first_sales_in_new_markets),
        Milestone("markets_established", _("new markets established"), outcomes.markets_established),
    ]


def outcomes_after_milestones(sme, sender: str) -> None:
    """After the toolkit refreshed a report (a sync): detect outcomes and close the actions it shows fixed."""
    outcomes.after_toolkit_refresh(sender, sme)


journey_hooks.register(journey_hooks.CONDITION_CHECKS, coaching_checks)
journey_hooks.register(journey_hooks.SME_PANELS, sme_panel, order=30)
journey_hooks.register(journey_hooks.SME_PANELS, outcome_views.outcomes_panel, order=35)
journey_hooks.register(journey_hooks.WORKSPACE_SECTIONS, workspace.section, order=20)
journey_hooks.register(journey_hooks.TIMELINE_KINDS, workspace.timeline_kinds)
journey_hooks.register(journey_hooks.TIMELINE_KINDS, outcome_views.timeline_kinds)
journey_hooks.register(journey_hooks.MILESTONE_MOVED, outcomes_after_milestones)
journey_hooks.register(journey_hooks.ATTENTION_REASONS, open_drift)
journey_hooks.register(journey_hooks.MILESTONES, coaching_milestones)
journey_hooks.register(journey_hooks.PLAN_TARGET, plan_target)
