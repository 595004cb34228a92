"""A local Shopify GraphQL Admin API on 127.0.0.1, answering in the documented shapes.

``POST /admin/api/{version}/graphql.json`` with ``{"query", "variables"}``: ``shop`` with
``currentAppInstallation.accessScopes``, and ``orders`` / ``products`` connections (``first``,
``after``, ``query: "updated_at:>='…'"``, ``sortKey: UPDATED_AT``) with ``pageInfo``. Every
answer carries ``extensions.cost`` (``requestedQueryCost``, ``actualQueryCost``,
``throttleStatus``) from a leaky bucket the test controls; a query that costs more than the
bucket holds is refused with the ``THROTTLED`` error code, as Shopify does.

Bulk operations: ``bulkOperationRunQuery`` creates an operation over ``orders`` or ``products``
(with the query's ``updated_at:>=`` filter); ``node(id:)`` answers its status, ``RUNNING`` for
``bulk_polls`` polls then ``COMPLETED`` with the ``url`` and ``fileSize`` of its JSONL file, served
by ``GET /bulk/<n>.jsonl``: one line per object, nested connections' nodes on lines of their own
with ``__parentId``, after every top-level line (Shopify only promises "after the parent").
``bulk_outcomes``: statuses the next operations end with instead (``FAILED``, ``EXPIRED``, …);
``expired_files``: operation numbers whose file answers 403, as an expired signed address does;
``download_faults``: callables ``(n, number) -> bytes | None`` giving the body to send instead
(``n`` 0-based over downloads), sent with the full file's ``Content-Length``: a cut-off transfer.
``nodes(ids:)`` answers the orders asked for, whole.

``faults``: callables ``(n, root) -> (status, headers, body) | None`` tried on each request
(``n`` 0-based over all requests, ``root`` ``shop``/``orders``/``products``).
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "2026-10"


def root_of(query: str) -> str:
    if "webhookSubscriptionCreate" in query:
        return "webhookSubscriptionCreate"
    if "bulkOperationRunQuery" in query:
        return "bulkOperationRunQuery"
    if "node(id:" in query:
        return "node"
    if "nodes(ids:" in query:
        return "nodes"
    return "shop" if "shop {" in query else ("orders" if "orders(" in query else "products")


def cursor_of(index: int) -> str:
    return f"eyJsYXN0X2lkIjo{index}"


@dataclass
class FakeShopifyGraphQL:
    token: str = "shpat_local"
    orders: list = field(default_factory=list)
    products: list = field(default_factory=list)
    scopes: tuple = ("read_products", "read_orders", "read_all_orders", "read_inventory")
    currency: str = "GBP"
    cost: int = 50  # the requested cost of every page
    available: float = 2000.0
    restore_rate: float = 100.0
    faults: list = field(default_factory=list)
    seen: list = field(default_factory=list)  # (root, variables)
    count: int = 0
    base_url: str = ""
    bulk_polls: int = 1
    bulk_ops: list = field(default_factory=list)  # dicts: root, since, polls, status, created
    bulk_outcomes: list = field(default_factory=list)
    expired_files: set = field(default_factory=set)
    download_faults: list = field(default_factory=list)
    downloads: int = 0

    def _filtered(self, root: str, since: str | None) -> list:
        nodes = sorted(getattr(self, root), key=lambda node: (node["updatedAt"], node["legacyResourceId"]))
        return [node for node in nodes if not since or node["updatedAt"] >= since]

    def jsonl(self, number: int) -> bytes:
        """The operation's file: top-level lines first, then every nested node with its ``__parentId``."""
        op = self.bulk_ops[number]
        tops, children = [], []
        for node in self._filtered(op["root"], op["since"]):
            node = json.loads(json.dumps(node))
            if op["root"] == "orders":
                for line in (node.pop("lineItems", None) or {}).get("nodes", []):
                    children.append({**line, "__parentId": node["id"]})
                for index, line in enumerate((node.pop("shippingLines", None) or {}).get("nodes", [])):
                    line = {"id": f"gid://shopify/ShippingLine/{node['legacyResourceId']}{index}", **line}
                    children.append({**line, "__parentId": node["id"]})
                node["refunds"] = [{"id": refund["id"]} for refund in node.get("refunds") or []]
            else:
                for media in (node.pop("media", None) or {}).get("nodes", []):
                    children.append({**media, "__parentId": node["id"]})
                for variant in (node.pop("variants", None) or {}).get("nodes", []):
                    variant_id = f"gid://shopify/ProductVariant/{variant['legacyResourceId']}"
                    media = (variant.pop("media", None) or {}).get("nodes", [])
                    children.append({"id": variant_id, **variant, "__parentId": node["id"]})
                    children += [{**m, "__parentId": variant_id} for m in media]
            tops.append(node)
        return b"".join(json.dumps(line).encode() + b"\n" for line in tops + children)

    def bulk(self, root: str, variables: dict) -> dict:
        if root == "bulkOperationRunQuery":
            inner = variables.get("query") or ""
            since = re.search(r"updated_at:>='([^']+)'", inner)
            running = [op for op in self.bulk_ops if op["status"] in ("CREATED", "RUNNING")]
            if running:
                errors = [{"field": None, "message": "A bulk query operation for this app and shop is already "
                           "in progress", "code": "OPERATION_IN_PROGRESS"}]  # fmt: skip
                return {root: {"bulkOperation": None, "userErrors": errors}}
            number = len(self.bulk_ops)
            self.bulk_ops.append(
                {
                    "root": "orders" if re.match(r"\{\s*orders", inner) else "products",
                    "since": since.group(1) if since else None,
                    "polls": 0,
                    "status": "CREATED",
                    "created": f"2026-12-0{1 + number % 9}T10:00:00Z",
                    "outcome": self.bulk_outcomes.pop(0) if self.bulk_outcomes else "COMPLETED",
                }
            )
            created = self.bulk_ops[-1]["created"]
            op = {"id": f"gid://shopify/BulkOperation/{number}", "status": "CREATED", "createdAt": created}
            return {root: {"bulkOperation": op, "userErrors": []}}
        if root == "nodes":
            orders = {node["id"]: node for node in self.orders}
            return {"nodes": [orders.get(gid) for gid in variables.get("ids") or []]}
        found = re.fullmatch(r"gid://shopify/BulkOperation/(\d+)", variables.get("id") or "")
        if not found or int(found.group(1)) >= len(self.bulk_ops):
            return {"node": None}
        number = int(found.group(1))
        op = self.bulk_ops[number]
        op["polls"] += 1
        if op["status"] in ("CREATED", "RUNNING"):
            op["status"] = "RUNNING" if op["polls"] <= self.bulk_polls else op["outcome"]
        node = {"id": variables["id"], "status": op["status"], "createdAt": op["created"], "errorCode": None,
                "url": None, "fileSize": None, "partialDataUrl": None}  # fmt: skip
        if op["status"] == "FAILED":
            node["errorCode"] = "INTERNAL_SERVER_ERROR"
        if op["status"] == "COMPLETED":
            body = self.jsonl(number)
            node["objectCount"] = str(body.count(b"\n"))
            if body:
                node.update(url=f"{self.base_url}/bulk/{number}.jsonl?signature=local", fileSize=str(len(body)))
        return {"node": node}

    def answer(self, body: dict, token: str) -> tuple[int, dict, bytes]:
        if token != self.token:
            return (
                401,
                {},
                json.dumps(
                    {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}
                ).encode(),
            )
        query, variables = body.get("query", ""), body.get("variables") or {}
        root = root_of(query)
        self.seen.append((root, variables))
        cost = 2 if root == "shop" else self.cost
        throttle = {"maximumAvailable": 2000.0, "currentlyAvailable": self.available, "restoreRate": self.restore_rate}
        if cost > self.available:
            extensions = {"cost": {"requestedQueryCost": cost, "actualQueryCost": None, "throttleStatus": throttle}}
            self.available = min(2000.0, self.available + self.restore_rate)  # the time the client waits
            errors = [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}]
            return 200, {}, json.dumps({"errors": errors, "extensions": extensions}).encode()
        self.available -= cost
        throttle["currentlyAvailable"] = self.available
        extensions = {"cost": {"requestedQueryCost": cost, "actualQueryCost": cost, "throttleStatus": throttle}}
        if root == "webhookSubscriptionCreate":
            created = {"webhookSubscription": {"id": f"gid://shopify/WebhookSubscription/{len(self.seen)}"}}
            data = {root: {**created, "userErrors": []}}
            return 200, {}, json.dumps({"data": data, "extensions": extensions}).encode()
        if root in ("bulkOperationRunQuery", "node", "nodes"):
            return 200, {}, json.dumps({"data": self.bulk(root, variables), "extensions": extensions}).encode()
        if root == "shop":
            data = {
                "shop": {"name": "Local mugs", "currencyCode": self.currency},
                "currentAppInstallation": {"accessScopes": [{"handle": scope} for scope in self.scopes]},
            }
            return 200, {}, json.dumps({"data": data, "extensions": extensions}).encode()
        nodes = sorted(getattr(self, root), key=lambda node: (node["updatedAt"], node["legacyResourceId"]))
        since = re.search(r"updated_at:>='([^']+)'", variables.get("query") or "")
        if since:
            nodes = [node for node in nodes if node["updatedAt"] >= since.group(1)]
        start = 0
        if variables.get("after"):
            found = re.fullmatch(r"eyJsYXN0X2lkIjo(\d+)", variables["after"])
            if not found:
                errors = [{"message": "Invalid cursor for current pagination", "locations": [], "path": [root]}]
                return 200, {}, json.dumps({"errors": errors, "data": None}).encode()
            start = int(found.group(1))
        page = nodes[start : start + int(variables["first"])]
        end = start + len(page)
        connection = {
            "pageInfo": {"hasNextPage": end < len(nodes), "endCursor": cursor_of(end) if page else None},
            "nodes": page,
        }
        return 200, {}, json.dumps({"data": {root: connection}, "extensions": extensions}).encode()


@contextlib.contextmanager
def shopify_server(shop: FakeShopifyGraphQL) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            found = re.fullmatch(r"/bulk/(\d+)\.jsonl\?signature=local", self.path)
            number = int(found.group(1)) if found else -1
            if number < 0 or number >= len(shop.bulk_ops) or number in shop.expired_files:
                body = b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"
                self.send_response(403)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            body = shop.jsonl(number)
            n = shop.downloads
            shop.downloads += 1
            sent = next((b for b in (fault(n, number) for fault in shop.download_faults) if b is not None), body)
            self.send_response(200)
            self.send_header("Content-Type", "application/jsonl")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(sent)
            self.close_connection = True

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            n = shop.count
            shop.count += 1
            if self.path != f"/admin/api/{VERSION}/graphql.json":
                answer = (404, {}, b'{"errors": "Not Found"}')
            else:
                body = json.loads(raw)
                root = root_of(body.get("query", ""))
                answer = next((a for a in (fault(n, root) for fault in shop.faults) if a is not None), None)
                if answer is None:
                    answer = shop.answer(body, self.headers.get("X-Shopify-Access-Token", ""))
            status, headers, payload = answer
            self.send_response(status)
            for name, value in {"Content-Type": "application/json; charset=utf-8", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
