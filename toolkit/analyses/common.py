"""Pieces the analyses share: valuing order lines the same way everywhere.

Speed (see ``bench/toolkit_report.py``): an SME's lines can number in the hundreds of
thousands while its orders are twenty times fewer and its days a few hundred. So the
calendar (local day and month) is worked out once per distinct day and spread to the
orders and lines by position, never formatted row by row, and each line finds its order by
position in one ``get_indexer`` rather than a join.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

VALUED_COLUMNS = ("value", "cost", "estimated", "placed_at", "day", "month", "customer_country", "channel")
_ADDED_ORDER = ("value", "cost", "estimated", "placed_at", "customer_country", "channel", "day", "month", "day_number")


def local_calendar(placed_at: pd.Series, time_zone: str) -> tuple[np.ndarray, pd.Series, np.ndarray]:
    """For each moment: its local date (``datetime.date``, NaT when unknown), its month ("YYYY-MM", NaN
    when unknown) and its local day number (days since 1970-01-01; -1 when unknown)."""
    local = pd.to_datetime(placed_at, utc=True).dt.tz_convert(time_zone)
    wall = local.dt.tz_localize(None).to_numpy(dtype="datetime64[D]")
    known = ~np.isnat(wall)
    number = np.where(known, wall.astype("int64"), -1)
    uniques, codes = np.unique(number, return_inverse=True)
    first = pd.DatetimeIndex(uniques.astype("datetime64[D]"))
    days = np.asarray(first.date, dtype=object)
    months = np.asarray(first.strftime("%Y-%m"), dtype=object)
    if not known.all():
        days[uniques == -1] = pd.NaT
        months[uniques == -1] = np.nan
    month = pd.Series(months[codes], index=placed_at.index, dtype="str")
    return days[codes], month, number


def valued_lines(
    orders: pd.DataFrame,
    lines: pd.DataFrame,
    *,
    time_zone: str,
    margin: float,
    line_columns: list[str] | None = None,
    valued_columns: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """The lines of non-cancelled orders with value, cost (estimated from the margin when unknown) and local day.

    Columns added: ``value`` (quantity × unit price), ``cost``, ``estimated``, ``placed_at``,
    ``day`` (local date), ``month`` ("YYYY-MM"), ``customer_country``, ``channel``, and
    ``day_number`` (the local day as a number, for fast date windows). ``line_columns``: the
    columns of ``lines`` to keep (default: all; ``order_id``, ``quantity``, ``unit_price`` and
    ``unit_cost`` are always read). ``valued_columns``: only these of the added columns
    (default: all; each costs a pass over the lines).
    """
    added = (*VALUED_COLUMNS, "day_number") if valued_columns is None else tuple(valued_columns)
    live = orders[orders["status"] != "cancelled"]
    position = pd.Index(live["id"]).get_indexer(lines["order_id"]) if len(lines) else np.empty(0, dtype=np.intp)
    keep = position >= 0
    if line_columns is not None:
        lines = lines[list(dict.fromkeys(["order_id", "quantity", "unit_price", "unit_cost", *line_columns]))]
    if not keep.any():
        items = lines[keep].copy()
        for column in added:
            items[column] = pd.Series(dtype=object)
        return items
    # Built in one go from its columns: adding them one by one copies the frame each time.
    if keep.all():  # every line (the usual case): the columns as they are, copied only if written to
        index, where = lines.index, position
        columns = {name: lines[name] for name in lines.columns}
    else:  # a few lines (an order window) taken by position, most of them by mask
        chosen = np.flatnonzero(keep) if keep.sum() < len(keep) // 4 else keep
        index, where = lines.index[chosen], position[chosen]
        columns = {name: lines[name].array[chosen] for name in lines.columns}
    quantity = _floats(columns["quantity"])
    value = quantity * _floats(columns["unit_price"])
    unit_cost = _floats(columns["unit_cost"])
    known = ~np.isnan(unit_cost)
    derived = {"value": value, "cost": np.where(known, quantity * unit_cost, value * (1 - margin)), "estimated": ~known}
    for name in ("placed_at", "customer_country", "channel"):
        if name in added:
            derived[name] = live[name].array.take(where) if name in live.columns else ""
    if {"day", "month", "day_number"} & set(added):
        days, month, number = local_calendar(live["placed_at"], time_zone)
        derived.update(day=days[where], month=month.array.take(where), day_number=number[where])
    columns.update((name, derived[name]) for name in _ADDED_ORDER if name in added)
    return pd.DataFrame(columns, index=index, copy=False)  # new arrays, and the lines' own copied on write


def dated_refunds(ids, refunds: pd.DataFrame | None, *, time_zone: str, margin: float) -> dict[str, np.ndarray]:
    """The refunds of the orders ``ids`` (the live orders' ids; other refunds count for nothing), as arrays:
    ``at`` (the order's position in ``ids``), ``day`` (local day number made), ``amount`` and ``tax``,
    ``restocked`` (the cost of the goods that went back into stock: no longer a cost of the month
    made; from the margin where a line's cost is unknown) and ``estimated`` (that cost estimated)."""
    if refunds is None or not len(refunds):
        empty = np.empty(0)
        return {"at": np.empty(0, dtype=np.intp), "day": np.empty(0, dtype=np.int64), "amount": empty, "tax": empty,
                "restocked": empty, "estimated": np.empty(0, dtype=bool)}  # fmt: skip
    at = pd.Index(ids).get_indexer(refunds["order_id"])
    mine = at >= 0
    day = local_calendar(refunds["refunded_at"][mine], time_zone)[2] if mine.any() else np.empty(0, dtype=np.int64)

    def column(name: str) -> np.ndarray:
        if name not in refunds.columns:
            return np.zeros(int(mine.sum()))
        return np.nan_to_num(np.asarray(refunds[name].to_numpy(), dtype=float)[mine])

    uncosted = column("restocked_uncosted")
    return {
        "at": at[mine],
        "day": day,
        "amount": np.asarray(refunds["amount"].to_numpy(), dtype=float)[mine],
        "tax": np.asarray(refunds["tax"].to_numpy(), dtype=float)[mine],
        "restocked": column("restocked_cost") + uncosted * (1 - margin),
        "estimated": uncosted != 0,
    }


def _floats(values) -> np.ndarray:
    """As floats (NaN where missing)."""
    if isinstance(values, np.ndarray) and values.dtype == np.float64:
        return values
    return pd.Series(values, copy=False).astype(float).to_numpy()


def orders_around(orders: pd.DataFrame, first: datetime.date, last: datetime.date) -> pd.DataFrame:
    """The orders placed from two days before ``first`` to two days after ``last`` (UTC): every order of
    those local days in any time zone, so that only their lines are read (the caller keeps the
    exact local days)."""
    if orders.empty:
        return orders
    placed = pd.to_datetime(orders["placed_at"], utc=True)
    low = pd.Timestamp(first - datetime.timedelta(days=2), tz="UTC")
    high = pd.Timestamp(last + datetime.timedelta(days=3), tz="UTC")
    return orders[(placed >= low) & (placed < high)]
