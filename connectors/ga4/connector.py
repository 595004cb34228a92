"""GA4 reports as analytics records: per day and item, views, add-to-carts and purchases; per day, sessions.

One stream, ``analytics``, read as two reports one after the other:

- ``items``: dimensions ``date`` and ``itemId``; metrics ``itemsViewed``, ``itemsAddedToCart``,
  ``itemsPurchased`` (item-scoped metrics, which only go with item dimensions);
- ``sessions``: dimension ``date``; metric ``sessions`` (the shop's row, no product).

Pages use ``offset``/``limit`` in a stable order (date, then item); the cursor saved after
each page holds the report, the next offset and the date range, so a sync that dies resumes
at the first row not written. A finished run leaves ``since``: the next one reads again from
a few days before its end, as GA4 keeps processing the latest days for up to two days.

Every answer carries the property's quota (``returnPropertyQuota``). When the tokens left
this hour, this day or for this project this hour fall below ``CONNECTORS_GA4_QUOTA_RESERVE``,
the sync stops once the page is written and says so; the next sync resumes from there.

Items are matched to the SME's products (by platform id, then SKU) by the writer
(``connectors.writer.analytics_products``); the unmatched stay with their item id, counted
on the data page.
"""

from __future__ import annotations

import datetime
import json
import logging
import math
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..base import ConnectField, Connector, ConnectorError
from ..records import AnalyticsRecord, Page
from ..restapi import RequestRefused, integer, stored_credentials
from .client import GA4Client, QuotaExhausted, key_info

KEY_FILE_MAX_BYTES = 64 * 1024  # a service-account key is about 2 KB

logger = logging.getLogger(__name__)

STREAM = "analytics"
ITEM_METRICS = ("itemsViewed", "itemsAddedToCart", "itemsPurchased")
# GA4 keeps processing a day's data for up to 48 hours: the next sync reads these days again.
REREAD_DAYS = 3
# Item ids GA4 gives for events that had none: no product to match.
NO_ITEM = {"", "(not set)", "(other)"}
QUOTAS = ("tokensPerHour", "tokensPerDay", "tokensPerProjectPerHour")


def report_body(report: str, start: str, end: str, offset: int, limit: int) -> dict:
    """The ``runReport`` request of one page of ``report`` (``items`` or ``sessions``)."""
    if report == "items":
        dimensions, metrics = ["date", "itemId"], list(ITEM_METRICS)
    else:
        dimensions, metrics = ["date"], ["sessions"]
    return {
        "dateRanges": [{"startDate": start, "endDate": end}],
        "dimensions": [{"name": name} for name in dimensions],
        "metrics": [{"name": name} for name in metrics],
        "orderBys": [{"dimension": {"dimensionName": name}} for name in dimensions],
        "offset": offset,
        "limit": limit,
        "returnPropertyQuota": True,
    }


def _day(value: str) -> datetime.date:
    return datetime.datetime.strptime(value, "%Y%m%d").date()  # GA4's date dimension: YYYYMMDD


def _count(value) -> int:
    number = integer(value)
    if number is None:
        try:
            number = round(float(value))  # a metric GA4 typed as a float
        except (TypeError, ValueError):
            number = 0
    return max(0, number)


def map_rows(report: str, data: dict) -> list[AnalyticsRecord]:
    """The records of one ``runReport`` answer, by the headers' names (not their positions)."""
    dimensions = [header["name"] for header in data.get("dimensionHeaders") or []]
    metrics = [header["name"] for header in data.get("metricHeaders") or []]
    records = []
    for row in data.get("rows") or []:
        dims = dict(zip(dimensions, (v.get("value", "") for v in row.get("dimensionValues") or []), strict=False))
        values = dict(zip(metrics, (_count(v.get("value")) for v in row.get("metricValues") or []), strict=False))
        day = _day(dims["date"])
        if report == "items":
            item = (dims.get("itemId") or "").strip()
            if item in NO_ITEM:
                continue
            records.append(
                AnalyticsRecord(
                    date=day,
                    product_key=item[:100],
                    views=values.get("itemsViewed", 0),
                    add_to_carts=values.get("itemsAddedToCart", 0),
                    purchases=values.get("itemsPurchased", 0),
                )
            )
        else:
            records.append(AnalyticsRecord(date=day, sessions=values.get("sessions", 0)))
    return records


def quota_low(data: dict, reserve: int) -> str | None:
    """The name of a property quota whose remaining tokens fell below ``reserve``, if any."""
    quota = data.get("propertyQuota") or {}
    for name in QUOTAS:
        remaining = integer((quota.get(name) or {}).get("remaining"))
        if remaining is not None and remaining < reserve:
            return name
    return None


class GA4Connector(Connector):
    kind = "ga4"
    streams = (STREAM,)
    connect_fields = (
        ConnectField(
            "property",
            _("Property ID"),
            _("In Google Analytics: Admin → Property details; the number at the top right (e.g. 123456789)."),
            secret=False,
        ),
        ConnectField(
            "key",
            _("Service-account key (JSON)"),
            _(
                "In Google Cloud: IAM & Admin → Service accounts → Keys → Add key → JSON. Enable the Google "
                "Analytics Data API for the project, and add the account's e-mail as a Viewer in Google "
                "Analytics (Admin → Property access management)."
            ),
            upload=True,
        ),
    )
    url_label = ""  # no address: the property ID says which data to read

    @classmethod
    def clean_upload(cls, name: str, content: bytes) -> dict:
        """The service-account key file: bounded, UTF-8 JSON, a ``service_account`` with its e-mail and key."""
        if len(content) > KEY_FILE_MAX_BYTES:
            raise ConnectorError(
                gettext("This file is too large to be a service-account key (at most %(size)s KB).")
                % {"size": KEY_FILE_MAX_BYTES // 1024}
            )
        try:
            text = content.decode("utf-8-sig")
            json.loads(text)
        except (UnicodeDecodeError, ValueError):
            raise ConnectorError(
                gettext(
                    "This file is not JSON. Give the key file exactly as Google Cloud downloaded it (a .json file)."
                )
            ) from None
        return key_info(text)

    def __init__(self, source, *, session=None):
        super().__init__(source)
        self._session = session
        self._client: GA4Client | None = None

    @property
    def client(self) -> GA4Client:
        if self._client is None:
            property_id = (self.source.options or {}).get("property")
            key = stored_credentials(self.source).get("key")
            if not key:
                raise ConnectorError(gettext("The service-account key is missing: please give it again."))
            self._client = GA4Client(property_id=property_id, key=key, session=self._session)
        return self._client

    def check(self) -> None:
        """One tiny report (yesterday's sessions): proves the key, the access and the property."""
        yesterday = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
        data = self.client.run_report(report_body("sessions", yesterday, yesterday, 0, 1))
        if "rowCount" not in data and "metricHeaders" not in data and "rows" not in data:
            raise self.client.unexpected_answer()

    def pages(self, stream: str, cursor: dict | None) -> Iterator[Page]:
        cursor = cursor or {}
        limit = max(1, settings.CONNECTORS_GA4_PAGE_ROWS)
        today = timezone.now().date()
        if cursor.get("report") in ("items", "sessions") and cursor.get("start") and cursor.get("end"):
            report, offset = cursor["report"], max(0, integer(cursor.get("offset")) or 0)
            start, end = cursor["start"], cursor["end"]
        else:
            since = cursor.get("since")
            first = today - datetime.timedelta(days=settings.CONNECTORS_GA4_FIRST_DAYS)
            start = since if since else first.isoformat()
            end, report, offset = today.isoformat(), "items", 0
        days = (datetime.date.fromisoformat(end) - datetime.date.fromisoformat(start)).days + 1
        session_pages = math.ceil(max(days, 1) / limit)
        done = 0
        resuming = offset > 0
        while True:
            try:
                data = self.client.run_report(report_body(report, start, end, offset, limit))
            except RequestRefused:
                if not resuming:
                    raise
                # The saved offset no longer fits the report: read this range again (written rows are
                # counted unchanged).
                logger.info("GA4 property %s: saved offset refused, reading the range again", self.client.property_id)
                report, offset, resuming = "items", 0, False
                continue
            resuming = False
            try:
                records = map_rows(report, data)
            except (KeyError, TypeError, ValueError, AttributeError):
                logger.exception("GA4 property %s: a %s row has an unexpected shape", self.client.property_id, report)
                raise self.client.unexpected_answer() from None
            rows = len(data.get("rows") or [])
            total = integer(data.get("rowCount")) or 0
            offset += rows
            more = rows > 0 and offset < total
            if more:
                after = {"report": report, "offset": offset, "start": start, "end": end}
            elif report == "items":
                after = {"report": "sessions", "offset": 0, "start": start, "end": end}
            else:
                reread = datetime.date.fromisoformat(end) - datetime.timedelta(days=REREAD_DAYS)
                after = {"since": max(reread, datetime.date.fromisoformat(start)).isoformat()}
            done += 1
            left = math.ceil(max(total - offset, 0) / limit) + (session_pages if report == "items" else 0)
            yield Page(stream=STREAM, records=records, cursor=after, pages_expected=done + left)
            if "since" in after:
                return
            low = quota_low(data, settings.CONNECTORS_GA4_QUOTA_RESERVE)
            if low:
                logger.info("GA4 property %s: %s nearly used, stopping", self.client.property_id, low)
                raise QuotaExhausted(
                    gettext(
                        "Google Analytics' quota for property %(property)s is nearly used up, so the sync stopped "
                        "to leave some for the property's other users. The next sync resumes where it stopped."
                    )
                    % {"property": self.client.property_id}
                )
            report, offset = after["report"], after["offset"]
