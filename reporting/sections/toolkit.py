"""The toolkit's figures for the quarterly reviews: data readiness and tools open, as of a date.

Readiness as of a date uses only the orders placed before it from sources connected
before it, with the same levels as the live analysis (``analyses.readiness``).
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Max, Min
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from connectors.models import Order
from reporting import programme as reporting
from toolkit.analyses.readiness import DAYS_PER_MONTH, GOOD, INSUFFICIENT, THIN
from toolkit.models import ALWAYS_OPEN, Tool, ToolAccess

LEVELS = [(INSUFFICIENT, _("Insufficient: less than a month of orders")), (THIN, _("Thin: one to three months")),
          (GOOD, _("Good: three months or more"))]  # fmt: skip


def level(first, last) -> str:
    months = (last - first).total_seconds() / 86400 / DAYS_PER_MONTH if first and last else 0.0
    return INSUFFICIENT if months < 1 else THIN if months < 3 else GOOD


def toolkit_tables(scope: reporting.Scope) -> list[reporting.Table]:
    enrolled = reporting.enrolled_by_end(scope)
    levels: dict[str, Counter] = {key: Counter() for key, _label in LEVELS}
    opened: dict[str, Counter] = {tool.value: Counter() for tool in Tool}
    for launchpad in scope.launchpads:
        as_of = scope.as_of(launchpad)
        ids = [sme_id for sme_id, code in enrolled.items() if code == launchpad.code]
        spans = dict.fromkeys(ids, (None, None))
        orders = Order.objects.filter(sme_id__in=ids, placed_at__lt=as_of, source__created_at__lt=as_of)
        for row in orders.values("sme_id").annotate(first=Min("placed_at"), last=Max("placed_at")):
            spans[row["sme_id"]] = (row["first"], row["last"])
        for first, last in spans.values():
            levels[level(first, last)][launchpad.code] += 1
        access = ToolAccess.objects.filter(sme_id__in=ids, opened_at__lt=as_of)
        for tool, count in Counter(access.values_list("tool", flat=True)).items():
            opened[tool][launchpad.code] += count
        for tool in ALWAYS_OPEN:
            opened[tool][launchpad.code] = len(ids)
    return [
        reporting.Table(
            key="readiness",
            title=gettext("Enrolled SMEs per data-readiness level"),
            rows=[reporting.counts_row(scope, key, label, levels[key]) for key, label in LEVELS],
            note=gettext("From the orders placed before the date, from sources connected before it."),
        ),
        reporting.Table(
            key="tools_open",
            title=gettext("Enrolled SMEs with each toolkit tool open"),
            rows=[reporting.counts_row(scope, tool.value, tool.label, opened[tool.value]) for tool in Tool],
        ),
    ]
