from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    """The account managers' work with each SME.

    It owns the progress sheet (every contact), review and planning sessions with their
    calendars, the new-market entry plan with its actions, and the drift alerts that
    show a launchpad which SMEs need attention. It may import ``toolkit`` and below.
    """

    name = "coaching"
    label = "coaching"
    verbose_name = _("Coaching")

    def ready(self):
        from journey import conditions, panels
        from toolkit import findings, milestones

        from . import outcome_views, outcomes, reporting, workspace
        from .conditions import CHECKS
        from .selectors import plan_actions_done
        from .views import plan_target, sme_panel

        for key, check in CHECKS.items():
            conditions.register(key, check)
        panels.register(sme_panel)
        findings.register_plan_target(plan_target)
        milestones.register("plan_actions_done", _("plan actions done"), plan_actions_done)
        milestones.register("new_market_first_sales", _("first sales in a new market"),
                            outcomes.first_sales_in_new_markets)  # fmt: skip
        milestones.register("markets_established", _("new markets established"), outcomes.markets_established)
        milestones.milestone_changed.connect(outcomes.after_toolkit_refresh, dispatch_uid="coaching-outcomes")
        outcome_views.register()
        reporting.register()
        workspace.register()
