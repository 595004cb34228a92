"""The toolkit on the staff SME workspace (``journey.workspace``): readiness, headline figures and open tools.

It reads the stored report only (``ToolkitReport``): the workspace never waits for the
analyses. The last complete month's profit says when part of its cost is estimated from
the SME's default margin, beside the figure.
"""

from __future__ import annotations

import datetime

from django.db.models import Func, IntegerField
from django.db.models.fields.json import KeyTransform
from django.template.loader import render_to_string
from django.urls import reverse

from journey import scoping
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


class JSONArrayLength(Func):
    """The length of a JSON array, counted by the database (SQLite and PostgreSQL name the function differently)."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra_context)


def report_summary(sme: SME) -> dict | None:
    """The parts of the stored report the workspace shows, read without loading the whole document.

    A year of real orders makes a report of megabytes (every opportunity, twelve months of
    orders and products); the workspace needs four keys and a count. On the demo's Welsh
    Slate Gifts (Online Retail) this read takes 240 ms instead of 440 ms on SQLite.
    """
    row = (
        ToolkitReport.objects.filter(sme=sme)
        .annotate(
            readiness=KeyTransform("readiness", "document"),
            score=KeyTransform("score", KeyTransform("inventory", "document")),
            months=KeyTransform("months", KeyTransform("planning", "document")),
            opportunities=JSONArrayLength(KeyTransform("opportunities", KeyTransform("market", "document"))),
        )
        .values("as_of", "readiness", "score", "months", "opportunities")
        .first()
    )
    if row is None:
        return None
    return {
        "as_of": row["as_of"].isoformat(),
        "readiness": row["readiness"] or {},
        "inventory": {"score": row["score"]},
        "planning": {"months": row["months"] or []},
        "opportunities": row["opportunities"] or 0,
    }


def section(request, sme: SME) -> str:
    """Data readiness, inventory score, last complete month's sales and profit, opportunities, tools open."""
    document = report_summary(sme)
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
            "opportunities": document["opportunities"] if document else 0,
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
