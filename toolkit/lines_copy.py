"""The SME's order lines for its report, from a columnar copy kept beside them (``LinesCopy``).

Reading an SME's order lines is most of its report's time and memory (docs/decisions/
0018-leaner-report.md): hundreds of thousands of wide rows, each with two texts. The copy holds
the same columns as one value: the numbers as arrays, each text column as a dictionary of its
distinct values and one small integer per line. With it the report reads:

* the SME's orders' ``updated_at`` (one small column), against the ones the copy was made from;
* from the order lines, only the lines of orders added or changed since: the writer
  (``connectors.writer.write_orders``) replaces an order's lines only together with its
  ``updated_at``, and removes a removed order's lines with it (cascade);
* nothing for products removed since: their lines' product is then null (``SET_NULL``), which
  ``lines_frame`` applies from the products the report has read.

The times are compared for equality, order by order (not "changed after the copy"): a write
committed while the copy was made, whatever its clock, shows as a difference and is read again.
The copy is written back only when something changed, and only for SMEs with at least
``TOOLKIT_LINES_COPY_MIN_LINES`` lines (below that, reading the rows costs little).

The frame is the one ``selectors.lines_frame`` gives (same columns, types and order:
``tests/toolkit/test_lines_copy.py``), so the report is the same, byte for byte.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import psycopg
from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL

from connectors.models import Order, OrderLine
from journey.models import SME

from . import selectors
from .models import LinesCopy

NULL = selectors.NULL_INT  # a null product id in the copy's integer column
NUMBERS = ["id", "order_id", "product_id", "quantity", "unit_price", "unit_cost"]
TEXTS = selectors.LINE_TEXT
DELTAS = {"id", "order_id"}  # stored as the step from the line before (the lines in the order of their ids)
# More orders changed than this since the copy: all the lines are read again (one statement).
MOST_CHANGED = 10_000


def _minimum() -> int:
    return getattr(settings, "TOOLKIT_LINES_COPY_MIN_LINES", 50_000)


def order_versions(sme: SME) -> tuple[np.ndarray, np.ndarray]:
    """The SME's order ids and their ``updated_at`` in microseconds since 1970 (UTC)."""
    frame = selectors._raw_frame(Order.objects.filter(sme=sme).order_by(), ["id", "updated_at"], [], [])
    if frame.empty:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    times = pd.to_datetime(frame["updated_at"], utc=True, format="ISO8601").dt.as_unit("us")
    return frame["id"].to_numpy(dtype=np.int64), times.dt.tz_localize(None).to_numpy().view(np.int64)


def _columns(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """A lines frame as the copy's arrays: integers (a null product as ``NULL``), floats, text as objects."""
    columns = {}
    for name in NUMBERS:
        values = frame[name]
        if name == "product_id":
            columns[name] = values.fillna(NULL).to_numpy(dtype=np.int64) if len(values) else np.empty(0, np.int64)
        elif name in ("id", "order_id", "quantity"):
            columns[name] = values.to_numpy(dtype=np.int64) if len(values) else np.empty(0, np.int64)
        else:
            columns[name] = values.to_numpy(dtype=float) if len(values) else np.empty(0, float)
    for name in TEXTS:
        columns[name] = frame[name].to_numpy(dtype=object) if len(frame) else np.empty(0, dtype=object)
    return columns


def _smallest(codes: np.ndarray) -> np.ndarray:
    """The codes (0 ≤ code) in the narrowest unsigned integers that hold them."""
    top = int(codes.max()) if len(codes) else 0
    for kind in (np.uint8, np.uint16, np.uint32):
        if top <= np.iinfo(kind).max:
            return codes.astype(kind)
    return codes.astype(np.int64)


def encode(columns: dict[str, np.ndarray], version_ids: np.ndarray, version_times: np.ndarray) -> bytes:
    """The copy's value: numpy's ``.npz`` of each column as a dictionary of its distinct values and
    one narrow code per line (ids and order ids as the step from the line before, mostly 1 and 0).
    A few megabytes for half a million lines: read and unpacked in a few tens of milliseconds."""
    arrays = {}
    for name in [*NUMBERS, *TEXTS]:
        values = columns[name]
        if name in DELTAS:
            values = np.diff(values, prepend=np.int64(0))
        codes, words = pd.factorize(values, use_na_sentinel=False)
        arrays[f"{name}_codes"] = _smallest(codes)
        if name in TEXTS:
            arrays[f"{name}_words"] = np.frombuffer(json.dumps(list(words)).encode(), dtype=np.uint8)
        else:
            arrays[f"{name}_words"] = np.asarray(words, dtype=values.dtype)
    arrays["version_ids"], arrays["version_times"] = version_ids, version_times
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


def decode(data: bytes) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """The arrays of ``encode``: the lines' columns, then the order ids and times they were copied at."""
    columns = {}
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        for name in [*NUMBERS, *TEXTS]:
            words = stored[f"{name}_words"]
            if name in TEXTS:
                words = np.array(json.loads(words.tobytes()), dtype=object)
            values = words[stored[f"{name}_codes"]] if len(words) else words[:0]
            columns[name] = np.cumsum(values) if name in DELTAS else values
        return columns, stored["version_ids"], stored["version_times"]


def _read(sme: SME) -> bytes | None:
    """The SME's copy, fetched in binary on PostgreSQL (Django's text protocol doubles it as hex)."""
    copies = LinesCopy.objects.filter(sme=sme).values_list("data", flat=True)
    if connection.vendor != "postgresql":
        data = copies.first()
        return None if data is None else bytes(data)
    sql, params = copies.query.sql_with_params()
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        row = cursor.execute(connection.ops.compose_sql(sql, params), binary=True).fetchone()
    return None if row is None else bytes(row[0])


def _lines_of_orders(ids: np.ndarray) -> pd.DataFrame:
    """The lines of the orders ``ids``, as ``selectors.lines_frame`` reads them."""
    if connection.vendor == "postgresql":
        lines = OrderLine.objects.filter(selectors._any("order_id", RawSQL("%s::bigint[]", (ids.tolist(),))))
    else:
        lines = OrderLine.objects.filter(order_id__in=ids.tolist())
    frame = selectors._raw_frame(lines.order_by(), selectors.LINE_COLUMNS, selectors.LINE_MONEY, selectors.LINE_TEXT)
    return frame.sort_values("id", kind="stable", ignore_index=True)


def _frame(columns: dict[str, np.ndarray], product_ids: np.ndarray | None) -> pd.DataFrame:
    """The copy's arrays as ``selectors.lines_frame``'s frame, in the order of the lines' ids."""
    ids = columns["id"]
    order = None if len(ids) < 2 or bool((ids[1:] > ids[:-1]).all()) else np.argsort(ids, kind="stable")
    data = {}
    for name in selectors.LINE_COLUMNS:
        values = columns[name] if order is None else columns[name][order]
        if name in TEXTS:
            data[name] = pd.array(values, dtype="str")
        elif name == "product_id":
            nulls = values == NULL
            if product_ids is not None:  # a product removed since: its lines' product is now null
                nulls |= ~np.isin(values, product_ids)
            if nulls.any():
                values = values.astype(float)
                values[nulls] = np.nan
            data[name] = values
        else:
            data[name] = values
    return pd.DataFrame(data, columns=selectors.LINE_COLUMNS)


def lines_frame(sme: SME, *, product_ids: np.ndarray | None = None) -> pd.DataFrame:
    """The SME's order lines (``selectors.lines_frame``'s frame), from its copy brought up to date.

    ``product_ids``: the SME's products now (the ids of ``selectors.products_frame``); a line
    of the copy whose product is not among them has none (removed since). Without them, the
    products are read here.
    """
    version_ids, version_times = order_versions(sme)
    data = _read(sme)
    columns = None
    if data is not None:
        columns, copied_ids, copied_times = decode(data)
        at = pd.Index(copied_ids).get_indexer(version_ids)
        same = at >= 0
        same[same] = copied_times[at[same]] == version_times[same]
        stale = version_ids[~same]
        keep = np.isin(columns["order_id"], version_ids[same])
        if len(stale) > MOST_CHANGED:
            columns = None
        elif len(stale) or not keep.all():
            fresh = _columns(_lines_of_orders(stale)) if len(stale) else None
            merged = {
                name: np.concatenate([values[keep], fresh[name]]) if fresh else values[keep]
                for name, values in columns.items()
            }
            order = np.argsort(merged["id"], kind="stable")
            columns = {name: values[order] for name, values in merged.items()}
            data = None  # to be written back
    if columns is not None and len(columns["id"]) >= _minimum():
        if data is None:
            value = encode(columns, version_ids, version_times)
            LinesCopy.objects.update_or_create(sme=sme, defaults={"data": value, "lines": len(columns["id"])})
        if product_ids is None:
            product_ids = np.asarray(sme.products.values_list("pk", flat=True), dtype=np.int64)
        return _frame(columns, product_ids)
    # No copy, too many changes, or too few lines to keep one: the rows, read as they are.
    frame = selectors.lines_frame(sme)
    if len(frame) >= _minimum():
        value = encode(_columns(frame), version_ids, version_times)
        LinesCopy.objects.update_or_create(sme=sme, defaults={"data": value, "lines": len(frame)})
    elif columns is not None or data is not None:
        LinesCopy.objects.filter(sme=sme).delete()
    return frame


__all__ = ["decode", "encode", "lines_frame", "order_versions"]
