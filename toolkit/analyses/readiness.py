"""Data readiness: is there enough of the SME's data to trust what the tools say?

Every tool shows it first and refuses to over-claim on thin data (DESIGN.md, "Data
readiness"): under one month of orders the analyses say the data is insufficient; one to
three months is usable but thin; three months or more is good.

Cost is a dimension of its own: with unit costs known for under half the order lines
(``COSTED_MIN``), every profit figure is "estimated" (built on the SME's default margin) and
says so beside it, whatever the level.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pandas as pd

INSUFFICIENT, THIN, GOOD = "insufficient", "thin", "good"
# A month of data, in days, for the levels (the calendar average).
DAYS_PER_MONTH = 30.44
# Under this share of order lines with a known unit cost, profit figures are estimates.
COSTED_MIN = 0.5


@dataclass(frozen=True)
class Readiness:
    level: str  # insufficient | thin | good
    months: float  # months between the first and the last order
    first_order: datetime.datetime | None
    last_order: datetime.datetime | None
    orders: int
    lines: int
    known_cost_share: float  # 0–1: the share of order lines whose unit cost is known
    has_views: bool
    profit_estimated: bool = True  # under COSTED_MIN of the lines costed: profit is an estimate

    @property
    def profit_reliable(self) -> bool:
        """Profit figures can be relied on: enough data, and costs known for most lines."""
        return self.level == GOOD and not self.profit_estimated

    @property
    def usable(self) -> bool:
        return self.level != INSUFFICIENT


def readiness(orders: pd.DataFrame, lines: pd.DataFrame, analytics: pd.DataFrame) -> Readiness:
    """Readiness from the order, line and analytics frames.

    ``orders`` has ``placed_at``; ``lines`` has ``unit_cost`` (NaN when unknown);
    ``analytics`` has ``views``. Empty frames give ``insufficient``, never an error.
    """
    if orders.empty:
        first = last = None
        months = 0.0
    else:
        first = orders["placed_at"].min().to_pydatetime()
        last = orders["placed_at"].max().to_pydatetime()
        months = (last - first).total_seconds() / 86400 / DAYS_PER_MONTH
    level = INSUFFICIENT if months < 1 else THIN if months < 3 else GOOD
    known = float(lines["unit_cost"].notna().mean()) if not lines.empty else 0.0
    has_views = bool(not analytics.empty and analytics["views"].fillna(0).sum() > 0)
    return Readiness(
        level=level,
        months=round(months, 2),
        first_order=first,
        last_order=last,
        orders=len(orders),
        lines=len(lines),
        known_cost_share=round(known, 4),
        has_views=has_views,
        profit_estimated=known < COSTED_MIN,
    )
