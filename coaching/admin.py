"""Coaching on the Wagtail admin dashboard: the SMEs that need attention, most urgent first."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from journey.models import Role

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
                "url": reverse("coaching:sme", kwargs={"slug": alert.sme.slug}),
            }
            for alert in alerts
        ]
        launchpad = self.user.launchpad if self.user.role != Role.COORDINATOR else None
        export_url = reverse("coaching:export_launchpad", kwargs={"code": launchpad.code}) if launchpad else None
        return {"rows": rows, "export_url": export_url,
                "calendar_url": reverse("coaching:calendar")}  # fmt: skip
