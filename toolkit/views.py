"""The toolkit's pages for the SME (and, read-only, its account managers): the overview first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from journey import scoping

from .charts import monthly_chart
from .models import Tool, ToolkitReport
from .services import report_refresh, tool_open, tools_open


def _sme(request, slug):
    return get_object_or_404(scoping.smes_visible_to(request.user).select_related("launchpad"), slug=slug)


def _document(sme) -> dict:
    stored = ToolkitReport.objects.filter(sme=sme).first()
    return (stored or report_refresh(sme=sme)).document


def _trend(current: float | None, previous: float | None) -> str:
    if current is None or previous is None or current == previous:
        return "flat"
    return "up" if current > previous else "down"


@login_required
def overview(request, slug):
    """Readiness, the headline figures of the last complete month, the score, the open tools."""
    sme = _sme(request, slug)
    document = _document(sme)
    open_tools = tools_open(sme)
    complete = [m for m in document["planning"]["months"] if not m["partial"]]
    last, before = (complete[-1] if complete else None), (complete[-2] if len(complete) > 1 else None)
    headline = []
    if last:
        for key, label in (("sales", gettext("Sales")), ("orders", gettext("Orders")), ("profit", gettext("Profit"))):
            headline.append(
                {
                    "key": key,
                    "label": label,
                    "value": last[key],
                    "trend": _trend(last[key], before[key] if before else None),
                }
            )
    chart = ""
    if Tool.PLANNING in open_tools and document["planning"]["months"]:
        chart = monthly_chart(
            document["planning"]["months"],
            document["planning"]["projection"],
            title=gettext("Sales and profit by month"),
            description=gettext(
                "Bars: sales of each month; line: profit; dashed bar: the projection for the next month with its range."
            ),
            sales_label=gettext("Sales"),
            profit_label=gettext("Profit"),
            projection_label=gettext("Projection"),
        )  # fmt: skip
    tools = [
        {"key": value, "label": label, "open": value in open_tools}
        for value, label in Tool.choices
    ]  # fmt: skip
    return render(
        request,
        "toolkit/overview.html",
        {
            "sme": sme,
            "report": document,
            "readiness": document["readiness"],
            "last_month": last,
            "headline": headline,
            "chart": chart,
            "opportunities": document["market"]["opportunities"][:5] if Tool.MARKET in open_tools else [],
            "tools": tools,
            "may_open_tools": scoping.can_change_sme(request.user, sme),
            "currency": sme.launchpad.currency,
        },
    )


@login_required
@require_POST
def open_tool(request, slug):
    """The account manager opens a tool for the SME (badges will open them too)."""
    sme = _sme(request, slug)
    if not scoping.can_change_sme(request.user, sme):
        raise PermissionDenied
    tool = request.POST.get("tool")
    if tool not in Tool.values:
        raise PermissionDenied
    tool_open(sme=sme, tool=tool, by=request.user)
    messages.success(
        request, gettext("“%(tool)s” is now open for %(sme)s.") % {"tool": Tool(tool).label, "sme": sme.name}
    )
    return redirect("toolkit:overview", slug=slug)


def sme_panel(request, sme) -> str:
    """The toolkit summary on the SME pages (registered with journey.panels)."""
    stored = ToolkitReport.objects.filter(sme=sme).first()
    return render_to_string(
        "toolkit/sme_panel.html",
        {"report": stored.document if stored else None, "url": reverse("toolkit:overview", kwargs={"slug": sme.slug})},
        request=request,
    )
