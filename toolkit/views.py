"""The toolkit's pages for the SME (and, read-only, its account managers): the overview and one page per tool.

Every page reads the stored report (``ToolkitReport``): no analysis runs in a request once
the report exists. Who sees what comes from ``journey.scoping``: the SME's users and the
staff who may see the SME read the pages; a locked tool shows the SME what would open it,
and shows its content (as a preview) only to the staff who may change the SME and so open
it. Targets are the SME's own input: its users and the staff who may change it edit them
(``scoping.can_edit_company_data``).
"""

from __future__ import annotations

import datetime
from collections import Counter
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext, ngettext, pgettext
from django.views.decorators.http import require_POST

from journey import scoping
from journey.formatting import format_money

from . import exports, findings, services, unlocks
from .analyses.inventory import DEFAULT_THRESHOLDS
from .charts import bar_chart, checks_chart, monthly_chart, profit_curve_chart, score_gauge
from .forms import TargetForm
from .models import Metric, Target, Tool, ToolkitReport
from .services import report_refresh, tool_open, tools_open
from .tables import (
    GROUPS,
    METHODS,
    TABLES,
    Context,
    channel_name,
    check_labels,
    choose_period,
    column_labels,
    country_name,
    growth_period,
    month_label,
    period_choices,
    previous_months,
    profit_estimated,
    profit_label,
    tables_of,
    yes_no,
)

# The score an SME's catalogue should reach (also a data milestone of learning's badges).
INVENTORY_MARK = 80


def _sme(request, slug):
    return get_object_or_404(scoping.smes_visible_to(request.user).select_related("launchpad"), slug=slug)


def _readiness(document: dict) -> dict:
    """The stored readiness, with ``profit_estimated`` worked out for a report stored before it existed."""
    return {**document["readiness"], "profit_estimated": profit_estimated(document)}


def _document(sme) -> dict:
    stored = ToolkitReport.objects.filter(sme=sme).first()
    return (stored or report_refresh(sme=sme)).document


# A change smaller than this share of the figure before is shown as flat: not worth an arrow.
FLAT_WITHIN = 0.01


def _trend(current: float | None, previous: float | None) -> str:
    if current is None or previous is None or abs(current - previous) <= FLAT_WITHIN * abs(previous):
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
        for key, label in (
            ("sales", gettext("Sales")),
            ("orders", gettext("Orders")),
            ("profit", profit_label(gettext("Profit"), document)),
        ):
            headline.append(
                {
                    "key": key,
                    "label": label,
                    "value": last[key],
                    "trend": _trend(last[key], before[key] if before else None),
                }
            )
    chart = ""
    # Staff see the chart even while the planning tool is still locked for the SME.
    chart_for_staff_only = Tool.PLANNING not in open_tools and scoping.is_programme_staff(request.user)
    if (Tool.PLANNING in open_tools or chart_for_staff_only) and document["planning"]["months"]:
        chart = monthly_chart(
            document["planning"]["months"],
            document["planning"]["projection"],
            title=gettext("Sales and profit by month"),
            description=gettext(
                "Bars: sales of each month; line: profit; dashed bar: the projection for the next month with its range."
            ),
            sales_label=gettext("Sales"),
            profit_label=profit_label(gettext("Profit"), document),
            projection_label=gettext("Projection"),
            value_format=lambda value: format_money(value, sme.launchpad.currency),
        )  # fmt: skip
    tools = [
        {"key": value, "label": label, "open": value in open_tools,
         "url": reverse("toolkit:tool", kwargs={"slug": sme.slug, "tool": value})}
        for value, label in Tool.choices
    ]  # fmt: skip
    return render(
        request,
        "toolkit/overview.html",
        {
            "sme": sme,
            "report": document,
            "as_of": datetime.date.fromisoformat(document["as_of"]),
            "readiness": _readiness(document),
            "last_month": last,
            "last_month_label": month_label(last["month"]) if last else "",
            "headline": headline,
            "chart": chart,
            "chart_for_staff_only": chart_for_staff_only,
            "opportunities": document["market"]["opportunities"][:5] if Tool.MARKET in open_tools else [],
            "tools": tools,
            "may_open_tools": scoping.can_change_sme(request.user, sme),
            # Whose toolkit: "Your DMCP toolkit" for the SME's own users, the SME's name for staff.
            "own_company": scoping.is_own_company(request.user, sme),
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
    if request.POST.get("next") == "tool":
        return redirect("toolkit:tool", slug=slug, tool=tool)
    return redirect("toolkit:overview", slug=slug)


def sme_panel(request, sme) -> str:
    """The toolkit summary on the SME pages (registered with journey.panels)."""
    stored = ToolkitReport.objects.filter(sme=sme).first()
    return render_to_string(
        "toolkit/sme_panel.html",
        {"report": stored.document if stored else None, "url": reverse("toolkit:overview", kwargs={"slug": sme.slug})},
        request=request,
    )


# --- one page per tool -----------------------------------------------------------------------------------

PAGE_ROWS = 150  # rows a page shows of one table (formatting money is not free); the downloads hold every row
GROUP_CARDS = 12  # opportunities shown per group (the best sellers first); the download lists them all


def _display(kind: str, value, row: dict, currency: str) -> str:
    """A table cell in the reader's locale."""
    if value is None or value == "":
        return "—" if kind != "text" else ""
    if kind == "money" or (kind == "number" and row.get("metric") in ("sales", "profit")):
        return format_money(value, currency)
    if kind in ("int", "number"):
        return formats.number_format(value, 0, force_grouping=True)
    if kind == "pct":
        return f"{formats.number_format(value, 1, force_grouping=True)}\u00a0%"
    if kind == "points":
        return formats.number_format(value, 2)
    if kind == "date":
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if kind == "month":
        return month_label(value)
    if kind == "bool":
        return yes_no(value)
    return str(value)


def _download_urls(sme, table, period) -> list[dict]:
    query = f"?{urlencode({'period': period.key})}" if table.periodic and period is not None else ""
    return [
        {
            "format": extension.upper(),
            "url": reverse("toolkit:export", kwargs={"slug": sme.slug, "table": table.key, "fmt": extension}) + query,
        }
        for extension in exports.FORMATS
    ]


def _page_rows(rows: list[dict]) -> list[dict]:
    """At most PAGE_ROWS rows, in their order: the loss-making and most profitable ones kept first."""
    if len(rows) <= PAGE_ROWS:
        return rows
    flagged = [index for index, row in enumerate(rows) if row.get("flag") in ("loss", "top")]
    others = [index for index, row in enumerate(rows) if row.get("flag") not in ("loss", "top")]
    return [rows[index] for index in sorted((flagged + others)[:PAGE_ROWS])]


def _rendered(table, rows: list[dict], *, sme, period, currency: str, document: dict, all_rows: bool = False) -> dict:
    """A table as the page shows it: the same columns and rows the downloads write."""
    numeric = {"int", "money", "number", "pct", "points"}
    return {
        "key": table.key,
        "title": table.title,
        "headers": [
            {"label": label, "numeric": column.kind in numeric}
            for column, label in zip(table.columns, column_labels(table, document), strict=True)
        ],
        "rows": [
            {
                "cells": [
                    {
                        "text": _display(column.kind, row.get(column.key), row, currency),
                        "numeric": column.kind in numeric,
                        "label": column.label,
                    }
                    for column in table.columns
                ],
                "flag": row.get("flag", ""),
                "finding": row.get("finding"),
                "raw": row,
            }
            for row in (rows if all_rows else _page_rows(rows))
        ],
        "count": len(rows),
        "has_findings": any(row.get("finding") for row in rows),
        "cut": not all_rows and len(rows) > PAGE_ROWS,
        "downloads": _download_urls(sme, table, period),
    }


def _trend_figure(key: str, label: str, value, previous, *, kind: str, currency: str) -> dict:
    return {
        "key": key,
        "label": label,
        "value": _display(kind, value, {}, currency),
        "trend": None if previous is None else _trend(value, previous),
        "previous": None if previous is None else _display(kind, previous, {}, currency),
    }


def _month_sums(document: dict, months: tuple[str, ...]) -> dict | None:
    """Sales, orders and profit of these months from the stored planning months (None if one is missing)."""
    by_month = {m["month"]: m for m in document["planning"]["months"]}
    rows = [by_month.get(month) for month in months]
    if not rows or any(row is None for row in rows):
        return None
    return {
        "sales": round(sum(row["sales"] for row in rows), 2),
        "orders": sum(row["orders"] for row in rows),
        "profit": round(sum(row["profit"] for row in rows), 2),
        "partial": any(row["partial"] for row in rows),
        "partial_first": any(row.get("partial_kind") == "first" for row in rows),
        "cost_estimated": any(row["cost_estimated"] for row in rows),
    }


def _period_headline(document: dict, period, currency: str) -> tuple[list[dict], dict | None]:
    now = _month_sums(document, period.months) if period else None
    if now is None:
        return [], None
    before = None if now["partial"] else _month_sums(document, previous_months(period))
    if before is not None and before["partial"]:
        before = None
    figures = [
        _trend_figure(key, label, now[key], before[key] if before else None, kind=kind, currency=currency)
        for key, label, kind in (
            ("sales", gettext("Sales"), "money"),
            ("orders", gettext("Orders"), "int"),
            ("profit", profit_label(gettext("Profit"), document), "money"),
        )
    ]
    return figures, now


def _inventory_context(document: dict, currency: str) -> dict:
    stock = document["inventory"]
    thresholds = stock.get("thresholds")
    limits = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    context = {
        "score": stock["score"],
        "mark": INVENTORY_MARK,
        "thresholds": {key: formats.number_format(value, 0, force_grouping=True) for key, value in limits.items()},
    }
    context["headline"] = [
        {"key": "score", "label": gettext("Score out of 100"), "value": formats.number_format(stock["score"], 1)
         if stock["score"] is not None else "—", "trend": None},
        {"key": "products", "label": gettext("Active products"), "value": _display("int", stock["products"], {}, ""),
         "trend": None},
        {"key": "fixes", "label": gettext("Products to fix"), "value": _display("int", len(stock["fixes"]), {}, ""),
         "trend": None},
    ]  # fmt: skip
    if stock["score"] is not None:
        score_text = formats.number_format(stock["score"], 1)
        context["gauge"] = score_gauge(
            stock["score"],
            uid="inventory-score",
            title=gettext("Inventory score: %(score)s out of 100") % {"score": score_text},
            description=gettext(
                "A bar from 0 to 100 filled up to the score; the line marks %(mark)s, the score to aim for."
            )
            % {"mark": INVENTORY_MARK},
        )
        applicable = [c for c in stock["checks"] if c["passed"] + c["failed"] + c["unknown"]]
        labels = check_labels(thresholds)
        context["checks_chart"] = checks_chart(
            [(labels.get(c["key"], c["key"]), c["passed"], c["failed"], c["unknown"]) for c in applicable],
            uid="inventory-checks",
            title=gettext("Products passing and failing each check"),
            description=gettext(
                "One bar per check, split into the products that pass it, fail it, and those whose data is unknown; "
                "the table below gives the numbers."
            ),
            legend=(
                pgettext("products counted", "Passed"),
                pgettext("products counted", "Failed"),
                pgettext("products counted", "Unknown"),
            ),
        )
    return context


def _market_context(document: dict, currency: str) -> dict:
    market = document["market"]
    countries = [m for m in market["markets"] if m["dimension"] == "country"]
    channels = [m for m in market["markets"] if m["dimension"] == "channel"]
    sales = round(sum(m["sales"] for m in countries), 2)
    previous = round(sum(m["previous_sales"] for m in countries), 2)
    groups = {key: sum(o["group"] == key for o in market["opportunities"]) for key in ("strong", "good", "potential")}
    start, end = datetime.date.fromisoformat(market["start"]), datetime.date.fromisoformat(market["end"])
    context = {
        "window_start": start,
        "window_end": end,
        "window_days": (end - start).days + 1,
        "groups": groups,
        "headline": [
            _trend_figure("sales", gettext("Sales in the window"), sales, previous if countries else None,
                          kind="money", currency=currency),
            _trend_figure("orders", gettext("Orders in the window"), sum(m["orders"] for m in countries), None,
                          kind="int", currency=currency),
            _trend_figure("countries", gettext("Customer countries"), len(countries), None, kind="int",
                          currency=currency),
        ],
    }  # fmt: skip

    def money(value):
        return format_money(value, currency)

    if countries:
        context["countries_chart"] = bar_chart(
            [(country_name(m["key"]), m["sales"], "") for m in countries[:15]],
            uid="market-countries",
            title=gettext("Sales per country in the last %(days)s days") % {"days": context["window_days"]},
            description=gettext("One bar per customer country, largest first; the table below gives sales, "
                                "growth and share."),
            value_format=money,
        )  # fmt: skip
    if channels:
        context["channels_chart"] = bar_chart(
            [(channel_name(m["key"]), m["sales"], "") for m in channels],
            uid="market-channels",
            title=gettext("Sales per channel in the last %(days)s days") % {"days": context["window_days"]},
            description=gettext("One bar per sales channel, largest first; the table below gives the figures."),
            value_format=money,
        )
    return context


def _comparison_notes(planning: dict) -> list[str]:
    """What the page must say about the comparisons: the ones a partial month prevents, and a year to
    date over the same days only."""
    names = {
        "month_on_month": gettext("Month on month"),
        "year_on_year": gettext("Year on year"),
        "year_to_date": gettext("Year to date"),
        "last_6_vs_previous_6": gettext("Last 6 months against the 6 before"),
    }
    notes = [
        gettext("%(comparison)s: not shown, as %(month)s is only partly in the data.")
        % {"comparison": names.get(item["key"], item["key"]), "month": month_label(item["month"])}
        for item in planning.get("skipped_comparisons") or []
    ]
    for comparison in planning["comparisons"]:
        if comparison.get("basis") == "same_days":
            start = datetime.date.fromisoformat(comparison["start"])
            end = datetime.date.fromisoformat(comparison["end"])
            notes.append(
                gettext(
                    "Year to date compares the same days of both years only, %(start)s to %(end)s, as your data "
                    "starts after 1 January last year."
                )
                % {"start": formats.date_format(start, "SHORT_DATE_FORMAT"),
                   "end": formats.date_format(end, "SHORT_DATE_FORMAT")}
            )  # fmt: skip
    return notes


def _planning_context(document: dict, period, currency: str) -> dict:
    planning = document["planning"]
    context = {"projection": planning["projection"], "comparison_notes": _comparison_notes(planning)}
    context["headline"], context["period_sums"] = _period_headline(document, period, currency)
    if planning["months"]:
        context["monthly_chart"] = monthly_chart(
            planning["months"],
            planning["projection"],
            title=gettext("Sales and profit by month"),
            description=gettext(
                "Bars: sales of each month; line: profit; dashed bar: the projection for the next month with its range."
            ),
            sales_label=gettext("Sales"),
            profit_label=profit_label(gettext("Profit"), document),
            projection_label=gettext("Projection"),
            uid="planning-months",
            value_format=lambda value: format_money(value, currency),
        )  # fmt: skip
    if period is not None:
        totals: dict[str, float] = {}
        for row in planning["channels"]:
            if row["month"] in period.months:
                name = channel_name(row["channel"])  # named first: two platform values may share a name
                totals[name] = totals.get(name, 0.0) + row["sales"]
        if totals:
            context["channels_chart"] = bar_chart(
                [(key, round(value, 2), "")
                 for key, value in sorted(totals.items(), key=lambda item: -item[1])],
                uid="planning-channels",
                title=gettext("Sales per channel: %(period)s") % {"period": period.label},
                description=gettext("One bar per sales channel for the chosen period; the table below gives orders "
                                    "and sales month by month."),
                value_format=lambda value: format_money(value, currency),
            )  # fmt: skip
    return context


def _growth_context(document: dict, period, currency: str) -> dict:
    context = {}
    context["headline"], context["period_sums"] = _period_headline(document, period, currency)
    chosen = growth_period(document, period)
    context["chosen"] = chosen
    if chosen:
        context["headline"].append(
            _trend_figure("loss_orders", gettext("Loss-making orders"), chosen["loss_orders"], None, kind="int",
                          currency=currency)
        )  # fmt: skip
        context["headline"].append(
            _trend_figure("return_orders", gettext("Returns and cancellations"), chosen.get("return_orders", 0),
                          None, kind="int", currency=currency)
        )  # fmt: skip
        context["orders_cut"] = len(chosen["orders"]) < chosen["orders_count"]
        context["products_cut"] = len(chosen["products"]) < chosen["products_count"]
        returns = chosen.get("return_orders", 0)
        # Returns and cancellations are money given back, not orders sold at a loss: not drawn below
        # zero among the losses, but said above the plot (count and amount).
        returns_note = (
            ngettext(
                "Not drawn: %(count)s return or cancellation, %(amount)s given back",
                "Not drawn: %(count)s returns and cancellations, %(amount)s given back",
                returns,
            )
            % {"count": returns, "amount": format_money(abs(chosen.get("returns") or 0), currency)}
            if returns
            else ""
        )
        drawn = chosen["orders_count"] - returns
        context["profit_chart"] = profit_curve_chart(
            chosen["profit_curve"],
            uid="growth-orders",
            title=profit_label(gettext("Profit of every order: %(period)s") % {"period": period.label}, document),
            description=ngettext(
                "%(count)s order, the most profitable on the left (green), loss-making ones on the right, below "
                "zero (red).",
                "%(count)s orders, the most profitable on the left (green), loss-making ones on the right, below "
                "zero (red).",
                drawn,
            )
            % {"count": drawn}
            + (" " + returns_note + "." if returns_note else ""),
            value_format=lambda value: format_money(value, currency),
            note=returns_note,
        )
        products = sorted(chosen["products"], key=lambda p: -p["profit"])
        shown = products[:10] + [p for p in products[10:] if p["profit"] < 0][:5]
        if shown:
            context["products_chart"] = bar_chart(
                [(p["label"], p["profit"], "loss" if p["profit"] < 0 else "") for p in shown],
                uid="growth-products",
                title=profit_label(gettext("Profit per product: %(period)s") % {"period": period.label}, document),
                description=gettext("The ten most profitable products, and any sold at a loss (red); the products "
                                    "table below gives orders, units, sales, cost and margin."),
                value_format=lambda value: format_money(value, currency),
            )  # fmt: skip
    return context


def _opportunity_groups(table: dict, document: dict, counts: Counter) -> list[dict]:
    """The opportunities table as the three lists the page shows, each item with its evidence."""
    days = _market_days(document)
    intros = {
        "strong": gettext("Proven sellers that can sell more with little work."),
        "good": gettext("Fewer sales, but good potential with some investment."),
        "potential": gettext("Early signs of promise, from the last %(days)s days.") % {"days": days},
    }
    evidence_columns = {"orders", "units", "sales", "views", "add_to_carts", "conversion", "sell_through", "trend"}
    headers = [column for column in TABLES["market_opportunities"].columns]
    groups = []
    for key, label in GROUPS.items():
        items = []
        for row in table["rows"]:
            if row["flag"] != key:
                continue
            evidence = [
                (column.label, cell["text"])
                for column, cell in zip(headers, row["cells"], strict=True)
                if column.key in evidence_columns and row["raw"].get(column.key) is not None
            ]
            items.append(
                {
                    "product": row["raw"]["product"],
                    "action": row["raw"]["action"],
                    "evidence": evidence,
                    "finding": row["finding"],
                }
            )
        groups.append(
            {"key": key, "label": label, "intro": intros[key], "items": items,
             "more": max(0, counts[key] - len(items))}
        )  # fmt: skip
    return groups


def _market_days(document: dict) -> int:
    market = document["market"]
    return (datetime.date.fromisoformat(market["end"]) - datetime.date.fromisoformat(market["start"])).days + 1


def _tool_page(request, sme, tool: str, *, target_form: TargetForm | None = None, status: int = 200):
    document = _document(sme)
    open_tools = tools_open(sme)
    may_change = scoping.can_change_sme(request.user, sme)
    is_open = tool in open_tools
    currency = sme.launchpad.currency
    readiness = _readiness(document)
    context = {
        "sme": sme,
        "tool": tool,
        "tool_label": Tool(tool).label,
        "report": document,
        "readiness": readiness,
        "currency": currency,
        "margin": _margin(sme),
        "as_of": datetime.date.fromisoformat(document["as_of"]),
        "is_open": is_open,
        "may_change": may_change,
        "own_company": scoping.is_own_company(request.user, sme),
        "nav": [
            {
                "key": value,
                "label": label,
                "open": value in open_tools,
                "current": value == tool,
                "url": reverse("toolkit:tool", kwargs={"slug": sme.slug, "tool": value}),
            }
            for value, label in Tool.choices
        ],
        "show_content": is_open or may_change,
    }
    if not is_open:
        context["hints"] = unlocks.hints(sme, tool)
    if not context["show_content"]:
        return render(request, "toolkit/tool.html", context, status=status)

    period, bad_period = None, False
    if tool in (Tool.PLANNING, Tool.GROWTH):
        period, bad_period = choose_period(document, tool, request.GET.get("period"))
        context.update(period=period, bad_period=bad_period, periods=period_choices(document, tool))
    # Orders-based tools say nothing on insufficient data; the inventory works from the catalogue alone.
    context["figures_hidden"] = tool != Tool.INVENTORY and readiness["level"] == "insufficient"
    builders = {
        Tool.INVENTORY: lambda: _inventory_context(document, currency),
        Tool.MARKET: lambda: _market_context(document, currency),
        Tool.PLANNING: lambda: _planning_context(document, period, currency),
        Tool.GROWTH: lambda: _growth_context(document, period, currency),
    }
    context.update(builders[tool]())
    table_context = Context(document=document, sme=sme, period=period)
    rows = {table.key: table.rows(table_context) for table in tables_of(tool)}
    group_counts = None
    if tool == Tool.MARKET:
        # The opportunities are shown as lists per group, each cut on its own before any cell is formatted.
        group_counts = Counter(row["flag"] for row in rows["market_opportunities"])
        shown: Counter = Counter()
        kept = []
        for row in rows["market_opportunities"]:
            if shown[row["flag"]] < GROUP_CARDS:
                shown[row["flag"]] += 1
                kept.append(row)
        rows["market_opportunities"] = kept
    context["tables"] = {
        table.key: _rendered(
            table,
            rows[table.key],
            sme=sme,
            period=period,
            currency=currency,
            document=document,
            all_rows=table.key == "market_opportunities",
        )
        for table in tables_of(tool)
    }
    if tool == Tool.MARKET:
        context["opportunity_groups"] = _opportunity_groups(
            context["tables"]["market_opportunities"], document, group_counts
        )
    if tool == Tool.PLANNING and document["planning"]["projection"]:
        method = document["planning"]["projection"]["method"]
        context["projection_method"] = METHODS.get(method, method)
        context["projection_month"] = month_label(document["planning"]["projection"]["month"])
    context["guide_template"] = f"toolkit/guide_{tool}.html"
    context["body_template"] = f"toolkit/_{tool}.html"
    context["plan_url"] = findings.plan_url(request, sme)
    context["here"] = request.get_full_path()
    if tool == Tool.GROWTH:
        context["may_edit_targets"] = scoping.can_edit_company_data(request.user, sme)
        if context["may_edit_targets"]:
            context["target_form"] = target_form or TargetForm(sme=sme)
    return render(request, "toolkit/tool.html", context, status=status)


def _margin(sme) -> str:
    """The SME's default margin for the guide text: "40" or "37,5" in French."""
    value = float(sme.default_margin)
    return formats.number_format(value, 0 if value.is_integer() else 1)


def _tool_key(tool: str) -> str:
    if tool not in Tool.values:
        raise Http404
    return tool


@login_required
def tool_page(request, slug, tool):
    """One tool: readiness, headline figures, charts, tables with downloads, the guide; locked tools say why."""
    tool = _tool_key(tool)
    return _tool_page(request, _sme(request, slug), tool)


@login_required
def export(request, slug, table, fmt):
    """One table as XLSX or CSV in the reader's language; the period from the month picker when it has one."""
    chosen = TABLES.get(table)
    if chosen is None or fmt not in exports.FORMATS:
        raise Http404
    sme = _sme(request, slug)
    if chosen.tool not in tools_open(sme) and not scoping.can_change_sme(request.user, sme):
        raise Http404  # a locked tool's tables are not the SME's to download yet
    document = _document(sme)
    period = None
    if chosen.periodic:
        period, _bad = choose_period(document, chosen.tool, request.GET.get("period"))
    ctx = Context(document=document, sme=sme, period=period)
    response = HttpResponse(exports.render(chosen, ctx, fmt), content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(chosen, ctx, fmt)}"'
    return response


def _targets_allowed(request, slug):
    sme = _sme(request, slug)
    if not scoping.can_edit_company_data(request.user, sme):
        raise PermissionDenied
    if Tool.GROWTH not in tools_open(sme) and not scoping.can_change_sme(request.user, sme):
        raise PermissionDenied
    return sme


@login_required
@require_POST
def target_add(request, slug):
    """Add a target; on a mistake, the growth page again with the form and its messages."""
    sme = _targets_allowed(request, slug)
    form = TargetForm(request.POST, sme=sme)
    if not form.is_valid():
        return _tool_page(request, sme, Tool.GROWTH, target_form=form, status=400)
    target = services.target_add(sme=sme, **form.cleaned_data)
    messages.success(request, gettext("Target added: %(target)s.") % {"target": _target_text(target, sme)})
    return redirect(reverse("toolkit:tool", kwargs={"slug": sme.slug, "tool": Tool.GROWTH}) + "#growth_targets")


@login_required
@require_POST
def target_delete(request, slug, pk):
    sme = _targets_allowed(request, slug)
    target = get_object_or_404(Target, pk=pk, sme=sme)
    text = _target_text(target, sme)
    services.target_delete(target=target)
    messages.success(request, gettext("Target removed: %(target)s.") % {"target": text})
    return redirect(reverse("toolkit:tool", kwargs={"slug": sme.slug, "tool": Tool.GROWTH}) + "#growth_targets")


def _target_text(target: Target, sme) -> str:
    value = (
        formats.number_format(target.value, 0, force_grouping=True)
        if target.metric == Metric.ORDERS
        else format_money(target.value, sme.launchpad.currency)
    )
    return gettext("%(measure)s of %(value)s by %(date)s") % {
        "measure": target.get_metric_display(),
        "value": value,
        "date": formats.date_format(target.due, "DATE_FORMAT"),
    }
