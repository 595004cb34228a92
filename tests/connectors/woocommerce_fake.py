"""A WooCommerce REST API v3 for the tests: listings sorted by id, read by ``offset``, with ``X-WP-Total``.

The records are the REST API v3 documentation's samples (fixtures/woocommerce_v3_*.json, from
woocommerce/woocommerce-rest-api-docs, Apache-2.0, WOOCOMMERCE_DOCS_LICENSE.txt). The same fake
answers through ``responses`` (``FakeWooCommerce(mock, pages)``: the connector's unit tests) or on
a real socket (``FakeWooCommerce(None, pages)`` served by ``loopback.loopback_server``, with
``headers_seen=fake.headers_seen``: the browser tests).
"""

from __future__ import annotations

import base64
import copy
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import responses

FIXTURES = Path(__file__).parent / "fixtures"
SHOP = "https://www.my-shop.fr"
API = f"{SHOP}/wp-json/wc/v3/"
KEY = "ck_0123456789abcdef0123456789abcdef01234567"
SECRET = "cs_76543210fedcba9876543210fedcba9876543210"
SERVER_DATE = "Mon, 23 Nov 2026 10:00:00 GMT"


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text())


def order_pages() -> list[list[dict]]:
    """Three pages: the two sample orders, then two more built from them (one with a fee, one cancelled)."""
    first, second = fixture("woocommerce_v3_orders_list.json")
    third = copy.deepcopy(first)
    third.update(id=730, status="on-hold", discount_total="2.50", shipping={"country": ""})
    third["fee_lines"] = [{"id": 400, "name": "Gift wrap", "total": "3.00"}, {"id": 401, "total": "1.25"}]
    fourth = copy.deepcopy(second)
    fourth.update(id=731, status="cancelled", refunds=[])
    return [[first], [second], [third, fourth]]


def sample_pages() -> dict[str, list[list[dict]]]:
    """The documentation's products, and ``order_pages()``."""
    return {"products": [fixture("woocommerce_v3_products_list.json")], "orders": order_pages()}


class FakeWooCommerce:
    """Answers like WooCommerce's REST API: a listing sorted by id, read by ``offset``; records the queries.

    ``pages`` gives each resource's records (in any order; the listing is sorted by id).
    ``failures[(resource, n)]`` is a list of statuses (or exceptions) served before the n-th
    page of that resource (1-based, counting the pages served). On a socket, a request without
    this key and secret gets WooCommerce's 401 (``woocommerce_rest_cannot_view``).
    """

    def __init__(self, mock: responses.RequestsMock | None, pages: dict[str, list[list[dict]]]):
        self.pages = pages
        self.failures: dict[tuple[str, int], list] = {}
        self.queries: dict[str, list[dict]] = {}
        self.served: dict[str, int] = {}
        self.auth: list[str | None] = []
        self.headers_seen: list[dict] = []
        self.key, self.secret = KEY, SECRET
        if mock is not None:
            mock.add_callback(responses.GET, re.compile(re.escape(API) + r"\w+"), callback=self)

    def listing(self, resource: str) -> list[dict]:
        return sorted((item for page in self.pages.get(resource) or [] for item in page), key=lambda item: item["id"])

    def __call__(self, request):
        return self.answer(request.url, request.headers.get("Authorization"))

    def answer(self, url: str, authorization: str | None) -> tuple[int, dict, str]:
        resource = urlsplit(url).path.rsplit("/", 1)[-1]
        params = dict(parse_qsl(urlsplit(url).query))
        self.queries.setdefault(resource, []).append(params)
        self.auth.append(authorization)
        pending = self.failures.get((resource, self.served.get(resource, 0) + 1))
        if pending:
            failure = pending.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return failure, {"Retry-After": "1"}, json.dumps({"code": "error", "message": "Try again"})
        self.served[resource] = self.served.get(resource, 0) + 1
        listing = self.listing(resource)
        per_page = int(params.get("per_page", 10))
        offset = int(params.get("offset", 0))
        headers = {
            "Date": SERVER_DATE,
            "X-WP-Total": str(len(listing)),
            "X-WP-TotalPages": str(-(-len(listing) // per_page)),
        }
        return 200, headers, json.dumps(listing[offset : offset + per_page])

    def serve(self, index: int, path: str) -> tuple[int, dict, bytes]:
        """The answer on a socket (``loopback.Script``): the key and secret are checked first."""
        authorization = (self.headers_seen[-1] if self.headers_seen else {}).get("Authorization")
        expected = "Basic " + base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()
        if authorization != expected:
            refused = {"code": "woocommerce_rest_cannot_view", "message": "Sorry, you cannot list resources.",
                       "data": {"status": 401}}  # fmt: skip
            return 401, {}, json.dumps(refused).encode()
        status, headers, body = self.answer(path, authorization)
        return status, headers, body.encode()
