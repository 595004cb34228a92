"""A connector that serves pages scripted by the test: the sync engine without a shop."""

import datetime
from decimal import Decimal

from connectors.base import Connector, ConnectorError
from connectors.records import OrderRecord, Page

from .factories import OrderLineRecordFactory, OrderRecordFactory


def scripted_order(n: int, *, day: int = 1, sku: str = "MUG-1", quantity: int = 2, price: str = "9.50") -> OrderRecord:
    """Order ``#n`` of 2026-03-``day``, one line (two mugs by default)."""
    return OrderRecordFactory(
        external_id=f"#{n}",
        placed_at=datetime.datetime(2026, 3, day, 12, 0, tzinfo=datetime.UTC),
        lines=[OrderLineRecordFactory(sku=sku, quantity=quantity, unit_price=Decimal(price))],
    )


class ScriptedConnector(Connector):
    """Serves ``SCRIPT`` page by page; ``FAIL_AT`` makes one page raise, once."""

    kind = "scripted"
    streams = ("products", "orders")
    SCRIPT: dict = {}
    FAIL_AT: tuple | None = None
    CHECK_ERROR: str | None = None
    seen_cursors: list = []

    def check(self):
        if self.CHECK_ERROR:
            raise ConnectorError(self.CHECK_ERROR)

    def pages(self, stream, cursor):
        type(self).seen_cursors.append((stream, cursor))
        start = cursor["next"] if cursor else 0
        pages = self.SCRIPT.get(stream, [])
        for index in range(start, len(pages)):
            if self.FAIL_AT == (stream, index):
                type(self).FAIL_AT = None
                raise ConnectionError("the shop went away")
            yield Page(
                stream=stream, records=pages[index], cursor={"next": index + 1}, pages_expected=len(pages) - start
            )
