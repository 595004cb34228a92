"""A local Shopify GraphQL Admin API on 127.0.0.1, answering in the documented shapes.

``POST /admin/api/{version}/graphql.json`` with ``{"query", "variables"}``: ``shop`` with
``currentAppInstallation.accessScopes``, and ``orders`` / ``products`` connections (``first``,
``after``, ``query: "updated_at:>='…'"``, ``sortKey: UPDATED_AT``) with ``pageInfo``. Every
answer carries ``extensions.cost`` (``requestedQueryCost``, ``actualQueryCost``,
``throttleStatus``) from a leaky bucket the test controls; a query that costs more than the
bucket holds is refused with the ``THROTTLED`` error code, as Shopify does.

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
