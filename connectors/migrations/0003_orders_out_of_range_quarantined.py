"""Remove the orders whose date no source may give (before CONNECTORS_EARLIEST_DATE or days ahead).

Before dates were checked (issue 14), a file could store an order placed in year 1 or 9999:
on PostgreSQL such a value cannot even be read back (0001-01-01T00:30+01:00 is year 0 in
UTC), and every page reading the SME's orders failed. A data migration rather than a
defensive read path: every reader of ``placed_at`` (portal, data page, admin, toolkit) would
need its own guard, while no legitimate order is outside the range. Each removed order is
named, with the date it had, in a failed run on its source's data page, so the SME can
import it again with its right date. Rows are found and removed in SQL, never loaded as
models (loading them is what fails).
"""

import datetime

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.translation import gettext

CHUNK = 500


def quarantine(apps, schema_editor):
    Order = apps.get_model("connectors", "Order")
    OrderLine = apps.get_model("connectors", "OrderLine")
    SyncRun = apps.get_model("connectors", "SyncRun")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    adapt = connection.ops.adapt_datetimefield_value
    now = timezone.now()
    earliest = datetime.datetime.combine(settings.CONNECTORS_EARLIEST_DATE, datetime.time(), datetime.UTC)
    latest = now + datetime.timedelta(days=settings.CONNECTORS_DAYS_AHEAD)
    orders = quote(Order._meta.db_table)
    placed_at = quote(Order._meta.get_field("placed_at").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('id')}, {quote('source_id')}, {quote('external_id')}, CAST({placed_at} AS TEXT) "  # noqa: S608 (our own names)
            f"FROM {orders} WHERE {placed_at} < %s OR {placed_at} > %s",
            [adapt(earliest), adapt(latest)],
        )
        found = cursor.fetchall()
    if not found:
        return
    reason = gettext("The date must be between %(earliest)s and %(latest)s.") % {
        "earliest": earliest.date().isoformat(),
        "latest": latest.date().isoformat(),
    }
    by_source: dict[int, list[dict]] = {}
    for _, source_id, external_id, date in found:
        by_source.setdefault(source_id, []).append(
            {
                "stream": "orders",
                "reason": gettext("Order %(id)s had the date %(date)s and was removed: %(reason)s")
                % {"id": external_id, "date": date, "reason": reason},
            }
        )
    ids = [row[0] for row in found]
    lines = quote(OrderLine._meta.db_table)
    order_id = quote(OrderLine._meta.get_field("order").column)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {lines} WHERE {order_id} IN ({marks})", chunk)  # noqa: S608
            cursor.execute(f"DELETE FROM {orders} WHERE {quote('id')} IN ({marks})", chunk)  # noqa: S608
    for source_id, errors in by_source.items():
        SyncRun.objects.create(
            source_id=source_id, trigger="command", status="failed", stream="orders", finished_at=now, errors=errors
        )


class Migration(migrations.Migration):
    dependencies = [
        ("connectors", "0002_orderline_order_index_dropped"),
    ]

    operations = [
        migrations.RunPython(quarantine, migrations.RunPython.noop),
    ]
