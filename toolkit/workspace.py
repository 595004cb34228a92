"""The toolkit on the staff SME workspace (``journey.workspace``): readiness, headline figures and open tools.

It reads the stored report only (``ToolkitReport``): the workspace never waits for the
analyses. The last complete month's profit says when part of its cost is estimated from
the SME's default margin, beside the figure.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.urls import reverse

from journey import scoping, workspace
from journey.models import SME

from .models import Tool, ToolkitReport
from .services import tools_open
from .tables import month_label


def headline(document: dict) -> dict | None:
    """The last complete month of the report: its label, sales, profit and whether its cost is partly estimated."""
    complete = [month for month in document["planning"]["months"] if not month["partial"]]
    if not complete:
        return None
    last = complete[-1]
    return {
        "month": month_label(last["month"]),
        "sales": last["sales"],
        "profit": last["profit"],
        "orders": last["orders"],
        "cost_estimated": bool(last.get("cost_estimated")),
    }


def section(request, sme: SME) -> str:
    """Data readiness, inventory score, last complete month's sales and profit, opportunities, tools open."""
    stored = ToolkitReport.objects.filter(sme=sme).only("as_of", "document").first()
    document = stored.document if stored else None
    open_tools = tools_open(sme)
    tools = [
        {
            "key": value,
            "label": label,
            "open": value in open_tools,
            "url": reverse("toolkit:tool", kwargs={"slug": sme.slug, "tool": value}),
        }
        for value, label in Tool.choices
    ]
    return render_to_string(
        "toolkit/workspace_section.html",
        {
            "sme": sme,
            "report": document,
            "as_of": datetime.date.fromisoformat(document["as_of"]) if document else None,
            "last_month": headline(document) if document else None,
            "opportunities": len(document["market"]["opportunities"]) if document else 0,
            # Whole months: "12 months of orders", not 12.26.
            "months_of_data": int(document["readiness"]["months"] or 0) if document else 0,
            "tools": tools,
            "open_count": sum(1 for tool in tools if tool["open"]),
            "currency": sme.launchpad.currency,
            "margin": sme.default_margin,
            "may_open_tools": scoping.can_change_sme(request.user, sme),
            "overview_url": reverse("toolkit:overview", kwargs={"slug": sme.slug}),
            "data_url": reverse("connectors:data_sources", kwargs={"slug": sme.slug}),
        },
        request=request,
    )


def register() -> None:
    workspace.register_section("toolkit", section, order=30)
