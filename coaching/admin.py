"""Coaching on the Wagtail admin dashboard: the SMEs that need attention, most urgent first."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from journey import scoping
from journey.models import Launchpad

from .drift import alert_text, open_alerts_for


class DriftPanel(Component):
    name = "coaching_drift"
    order = 45
    template_name = "coaching/admin/drift_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        alerts = list(open_alerts_for(self.user)[:50])
        rows = [
            {
                "sme": alert.sme,
                "text": alert_text(alert),
                "since": alert.since,
                "url": reverse("journey:sme_workspace", kwargs={"slug": alert.sme.slug}),
            }
            for alert in alerts
        ]
        # One progress-sheet download per launchpad whose SMEs this person sees (scoped again on download).
        launchpads = Launchpad.objects.filter(pk__in=scoping.smes_visible_to(self.user).values("launchpad"))
        exports = [
            (launchpad.name, reverse("coaching:export_launchpad", kwargs={"code": launchpad.code}))
            for launchpad in launchpads.order_by("code")
        ]
        return {"rows": rows, "exports": exports, "calendar_url": reverse("coaching:calendar")}
