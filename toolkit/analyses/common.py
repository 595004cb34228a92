"""Pieces the analyses share: valuing order lines the same way everywhere."""

from __future__ import annotations

import numpy as np
import pandas as pd


def valued_lines(orders: pd.DataFrame, lines: pd.DataFrame, *, time_zone: str, margin: float) -> pd.DataFrame:
    """The lines of non-cancelled orders with value, cost (estimated from the margin when unknown) and local day.

    Columns added: ``value`` (quantity × unit price), ``cost``, ``estimated``, ``placed_at``,
    ``day`` (local date), ``month`` ("YYYY-MM"), ``customer_country``, ``channel``.
    """
    live = orders[orders["status"] != "cancelled"]
    items = lines[lines["order_id"].isin(live["id"])].copy()
    if items.empty:
        for column in ("value", "cost", "estimated", "placed_at", "day", "month", "customer_country", "channel"):
            items[column] = pd.Series(dtype=object)
        return items
    items["value"] = items["quantity"].astype(float) * items["unit_price"].astype(float)
    known = items["unit_cost"].notna()
    items["cost"] = np.where(known, items["quantity"].astype(float) * items["unit_cost"], items["value"] * (1 - margin))
    items["estimated"] = ~known
    columns = [c for c in ("placed_at", "customer_country", "channel") if c in live.columns]
    context = live.set_index("id")[columns]
    items = items.join(context, on="order_id")
    local = pd.to_datetime(items["placed_at"], utc=True).dt.tz_convert(time_zone)
    items["day"] = local.dt.date
    items["month"] = local.dt.strftime("%Y-%m")
    for column in ("customer_country", "channel"):
        if column not in items.columns:
            items[column] = ""
    return items
