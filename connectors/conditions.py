"""What the connectors app tells the journey: is there enough order data to plan?"""

from __future__ import annotations

from django.db.models import Max, Min
from django.utils.translation import gettext, ngettext

from journey.models import SME

from .models import Order

MIN_DAYS_OF_ORDERS = 30


def order_data_days(sme: SME) -> int:
    """Days between the SME's first and last order, across its sources (0 with fewer than two days of orders)."""
    span = Order.objects.filter(sme=sme).aggregate(first=Min("placed_at"), last=Max("placed_at"))
    if span["first"] is None:
        return 0
    return (span["last"] - span["first"]).days


def enough_order_data(sme: SME) -> str | None:
    """The data collection → planning condition: at least 30 days between the first and last order."""
    if not Order.objects.filter(sme=sme).exists():
        return gettext("No order data yet: connect the shop or upload an orders file.")
    days = order_data_days(sme)
    if days < MIN_DAYS_OF_ORDERS:
        return ngettext(
            "Only %(days)d day of order data — at least %(needed)d are needed.",
            "Only %(days)d days of order data — at least %(needed)d are needed.",
            days,
        ) % {"days": days, "needed": MIN_DAYS_OF_ORDERS}
    return None
