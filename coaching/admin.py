"""Coaching on the Wagtail admin dashboard: the SMEs that need attention, most urgent first."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from journey import progress, scoping
from journey.models import Launchpad


class DriftPanel(Component):
    name = "coaching_drift"
    order = 45
    template_name = "coaching/admin/drift_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        # The pipeline's SMEs and its overdue rule, plus the open drift alerts: the counts agree.
        items = progress.needs_attention(scoping.smes_on_dashboard_of(self.user))
        rows = [
            {
                "sme": item.sme,
                "reasons": item.reasons,
                "since": item.since,
                "url": reverse("journey:sme_workspace", kwargs={"slug": item.sme.slug}),
            }
            for item in items[:50]
        ]
        total = len(items)
        # One progress-sheet download per launchpad whose SMEs this person sees (scoped again on download).
        launchpads = Launchpad.objects.filter(pk__in=scoping.smes_visible_to(self.user).values("launchpad"))
        exports = [
            (launchpad.name, reverse("coaching:export_launchpad", kwargs={"code": launchpad.code}))
            for launchpad in launchpads.order_by("code")
        ]
        return {"rows": rows, "total": total, "exports": exports, "calendar_url": reverse("coaching:calendar")}


class CapturePanel(Component):
    """The captured contacts waiting for this person: "3 captured contacts to confirm", each confirmed in one click."""

    name = "coaching_capture"
    order = 44
    template_name = "coaching/admin/capture_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        from .capture.selectors import drafts_to_confirm, triage

        drafts = drafts_to_confirm(self.user)
        return {
            "count": drafts.count(),
            "drafts": list(drafts[:10]),
            "triage_count": triage(self.user).count(),
            "list_url": reverse("coaching:captured"),
            "next": parent_context["request"].get_full_path(),
        }


class OutcomesPanel(Component):
    """Outcomes of the SMEs on this person's dashboard: first sales in new markets, markets established,
    and whether each SME has confirmed the programme helped (unconfirmed is shown as such)."""

    name = "coaching_outcomes"
    order = 46
    template_name = "coaching/admin/outcomes_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        from journey.models import SME

        from .models import OutcomeAnswer, OutcomeEvent
        from .outcome_views import outcomes_by_market

        events = OutcomeEvent.objects.filter(sme__in=scoping.smes_on_dashboard_of(self.user)).select_related(
            "sme__launchpad", "market"
        )
        # One row per SME and market, the most recent outcome first; each row lists its outcomes' answers.
        by_market: dict[int, list] = {}
        for event in events.order_by("-occurred_at", "-pk"):
            by_market.setdefault(event.market_id, []).append(event)
        shown = list(by_market.values())[:20]
        figures = outcomes_by_market(SME.objects.filter(pk__in={market[0].sme_id for market in shown}))
        rows = []
        for market_events in shown:
            event = market_events[0]
            outcome = figures.get(event.market_id)
            rows.append(
                {
                    "sme": event.sme,
                    "market": event.market,
                    "events": market_events[::-1],  # oldest first: the first sale, then the market established
                    "net_sales": outcome.net_sales if outcome else None,
                    "orders": outcome.orders if outcome else None,
                    "new_customers": outcome.new_customers if outcome else None,
                    "url": reverse("coaching:outcomes", kwargs={"slug": event.sme.slug}),
                }
            )
        return {
            "rows": rows,
            "total": events.count(),
            "unconfirmed": events.filter(answer=OutcomeAnswer.UNCONFIRMED).count(),
            "markets": len(by_market),
        }
