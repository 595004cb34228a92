"""Shopify bulk operations: a long history read in one asynchronous query and its JSONL file.

A first sync (no saved cursor), or one whose saved starting point is older than
``CONNECTORS_SHOPIFY_BULK_AFTER_DAYS``, asks Shopify to run the stream's query in the background
(``bulkOperationRunQuery``), polls the operation (``node(id:)``) until it is ``COMPLETED``, then
downloads the JSONL file at its ``url``. In that file every object is one line; the nodes of a
nested connection are lines of their own carrying their parent's id in ``__parentId``, after
their parent but not necessarily next to it, so the file is read whole before records are made.

Shopify allows five connections and two levels of nesting in a bulk query. Orders take three
(orders, line items, shipping lines); their refunds, whose lines, adjustments and transactions
are connections too, are read for the refunded orders only, with the paged query's fields
(``nodes(ids:)``), so their money goes through exactly the same mapping. Products take four
(products, media, variants, a variant's media).

Resumable: the operation's id is saved in the stream's cursor before it is waited for, so a sync
that dies meanwhile picks up the same operation; the number of top-level objects written is saved
with every page, so a resumed sync downloads the file again and goes on after them. An operation
that failed, was cancelled or expired, or whose file is no longer served, is started again; a
download cut short is made again. Orders updated while the operation ran are read by the next
incremental sync, which starts (with the usual overlap) from when the operation was created.
"""

from __future__ import annotations

import datetime
import json
import logging
import tempfile
import time
from collections.abc import Iterator

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from .. import http
from ..base import ConnectorError
from ..records import Page
from ..restapi import AccessRefused, next_since
from .graphql import MONEY, ORDER_FIELDS, ORDERS_PER_PAGE

logger = logging.getLogger(__name__)

RECORDS_PER_PAGE = 250  # top-level objects written per page (one transaction each)
DOWNLOAD_TRIES = 3
RESTARTS = 2  # operations started again within one sync after a failed or expired one
HEARTBEAT_POLLS = 12  # while waiting, the run's lease is renewed (and the cursor saved) every so many polls
DONE = "COMPLETED"
GONE = {"FAILED", "CANCELED", "CANCELING", "EXPIRED"}

BULK_ORDER_FIELDS = f"""
  id legacyResourceId createdAt updatedAt cancelledAt
  displayFinancialStatus displayFulfillmentStatus
  currencyCode presentmentCurrencyCode taxesIncluded sourceName
  shippingAddress {{ countryCodeV2 }} billingAddress {{ countryCodeV2 }}
  totalTaxSet {{ {MONEY} }} totalDiscountsSet {{ {MONEY} }} subtotalPriceSet {{ {MONEY} }}
  totalPriceSet {{ {MONEY} }} currentTotalAdditionalFeesSet {{ {MONEY} }}
  lineItems {{ edges {{ node {{
    id quantity sku name variant {{ legacyResourceId }}
    originalUnitPriceSet {{ {MONEY} }}
    discountAllocations {{ allocatedAmountSet {{ {MONEY} }} }}
    taxLines {{ rate priceSet {{ {MONEY} }} }}
  }} }} }}
  shippingLines {{ edges {{ node {{
    id originalPriceSet {{ {MONEY} }} taxLines {{ rate priceSet {{ {MONEY} }} }}
  }} }} }}
  refunds {{ id }}
"""
BULK_PRODUCT_FIELDS = """
  id legacyResourceId title descriptionHtml vendor productType status updatedAt
  media { edges { node { id ... on MediaImage { image { url width height } } } } }
  variants { edges { node {
    id legacyResourceId title sku price barcode inventoryQuantity
    media { edges { node { id } } }
    inventoryItem { legacyResourceId tracked unitCost { amount currencyCode } }
  } } }
"""
BULK_FIELDS = {"orders": BULK_ORDER_FIELDS, "products": BULK_PRODUCT_FIELDS}
# Which connection of its parent a nested line belongs to, by the two objects' types.
CHILDREN = {
    ("Order", "LineItem"): "lineItems",
    ("Order", "ShippingLine"): "shippingLines",
    ("Product", "ProductVariant"): "variants",
    ("ProductVariant", None): "media",
    ("Product", None): "media",  # MediaImage, Video, ExternalVideo, Model3d
}
PARENT_TYPES = {"Order", "Product", "ProductVariant"}

RUN = (
    "mutation Bulk($query: String!) { bulkOperationRunQuery(query: $query) {"
    " bulkOperation { id status createdAt } userErrors { field message code } } }"
)
POLL = (
    "query BulkStatus($id: ID!) { node(id: $id) { ... on BulkOperation {"
    " id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl } } }"
)
REFUNDED = f"query Refunded($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on Order {{ {ORDER_FIELDS} }} }} }}"


class DownloadGone(Exception):
    """The operation's file is no longer served (its address expires seven days after completion)."""


def wanted(cursor: dict) -> bool:
    """Whether this stream's sync reads by bulk operation: one is under way, or a first or long-overdue sync."""
    if cursor.get("bulk"):
        return True
    if not getattr(settings, "CONNECTORS_SHOPIFY_BULK", True) or cursor.get("after"):
        return False
    since = cursor.get("since")
    if not since:
        return True
    try:
        moment = datetime.datetime.fromisoformat(since)
    except ValueError:
        return True
    days = getattr(settings, "CONNECTORS_SHOPIFY_BULK_AFTER_DAYS", 90)
    return timezone.now() - moment > datetime.timedelta(days=days)


def bulk_query(stream: str, since: str | None) -> str:
    filters = f"(query: \"updated_at:>='{since}'\")" if since else ""
    return f"{{ {stream}{filters} {{ edges {{ node {{ {BULK_FIELDS[stream]} }} }} }} }}"


def _type(gid: str | None) -> str:
    """The object type in a global id (``gid://shopify/LineItem/1`` → ``LineItem``)."""
    parts = str(gid or "").split("/")
    return parts[3] if len(parts) > 4 else ""


def assemble(lines: Iterator[str]) -> list[dict]:
    """The JSONL file's top-level objects, in the file's order, each with its nested connections as
    ``{"nodes": [...]}`` (the shape of the paged answers)."""
    roots: list[dict] = []
    parents: dict[str, dict] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item = json.loads(line)
        if not isinstance(item, dict):
            raise ValueError(f"line {number}: not an object")
        parent_id = item.pop("__parentId", None)
        kind = _type(item.get("id"))
        if kind in PARENT_TYPES:
            parents[item["id"]] = item
        if parent_id is None:
            roots.append(item)
            continue
        parent = parents.get(parent_id)
        if parent is None:
            raise ValueError(f"line {number}: its parent comes nowhere before it")
        parent_kind = _type(parent_id)
        name = CHILDREN.get((parent_kind, kind)) or CHILDREN.get((parent_kind, None))
        if name is None:
            logger.info("Shopify bulk file: a %s under a %s ignored", kind, parent_kind)
            continue
        connection = parent.get(name)
        if not isinstance(connection, dict) or "nodes" not in connection:
            connection = parent[name] = {"nodes": []}
        connection["nodes"].append(item)
    return roots


class BulkReader:
    """Runs, waits for and reads one stream's bulk operation for ``ShopifyGraphQLConnector.pages``."""

    def __init__(self, connector, stream: str):
        self.connector = connector
        self.client = connector.client
        self.stream = stream
        self.sleep = connector._sleep or time.sleep
        self.clock = time.monotonic

    def pages(self, cursor: dict) -> Iterator[Page]:
        since = cursor.get("since")
        state = dict(cursor.get("bulk") or {})
        for _attempt in range(RESTARTS + 1):
            if not state.get("id"):
                state = self.start(since)
                # The operation's id is saved before it is waited for: a sync that dies picks it up again.
                yield Page(stream=self.stream, records=[], cursor={"bulk": state, "since": since})
            operation = yield from self.wait(state, since)
            if operation is None or operation.get("status") in GONE:
                status = (operation or {}).get("status") or "MISSING"
                if (operation or {}).get("errorCode") == "ACCESS_DENIED":
                    raise AccessRefused(self.client.refused_message())
                logger.warning("Shopify at %s: bulk operation %s, starting another", self.client.address, status)
                state = {}
                continue
            try:
                roots = self.download(operation)
            except DownloadGone:
                logger.warning("Shopify at %s: bulk file no longer served, starting another", self.client.address)
                state = {}
                continue
            yield from self.write(roots, state, since)
            return
        raise ConnectorError(
            gettext(
                "Shopify could not prepare the shop's history (its bulk operation failed several times). "
                "The next sync will try again."
            )
        )

    def start(self, since: str | None) -> dict:
        data, response = self.client.query(RUN, {"query": bulk_query(self.stream, since)})
        payload = data.get("bulkOperationRunQuery") or {}
        errors = payload.get("userErrors") or []
        operation = payload.get("bulkOperation") or {}
        if errors or not operation.get("id"):
            logger.warning("Shopify at %s: bulk operation refused: %s", self.client.address, errors)
            raise ConnectorError(
                gettext("Shopify refused to prepare the shop's history (%(reason)s). The next sync will try again.")
                % {"reason": "; ".join(str(e.get("message") or e.get("code") or "") for e in errors) or "?"}
            )
        created = operation.get("createdAt")
        started = datetime.datetime.fromisoformat(created) if created else None
        if started is None or started.tzinfo is None:
            from ..restapi import server_time

            started = server_time(response)
        logger.info("Shopify at %s: bulk operation %s started", self.client.address, operation["id"])
        return {"id": operation["id"], "started_at": started.astimezone(datetime.UTC).isoformat(), "done": 0}

    def wait(self, state: dict, since: str | None):
        """Poll until the operation ends (``None`` if Shopify no longer knows it); yields heartbeat pages."""
        deadline = self.clock() + getattr(settings, "CONNECTORS_SHOPIFY_BULK_WAIT_SECONDS", 6 * 3600)
        polls = 0
        while True:
            data, _response = self.client.query(POLL, {"id": state["id"]})
            operation = data.get("node")
            if not isinstance(operation, dict) or not operation.get("status"):
                return None
            if operation["status"] == DONE or operation["status"] in GONE:
                return operation
            if self.clock() > deadline:
                raise ConnectorError(
                    gettext("Shopify is still preparing the shop's history. The next sync will pick it up where it is.")
                )
            polls += 1
            if polls % HEARTBEAT_POLLS == 0:
                yield Page(stream=self.stream, records=[], cursor={"bulk": state, "since": since})
            self.sleep(getattr(settings, "CONNECTORS_SHOPIFY_BULK_POLL_SECONDS", 5))

    def download(self, operation: dict) -> list[dict]:
        """The file's top-level objects; a download cut short is made again, up to ``DOWNLOAD_TRIES`` times."""
        url = operation.get("url")
        if not url:
            return []  # Shopify gives no file when the query matched nothing
        expected = operation.get("fileSize")
        session = http.session()  # no access token: the file is at a signed address of its own
        for attempt in range(1, DOWNLOAD_TRIES + 1):
            try:
                with tempfile.TemporaryFile() as spool:
                    with session.get(url, stream=True, timeout=settings.CONNECTORS_HTTP_TIMEOUT) as response:
                        if response.status_code in (403, 404, 410):
                            raise DownloadGone
                        response.raise_for_status()
                        for chunk in response.iter_content(chunk_size=1 << 16):
                            spool.write(chunk)
                    size = spool.tell()
                    if expected not in (None, "") and int(expected) != size:
                        raise ValueError(f"{size} bytes of {expected}")
                    spool.seek(0)
                    return assemble(line.decode("utf-8") for line in spool)
            except DownloadGone:
                raise
            except (requests.RequestException, ValueError, UnicodeDecodeError) as error:
                logger.warning(
                    "Shopify at %s: bulk file download %s of %s failed (%s)",
                    self.client.address,
                    attempt,
                    DOWNLOAD_TRIES,
                    type(error).__name__,
                )
        raise ConnectorError(
            gettext("The shop's history could not be downloaded whole from Shopify. The next sync will try again.")
        )

    def write(self, roots: list[dict], state: dict, since: str | None) -> Iterator[Page]:
        done = int(state.get("done") or 0)
        final = {"since": next_since(state["started_at"])}
        if done >= len(roots):
            yield Page(stream=self.stream, records=[], cursor=final)
            return
        while done < len(roots):
            chunk = roots[done : done + RECORDS_PER_PAGE]
            if self.stream == "orders":
                chunk = self.with_refunds(chunk)
            done += len(chunk)
            after = final if done >= len(roots) else {"bulk": {**state, "done": done}, "since": since}
            records = self.connector._records(self.stream, chunk)
            yield Page(stream=self.stream, records=records, cursor=after, pages_expected=None)

    def with_refunds(self, orders: list[dict]) -> list[dict]:
        """The orders, those with refunds read again whole (the refunds' connections are not in the file)."""
        refunded = [order["id"] for order in orders if order.get("refunds")]
        full = {}
        for start in range(0, len(refunded), ORDERS_PER_PAGE):
            data, _response = self.client.query(REFUNDED, {"ids": refunded[start : start + ORDERS_PER_PAGE]})
            for node in data.get("nodes") or []:
                if isinstance(node, dict) and node.get("id"):
                    full[node["id"]] = node
        return [full.get(order["id"], order) for order in orders]
