"""Every table the toolkit's pages show, defined once: the pages render them, the exports write them.

A ``Table`` names its columns (a translated header and a kind: text, int, money, pct,
points, date, month, bool) and builds its rows from the stored report — never from pandas —
for the period the reader chose with the month picker. Rows hold raw values (numbers,
dates, plain text in the reader's language): the page formats them in the reader's locale,
the XLSX export keeps them as numbers and dates, the CSV export writes them the way the
reader's spreadsheet reads them. A row may carry two extra keys no export writes: ``flag``
(how the page highlights it) and ``finding`` (what its "add to plan" form sends).

Percentages are numbers of percent (12.5 means 12.5 %), ratios of the report (conversion,
sell-through, trend) included.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from babel import Locale
from django.utils import formats
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from journey.formatting import babel_locale

from . import findings
from .analyses.growth import target_progress
from .analyses.inventory import DEFAULT_THRESHOLDS
from .analyses.readiness import COSTED_MIN
from .charts import month_short
from .models import Metric, Tool

# --- the month picker -------------------------------------------------------------------------------

PRESETS = (3, 6, 12)
ALL = "all"


@dataclass(frozen=True)
class Period:
    """What the month picker chose: one month, or several complete months together."""

    key: str  # "YYYY-MM" or "last_n"
    label: str
    months: tuple[str, ...]

    @property
    def single(self) -> bool:
        return len(self.months) == 1


def month_date(month: str) -> datetime.date:
    year, number = month.split("-")
    return datetime.date(int(year), int(number), 1)


def month_label(month: str) -> str:
    """ "2026-10" → "October 2026" / "octobre 2026"."""
    return formats.date_format(month_date(month), "YEAR_MONTH_FORMAT")


def months_text(text: str) -> str:
    """Every "YYYY-MM" in a label as the reader's short month: "2026-05–2026-10" → "May 2026–Oct 2026"."""
    return re.sub(r"\b(\d{4})-(\d{2})\b", lambda m: month_short(m[0]), text)


def _preset_label(n: int) -> str:
    return gettext("Last %(n)s complete months") % {"n": n}


def period_choices(document: dict, tool: str) -> list[Period]:
    """The periods the picker offers for this tool, most recent month first, then the presets.

    Planning offers every month of the report (the month in progress included, marked); growth
    offers the periods the report stored (``growth.periods``), or only its last complete month
    in a report stored before the picker existed.
    """
    if tool == Tool.PLANNING:
        months = document["planning"]["months"]
        complete = [m["month"] for m in months if not m["partial"]]
        choices = [
            Period(
                m["month"],
                (
                    gettext("%(month)s (partial: the data starts after the 1st)")
                    if m.get("partial_kind") == "first"
                    else gettext("%(month)s (in progress)")
                )
                % {"month": month_label(m["month"])}
                if m["partial"]
                else month_label(m["month"]),
                (m["month"],),
            )
            for m in reversed(months)
        ]
        if complete:
            # The whole history, the default: "Month by month" then shows every complete month.
            label = ngettext("Whole history: %(n)s complete month", "Whole history: %(n)s complete months",
                             len(complete)) % {"n": len(complete)}  # fmt: skip
            choices.insert(0, Period(ALL, label, tuple(complete)))
        choices += [Period(f"last_{n}", _preset_label(n), tuple(complete[-n:])) for n in PRESETS if len(complete) >= n]
        return choices
    stored = document["growth"].get("periods")
    if stored is None:
        month = document["growth"]["start"][:7]
        return [Period(month, month_label(month), (month,))]
    choices = []
    for period in stored:
        if period["key"].startswith("last_"):
            n = int(period["key"].removeprefix("last_"))
            months = _months_between(period["start"][:7], period["end"][:7])
            choices.append(Period(period["key"], _preset_label(n), months))
        else:
            choices.append(Period(period["key"], month_label(period["key"]), (period["key"],)))
    return choices


def _months_between(first: str, last: str) -> tuple[str, ...]:
    start, end = month_date(first), month_date(last)
    months = []
    while start <= end:
        months.append(start.strftime("%Y-%m"))
        start = (start + datetime.timedelta(days=32)).replace(day=1)
    return tuple(months)


def choose_period(document: dict, tool: str, key: str | None) -> tuple[Period | None, bool]:
    """The period for ``key`` (from the query string), else the default; and whether ``key`` was bad.

    Planning's default is the whole history; the other tools' is the last complete month.
    """
    choices = period_choices(document, tool)
    if not choices:
        return None, bool(key)
    for choice in choices:
        if choice.key == key:
            return choice, False
    if tool == Tool.PLANNING:
        default = next((c for c in choices if c.key == ALL), choices[0])
        return default, bool(key)
    complete = {m["month"] for m in document["planning"]["months"] if not m["partial"]}
    default = next((c for c in choices if c.single and c.months[0] in complete), choices[0])
    return default, bool(key)


def previous_months(period: Period) -> tuple[str, ...]:
    """The same number of months just before the period (for the up/down/flat markers)."""
    first = month_date(period.months[0])
    months = []
    for _index in period.months:
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.insert(0, first.strftime("%Y-%m"))
    return tuple(months)


def growth_period(document: dict, period: Period | None) -> dict | None:
    """The stored growth figures of the chosen period (the full last month when it is that month)."""
    if period is None:
        return None
    grown = document["growth"]
    for stored in grown.get("periods") or []:
        if stored["key"] == period.key:
            if period.single and grown["start"][:7] == period.key:
                # The last complete month is stored in full: every order, every product.
                return {**stored, "orders": grown["orders"], "products": grown["products"]}
            return stored
    if period.single and grown["start"][:7] == period.key:
        orders = grown["orders"]
        return {
            "key": period.key,
            "orders_count": len(orders),
            "loss_orders": sum(o["flag"] == "loss" for o in orders),
            "top_orders": sum(o["flag"] == "top" for o in orders),
            "sales": round(sum(o["sales"] for o in orders), 2),
            "cost": round(sum(o["cost"] for o in orders), 2),
            "profit": round(sum(o["profit"] for o in orders), 2),
            "cost_estimated": any(o["cost_estimated"] for o in orders),
            # Returns and cancellations are money given back, not orders at a loss: not on the curve.
            "profit_curve": sorted((o["profit"] for o in orders if o["flag"] != "return"), reverse=True),
            "return_orders": sum(o["flag"] == "return" for o in orders),
            "returns": round(sum(o["sales"] for o in orders if o["flag"] == "return"), 2),
            "products_count": len(grown["products"]),
            "orders": orders,
            "products": grown["products"],
        }
    return None


# --- labels of the report's keys ---------------------------------------------------------------------

GROUPS = {
    "strong": pgettext_lazy("opportunity group", "Strong"),
    "good": pgettext_lazy("opportunity group", "Good"),
    "potential": pgettext_lazy("opportunity group", "Potential"),
}

ACTIONS = {
    "keep_in_stock_and_feature": _(
        "Keep it in stock and feature it: home page, newsletter, best-seller lists, a new marketplace."
    ),
    "improve_listing_and_promote": _("Improve its listing (photos, description) and promote it to more buyers."),
    "test_in_new_market": _("Test it in a new market or channel with a small budget and watch the results."),
}

FLAGS = {"loss": _("Loss-making"), "top": _("Most profitable"), "return": _("Return or cancellation"), "": ""}

METHODS = {
    "naive": _("last month repeated"),
    "drift": _("the trend from the first to the last month"),
    "seasonal_naive": _("the same month last year"),
    "holt_winters": _("Holt-Winters (trend and season)"),
}

COMPARISONS = {
    "month_on_month": _("Month on month"),
    "year_on_year": _("Year on year (same month last year)"),
    "last_6_vs_previous_6": _("Last 6 months vs the 6 before"),
    "year_to_date": _("Year to date vs the same period last year"),
}


def check_labels(thresholds: dict | None = None) -> dict[str, str]:
    """Every check in the reader's words, with the limits the report used (built once per table)."""
    limits = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    return {
        "title_present": gettext("Title present"),
        "title_length": gettext("Title of %(min)s to %(max)s characters")
        % {"min": limits["title_min"], "max": limits["title_max"]},
        "title_not_all_caps": gettext("Title not all in capitals"),
        "description_present": gettext("Description present"),
        "description_length": gettext("Description of %(min)s to %(max)s characters")
        % {
            "min": formats.number_format(limits["description_min"], force_grouping=True),
            "max": formats.number_format(limits["description_max"], force_grouping=True),
        },
        "description_matches_title": gettext("Description shares key words with the title"),
        "price_positive": gettext("Price above zero"),
        "has_image": gettext("At least one image"),
        "main_image_size": gettext("Main image at least %(px)s × %(px)s pixels") % {"px": limits["image_min_px"]},
        "identifier": gettext("Identifier (GTIN, brand and MPN, or SKU)"),
        "stock_tracked": gettext("Stock tracked"),
        "in_stock": gettext("In stock"),
        "title_unique": gettext("Title not shared with another product"),
    }


def check_label(key: str, thresholds: dict | None = None) -> str:
    return check_labels(thresholds).get(key, key)


def country_name(code: str) -> str:
    if not code or code == "—":
        return gettext("Unknown")
    name = Locale.parse(babel_locale()).territories.get(code.upper())
    return name or code


# The channel values the platforms and the demo write (Shopify's ``source_name``, WooCommerce's ``created_via``,
# the file import's free text), named in the reader's language; any other value is the shop's own word, shown as is.
CHANNEL_NAMES = {
    "web": pgettext_lazy("sales channel", "Web shop"),
    "online_store": pgettext_lazy("sales channel", "Web shop"),
    "checkout": pgettext_lazy("sales channel", "Web shop"),
    "store-api": pgettext_lazy("sales channel", "Web shop"),
    "marketplace": pgettext_lazy("sales channel", "Marketplace"),
    "pos": pgettext_lazy("sales channel", "Point of sale"),
    "shopify_draft_order": pgettext_lazy("sales channel", "Draft order"),
    "admin": pgettext_lazy("sales channel", "Entered by the shop"),
    "rest-api": pgettext_lazy("sales channel", "Another application (API)"),
    "iphone": pgettext_lazy("sales channel", "Mobile app"),
    "android": pgettext_lazy("sales channel", "Mobile app"),
    "mobile_app": pgettext_lazy("sales channel", "Mobile app"),
}


def channel_name(key: str) -> str:
    """A sales channel in the reader's language: the known platform values translated, others as the shop wrote them."""
    if not key or key == "—":
        return gettext("Unknown")
    name = CHANNEL_NAMES.get(key.strip().lower())
    return str(name) if name else key


# --- the tables ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy translation
    kind: str = "text"  # text | int | money | pct | points | date | month | bool


@dataclass(frozen=True)
class Context:
    document: dict
    sme: object
    period: Period | None = None


def profit_estimated(document: dict) -> bool:
    """Whether the report's profit figures are estimates (a report stored before the flag: from its share)."""
    readiness = document["readiness"]
    return bool(readiness.get("profit_estimated", readiness["known_cost_share"] < COSTED_MIN))


def profit_label(label, document: dict) -> str:
    """A label of a profit figure, with "(estimated)" beside it when the report's profit is an estimate."""
    if profit_estimated(document):
        return gettext("%(label)s (estimated)") % {"label": label}
    return str(label)


def column_labels(table, document: dict) -> list[str]:
    """The table's column headings; the profit column says when it is estimated."""
    return [profit_label(c.label, document) if c.key == "profit" else str(c.label) for c in table.columns]


@dataclass(frozen=True)
class Table:
    key: str
    tool: str
    title: object
    filename: object  # the download's name, before the SME and the period
    columns: tuple[Column, ...]
    rows: Callable[[Context], list[dict]]
    periodic: bool = False  # follows the month picker


def _inventory_checks(ctx: Context) -> list[dict]:
    stock = ctx.document["inventory"]
    labels = check_labels(stock.get("thresholds"))
    return [
        {
            "check": labels.get(c["key"], c["key"]),
            "passed": c["passed"],
            "failed": c["failed"],
            "unknown": c["unknown"],
            "flag": "loss" if c["failed"] else "",
        }
        for c in stock["checks"]
    ]


def _inventory_fixes(ctx: Context) -> list[dict]:
    labels = check_labels(ctx.document["inventory"].get("thresholds"))
    rows = []
    for fix in ctx.document["inventory"]["fixes"]:
        failed = "; ".join(labels.get(key, key) for key in fix["failed"])
        title = fix["title"] or gettext("Product without a title (#%(id)s)") % {"id": fix["product_id"]}
        rows.append(
            {
                "product": title,
                "points": fix["points"],
                "failed": failed,
                "finding": findings.finding_fields(
                    kind="fix",
                    ref=str(fix["product_id"]),
                    title=gettext("Fix the listing of “%(product)s”") % {"product": title},
                    detail=gettext("Checks failed: %(checks)s.") % {"checks": failed},
                ),
            }
        )
    return rows


def _pct_of(ratio):
    return None if ratio is None else round(100 * ratio, 1)


def _opportunities(ctx: Context) -> list[dict]:
    rows = []
    actions = {key: str(label) for key, label in ACTIONS.items()}
    groups = {key: str(label) for key, label in GROUPS.items()}
    days = _window_days(ctx.document)
    for item in ctx.document["market"]["opportunities"]:
        action = actions.get(item["action"], item["action"])
        group = groups.get(item["group"], item["group"])
        evidence = gettext("%(orders)s orders, %(units)s units in the last %(days)s days") % {
            "orders": item["orders"],
            "units": item["units"],
            "days": days,
        }
        rows.append(
            {
                "group": group,
                "product": item["label"],
                "orders": item["orders"],
                "units": item["units"],
                "sales": item["sales"],
                "views": item["views"],
                "add_to_carts": item.get("add_to_carts"),  # reports stored before it have none
                "conversion": _pct_of(item["conversion"]),
                "sell_through": _pct_of(item["sell_through"]),
                "trend": _pct_of(item["trend"]),
                "action": action,
                "flag": item["group"],
                "finding": findings.finding_fields(
                    kind="opportunity",
                    ref=str(item["product_id"] if item["product_id"] is not None else item["label"]),
                    title=gettext("%(group)s opportunity: %(product)s") % {"group": group, "product": item["label"]},
                    detail=f"{evidence}. {action}",
                ),
            }
        )
    return rows


def _window_days(document: dict) -> int:
    market = document["market"]
    return (datetime.date.fromisoformat(market["end"]) - datetime.date.fromisoformat(market["start"])).days + 1


def _markets(dimension: str):
    def rows(ctx: Context) -> list[dict]:
        found = []
        for row in ctx.document["market"]["markets"]:
            if row["dimension"] != dimension:
                continue
            name = country_name(row["key"]) if dimension == "country" else channel_name(row["key"])
            item = {
                "market": name,
                "sales": row["sales"],
                "orders": row["orders"],
                "previous_sales": row["previous_sales"],
                "growth": row["growth_pct"],
                "share": row["share_pct"],
                "flag": "",
            }
            if dimension == "country" and row["key"] != "—":
                growth_text = (
                    gettext("no sales in the window before")
                    if row["growth_pct"] is None
                    else gettext("%(pct)s %% on the window before")
                    % {"pct": formats.number_format(row["growth_pct"], 1)}
                )
                item["finding"] = findings.finding_fields(
                    kind="market",
                    ref=row["key"],
                    title=gettext("Grow sales in %(country)s") % {"country": name},
                    detail=gettext("%(orders)s orders and %(share)s %% of sales in the last %(days)s days; %(growth)s.")
                    % {
                        "orders": row["orders"],
                        "share": formats.number_format(row["share_pct"], 1),
                        "days": _window_days(ctx.document),
                        "growth": growth_text,
                    },
                )
            found.append(item)
        return found

    return rows


def _planning_months(ctx: Context) -> list[dict]:
    chosen = set(ctx.period.months) if ctx.period else None
    return [
        {
            "month": m["month"],
            # In progress: the month of the report's date only; a first month that starts after the
            # 1st is partial, not in progress (reports stored before partial_kind: the last month).
            "partial": _partial_kind(m, ctx.document) == "current",
            "partial_first": _partial_kind(m, ctx.document) == "first",
            "orders": m["orders"],
            "sales": m["sales"],
            "variation": m["variation_pct"],
            "cost": m["cost"],
            "cost_estimated": m["cost_estimated"],
            "profit": m["profit"],
            "flag": "partial" if m["partial"] else ("loss" if m["profit"] < 0 else ""),
        }
        for m in ctx.document["planning"]["months"]
        if chosen is None or m["month"] in chosen
    ]


def _partial_kind(month: dict, document: dict) -> str | None:
    """Why a stored month is partial: "current", "first" or None (older reports: the last month is current)."""
    if not month["partial"]:
        return None
    if "partial_kind" in month:
        return month["partial_kind"]
    return "current" if month is document["planning"]["months"][-1] else "first"


def _planning_channels(ctx: Context) -> list[dict]:
    chosen = set(ctx.period.months) if ctx.period else None
    rows = [
        {"channel": channel_name(c["channel"]), "month": c["month"], "orders": c["orders"], "sales": c["sales"]}
        for c in ctx.document["planning"]["channels"]
        if chosen is None or c["month"] in chosen
    ]
    return sorted(rows, key=lambda row: (row["month"], -row["sales"], row["channel"]))


def _comparisons(ctx: Context) -> list[dict]:
    return [
        {
            "comparison": str(COMPARISONS.get(c["key"], c["key"])),
            "current_period": months_text(c["label_current"]),
            "previous_period": months_text(c["label_previous"]),
            "current": c["current"],
            "previous": c["previous"],
            "change": c["change_pct"],
            "flag": "",
        }
        for c in ctx.document["planning"]["comparisons"]
    ]


def _growth_orders(ctx: Context) -> list[dict]:
    chosen = growth_period(ctx.document, ctx.period)
    if not chosen:
        return []
    flags = {key: str(label) for key, label in FLAGS.items()}
    return [
        {
            "order": o["external_id"],
            "date": datetime.datetime.fromisoformat(o["placed_at"]).date(),
            "sales": o["sales"],
            "cost": o["cost"],
            "profit": o["profit"],
            "cost_estimated": o["cost_estimated"],
            "status": flags.get(o["flag"], ""),
            "flag": o["flag"],
        }
        for o in chosen["orders"]
    ]


def _growth_products(ctx: Context) -> list[dict]:
    chosen = growth_period(ctx.document, ctx.period)
    if not chosen:
        return []
    return [
        {
            "product": p["label"],
            "orders": p["orders"],
            "units": p["units"],
            "sales": p["sales"],
            "cost": p["cost"],
            "profit": p["profit"],
            "margin": p["margin_pct"],
            "flag": "loss" if p["profit"] < 0 else "",
        }
        for p in chosen["products"]
    ]


def target_rows(document: dict, sme) -> list[dict]:
    """The SME's targets with progress and projection, from the stored months (so a new target shows at once)."""
    months = document["planning"]["months"]
    rows = []
    for target in sme.targets.all():
        progress = target_progress(target.metric, float(target.value), target.due, months)
        rows.append(
            {
                "id": target.pk,
                "measure": str(Metric(target.metric).label),
                "metric": target.metric,
                "target": float(target.value),
                "due": target.due,
                "current": progress.current,
                "progress": progress.progress_pct,
                "projected": progress.projected,
                "on_track": progress.on_track,
                "flag": "" if progress.on_track is None else ("top" if progress.on_track else "loss"),
            }
        )
    return rows


def _targets(ctx: Context) -> list[dict]:
    return target_rows(ctx.document, ctx.sme)


TABLES: dict[str, Table] = {
    table.key: table
    for table in (
        Table(
            "inventory_checks",
            Tool.INVENTORY,
            _("Checks"),
            pgettext_lazy("file name", "inventory-checks"),
            (
                Column("check", _("Check")),
                Column("passed", pgettext_lazy("products counted", "Passed"), "int"),
                Column("failed", pgettext_lazy("products counted", "Failed"), "int"),
                Column("unknown", pgettext_lazy("products counted", "Unknown"), "int"),
            ),
            _inventory_checks,
        ),
        Table(
            "inventory_fixes",
            Tool.INVENTORY,
            _("Fix list"),
            pgettext_lazy("file name", "inventory-fix-list"),
            (
                Column("product", _("Product")),
                Column("points", _("Points lost"), "points"),
                Column("failed", _("Checks failed")),
            ),
            _inventory_fixes,
        ),
        Table(
            "market_opportunities",
            Tool.MARKET,
            _("Opportunities"),
            pgettext_lazy("file name", "opportunities"),
            (
                Column("group", _("Group")),
                Column("product", _("Product")),
                Column("orders", _("Orders"), "int"),
                Column("units", _("Units"), "int"),
                Column("sales", _("Sales"), "money"),
                Column("views", _("Views"), "int"),
                Column("add_to_carts", _("Add-to-carts"), "int"),
                Column("conversion", _("Conversion (%)"), "pct"),
                Column("sell_through", _("Sell-through (%)"), "pct"),
                Column("trend", _("Trend (%)"), "pct"),
                Column("action", _("Suggested action")),
            ),
            _opportunities,
        ),
        Table(
            "market_countries",
            Tool.MARKET,
            _("Sales per country"),
            pgettext_lazy("file name", "sales-per-country"),
            (
                Column("market", _("Country")),
                Column("sales", _("Sales"), "money"),
                Column("orders", _("Orders"), "int"),
                Column("previous_sales", _("Sales, window before"), "money"),
                Column("growth", _("Growth (%)"), "pct"),
                Column("share", _("Share of sales (%)"), "pct"),
            ),
            _markets("country"),
        ),
        Table(
            "market_channels",
            Tool.MARKET,
            _("Sales per channel"),
            pgettext_lazy("file name", "sales-per-channel"),
            (
                Column("market", _("Channel")),
                Column("sales", _("Sales"), "money"),
                Column("orders", _("Orders"), "int"),
                Column("previous_sales", _("Sales, window before"), "money"),
                Column("growth", _("Growth (%)"), "pct"),
                Column("share", _("Share of sales (%)"), "pct"),
            ),
            _markets("channel"),
        ),
        Table(
            "planning_months",
            Tool.PLANNING,
            _("Month by month"),
            pgettext_lazy("file name", "sales-and-profit-by-month"),
            (
                Column("month", _("Month"), "month"),
                Column("partial", _("Month in progress"), "bool"),
                Column("partial_first", _("Partial first month (data starts after the 1st)"), "bool"),
                Column("orders", _("Orders"), "int"),
                Column("sales", _("Sales"), "money"),
                Column("variation", _("Change on the month before (%)"), "pct"),
                Column("cost", _("Cost"), "money"),
                Column("cost_estimated", _("Cost partly estimated"), "bool"),
                Column("profit", _("Profit"), "money"),
            ),
            _planning_months,
            periodic=True,
        ),
        Table(
            "planning_channels",
            Tool.PLANNING,
            _("Sales per channel and month"),
            pgettext_lazy("file name", "sales-per-channel-by-month"),
            (
                Column("month", _("Month"), "month"),
                Column("channel", _("Channel")),
                Column("orders", _("Orders"), "int"),
                Column("sales", _("Sales"), "money"),
            ),
            _planning_channels,
            periodic=True,
        ),
        Table(
            "planning_comparisons",
            Tool.PLANNING,
            _("Comparisons"),
            pgettext_lazy("file name", "sales-comparisons"),
            (
                Column("comparison", _("Comparison")),
                Column("current_period", _("Period")),
                Column("previous_period", _("Compared with")),
                Column("current", _("Sales"), "money"),
                Column("previous", _("Sales before"), "money"),
                Column("change", _("Change (%)"), "pct"),
            ),
            _comparisons,
        ),
        Table(
            "growth_orders",
            Tool.GROWTH,
            _("Profit of each order"),
            pgettext_lazy("file name", "profit-per-order"),
            (
                Column("order", pgettext_lazy("a customer's order", "Order")),
                Column("date", _("Date"), "date"),
                Column("sales", _("Sales"), "money"),
                Column("cost", _("Cost"), "money"),
                Column("profit", _("Profit"), "money"),
                Column("cost_estimated", _("Cost estimated"), "bool"),
                Column("status", _("Stands out as")),
            ),
            _growth_orders,
            periodic=True,
        ),
        Table(
            "growth_products",
            Tool.GROWTH,
            _("Products"),
            pgettext_lazy("file name", "products"),
            (
                Column("product", _("Product")),
                Column("orders", _("Orders"), "int"),
                Column("units", _("Units"), "int"),
                Column("sales", _("Sales"), "money"),
                Column("cost", _("Cost"), "money"),
                Column("profit", _("Profit"), "money"),
                Column("margin", _("Margin (%)"), "pct"),
            ),
            _growth_products,
            periodic=True,
        ),
        Table(
            "growth_targets",
            Tool.GROWTH,
            _("Targets"),
            pgettext_lazy("file name", "targets"),
            (
                Column("measure", _("Measure")),
                Column("target", _("Target"), "number"),
                Column("due", _("By"), "date"),
                Column("current", _("Last complete month"), "number"),
                Column("progress", _("Progress (%)"), "pct"),
                Column("projected", _("Projected for that month"), "number"),
                Column("on_track", _("On track"), "bool"),
            ),
            _targets,
        ),
    )
}


def tables_of(tool: str) -> list[Table]:
    return [table for table in TABLES.values() if table.tool == tool]


def yes_no(value) -> str:
    if value is None:
        return ""
    return pgettext("yes or no", "Yes") if value else pgettext("yes or no", "No")
