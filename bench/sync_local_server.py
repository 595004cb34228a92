"""Benchmark: a real shop sync (WooCommerce, PrestaShop, Magento, Squarespace, Shopify) from a server on 127.0.0.1.

    .venv/bin/python bench/sync_local_server.py [--platform woocommerce|prestashop|magento|squarespace|shopify-graphql]
        [--orders 100000] [--postgres] [--resync] [--profile]

``--platform prestashop`` serves the PrestaShop webservice instead (``/api/orders`` with
``display=full``, ``filter[id]`` and ``limit``, each order with its ``order_rows``, and the
customers, addresses and order slips the connector asks for with each page).
``--platform magento`` serves Magento 2's REST API (``/rest/V1/orders`` and ``products`` with
``searchCriteria``: ``entity_id gt``, ``updated_at gteq``, ``pageSize``; each page of orders'
credit memos, each page of products' MSI source items), orders with their ``base_*`` amounts.

``--platform squarespace`` serves the Squarespace Commerce APIs (``/1.0/commerce/orders`` by
``cursor``, 50 orders a page as Squarespace's, ``/v2/commerce/products`` and the inventory of
each page's variants; an incremental run's ``modifiedAfter``/``modifiedBefore`` window finds
nothing changed).

``--platform shopify-graphql`` serves Shopify's GraphQL Admin API (2026-10): the first sync
runs a bulk operation (``bulkOperationRunQuery``, ``node(id:)`` answering ``COMPLETED``, then
the JSONL file with ``__parentId`` lines, and ``nodes(ids:)`` for the refunded orders, 1 in 12),
as ``connectors.shopify.bulk`` does for a first sync; the references read the same orders with
the paged ``orders(first:, after:)`` query (250 a page, no cost throttling).

A thread serves WooCommerce-shaped pages generated on the fly (100 orders a page by ``offset``
or ``page``, with ``X-WP-Total`` and ``X-WP-TotalPages``, HTTP/1.1 keep-alive); ``connectors.sync.source_sync``
reads them through the real connector, HTTP session (urllib3 Retry, timeouts) and writer
into a scratch SQLite database in a temporary folder, and with ``--postgres`` also into a
scratch PostgreSQL database (created, then dropped) at ``--postgres-url``. The dev
``db.sqlite3`` is never touched.

Time spent inside the server's handler (building and sending pages) is measured and
subtracted, so the figures are the client's own. Beside the sync, the same run measures
two references on the same server: fetching and JSON-decoding every page, and the
connector's pages (fetch, decode, map to records) without writing. Target: >= 2,000
orders/s for the sync. ``--profile`` prints where the sync's time goes (cProfile).

Only loopback traffic; the order count is bounded (at most 1,000,000).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime
import io
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PER_PAGE = 100
TARGET = 2000
COUNTRIES = ["GB", "FR", "DE", "IE", "BE", "ES", "IT", "NL", "US"]
STATUSES = ["completed"] * 8 + ["processing", "refunded", "cancelled", "on-hold"]


# The server


def product(n: int) -> dict:
    return {
        "id": n,
        "name": f"Product {n}",
        "slug": f"product-{n}",
        "type": "simple",
        "status": "publish",
        "description": f"<p>Handmade product number {n}, packed in the UK.</p>",
        "sku": f"SKU-{n:05d}",
        "price": f"{5 + n % 50}.50",
        "regular_price": f"{5 + n % 50}.50",
        "manage_stock": True,
        "stock_quantity": n % 40,
        "categories": [{"id": 9, "name": "Gifts", "slug": "gifts"}],
        "images": [{"id": n, "src": f"https://shop.example/wp-content/uploads/p{n}.jpg", "name": "", "alt": ""}],
        "date_modified_gmt": "2025-06-01T10:00:00",
    }


def order(n: int, products: int) -> dict:
    """A WooCommerce order shaped like the REST API v3 documentation's sample (about 2 KB of JSON)."""
    rng = random.Random(n)  # noqa: S311 (made-up test data, not security)
    country = rng.choice(COUNTRIES)
    address = {
        "first_name": "Alex",
        "last_name": f"Customer {n % 9973}",
        "company": "",
        "address_1": f"{n % 300} High Street",
        "address_2": "",
        "city": "Bristol",
        "state": "",
        "postcode": "BS1 4DJ",
        "country": country,
    }
    lines = []
    for k in range(rng.randint(1, 3)):
        pid = rng.randint(1, products)
        quantity = rng.randint(1, 4)
        price = 5 + pid % 50 + 0.5
        lines.append(
            {
                "id": n * 10 + k,
                "name": f"Product {pid}",
                "product_id": pid,
                "variation_id": 0,
                "quantity": quantity,
                "tax_class": "",
                "subtotal": f"{price * quantity:.2f}",
                "subtotal_tax": "0.00",
                "total": f"{price * quantity:.2f}",
                "total_tax": "0.00",
                "taxes": [],
                "meta_data": [],
                "sku": f"SKU-{pid:05d}",
                "price": price,
            }
        )
    day = 1 + n % 28
    status = rng.choice(STATUSES)
    return {
        "id": n,
        "parent_id": 0,
        "number": str(n),
        "order_key": f"wc_order_{n:012x}",
        "created_via": rng.choice(["checkout", "checkout", "admin", "rest-api"]),
        "version": "9.4.0",
        "status": status,
        "currency": "GBP",
        "date_created": f"2025-{1 + n % 12:02d}-{day:02d}T10:{n % 60:02d}:00",
        "date_created_gmt": f"2025-{1 + n % 12:02d}-{day:02d}T10:{n % 60:02d}:00",
        "date_modified": "2025-12-31T10:00:00",
        "date_modified_gmt": "2025-12-31T10:00:00",
        "discount_total": "1.00" if n % 7 == 0 else "0.00",
        "discount_tax": "0.00",
        "shipping_total": "4.95",
        "shipping_tax": "0.00",
        "cart_tax": "0.00",
        "total": "0.00",
        "total_tax": "0.00",
        "prices_include_tax": False,
        "customer_id": n % 5000,
        "customer_ip_address": "",
        "customer_user_agent": "",
        "customer_note": "",
        "billing": {**address, "email": f"customer{n % 9973}@example.com", "phone": ""},
        "shipping": address,
        "payment_method": "bacs",
        "payment_method_title": "Direct bank transfer",
        "transaction_id": "",
        "date_paid": None,
        "date_paid_gmt": None,
        "date_completed": None,
        "date_completed_gmt": None,
        "cart_hash": "",
        "meta_data": [{"id": n, "key": "_order_stock_reduced", "value": "yes"}],
        "line_items": lines,
        "tax_lines": [],
        "shipping_lines": [
            {"id": n * 10 + 9, "method_title": "Flat rate", "method_id": "flat_rate", "total": "4.95", "taxes": []}
        ],
        "fee_lines": [],
        "coupon_lines": [],
        "refunds": [{"id": n, "reason": "", "total": "-5.00"}] if status == "refunded" else [],
        "_links": {"self": [{"href": f"https://shop.example/wp-json/wc/v3/orders/{n}"}]},
    }


def refund(n: int) -> dict:
    """Order n's refund as its refunds endpoint lists it (WooCommerce REST v3), a part refund."""
    return {
        "id": n,
        "date_created": "2025-12-31T10:00:00",
        "date_created_gmt": "2025-12-31T10:00:00",
        "amount": "5.00",
        "reason": "",
        "refunded_by": 1,
        "refunded_payment": False,
        "meta_data": [],
        "line_items": [],
        "shipping_lines": [],
        "tax_lines": [],
        "fee_lines": [],
    }


class LocalShop:
    """WooCommerce-shaped listings on 127.0.0.1, timing its own handler."""

    def __init__(self, *, orders: int, products: int):
        self.totals = {"orders": orders, "products": products}
        self.server_seconds = 0.0
        self.requests = 0
        self.lock = threading.Lock()
        shop = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real shop behind a web server
            # Else a small answer waits for the client's delayed ACK (Nagle): 40 ms a request.
            disable_nagle_algorithm = True

            def do_GET(self):
                # The server's own time is building the page; sending it is the transfer the
                # client waits for with any shop (and, past the socket buffer, the client reading).
                started = time.perf_counter()
                status, headers, body = shop.answer(self.path)
                with shop.lock:
                    shop.server_seconds += time.perf_counter() - started
                    shop.requests += 1
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                started = time.perf_counter()
                status, headers, body = shop.answer_post(self.path, raw)
                with shop.lock:
                    shop.server_seconds += time.perf_counter() - started
                    shop.requests += 1
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def answer(self, path: str) -> tuple[int, dict, bytes]:
        parts = urlsplit(path)
        params = dict(parse_qsl(parts.query))
        resource = parts.path.rstrip("/").rsplit("/", 1)[-1]
        if resource == "refunds" and parts.path.startswith("/wp-json/wc/v3/orders/"):
            # An order's refunds endpoint, read for each refunded order (1 in 12 here).
            return (
                200,
                {"Content-Type": "application/json; charset=UTF-8"},
                json.dumps([refund(int(parts.path.rstrip("/").split("/")[-2]))]).encode(),
            )
        if not parts.path.startswith("/wp-json/wc/v3/") or resource not in self.totals:
            return 404, {"Content-Type": "application/json"}, b'{"code": "rest_no_route"}'
        total = 0 if "modified_after" in params else self.totals[resource]  # nothing changed since
        per_page = min(int(params.get("per_page", 10)), 100)
        # WooCommerce's ``offset`` (what the connector sends) wins over ``page``, as in WordPress.
        first = int(params["offset"]) + 1 if "offset" in params else (int(params.get("page", 1)) - 1) * per_page + 1
        ids = range(first, min(first + per_page, total + 1))
        if resource == "orders":
            items = [order(n, self.totals["products"]) for n in ids]
        else:
            items = [product(n) for n in ids]
        headers = {
            "Content-Type": "application/json; charset=UTF-8",
            "X-WP-Total": str(total),
            "X-WP-TotalPages": str(-(-total // per_page)),
        }
        return 200, headers, json.dumps(items).encode()

    def answer_post(self, path: str, raw: bytes) -> tuple[int, dict, bytes]:
        return 405, {"Content-Type": "application/json"}, b'{"errors": "Method Not Allowed"}'

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def reset_clock(self) -> None:
        with self.lock:
            self.server_seconds = 0.0
            self.requests = 0


def ps_order(n: int, products: int) -> dict:
    """A PrestaShop order as the webservice gives it with ``display=full`` (1.7: every value a string)."""
    rng = random.Random(n)  # noqa: S311 (made-up test data, not security)
    rows, total = [], 0.0
    for line in range(1 + n % 3):
        product_id = 1 + (n * 7 + line) % products
        quantity = 1 + (n + line) % 4
        price = 5 + product_id % 50 + 0.5
        total += price * quantity
        rows.append(
            {
                "id": str(n * 3 + line),
                "product_id": str(product_id),
                "product_attribute_id": "0",
                "product_quantity": str(quantity),
                "product_name": f"Product {product_id}",
                "product_reference": f"SKU-{product_id:05d}",
                "product_ean13": "",
                "product_isbn": "",
                "product_upc": "",
                "product_price": f"{price:.6f}",
                "id_customization": "0",
                "unit_price_tax_incl": f"{price * 1.2:.6f}",
                "unit_price_tax_excl": f"{price:.6f}",
            }
        )
    customer = 1 + n % 1000
    state = rng.choice(["5"] * 8 + ["2", "7", "6", "1"])
    return {
        "id": str(n), "id_address_delivery": str(customer), "id_address_invoice": str(customer), "id_cart": str(n),
        "id_currency": "1", "id_lang": "1", "id_customer": str(customer), "id_carrier": "2",
        "current_state": state, "module": "ps_checkout", "invoice_number": str(n),
        "invoice_date": "2025-06-01 10:05:00", "delivery_number": str(n), "delivery_date": "2025-06-02 10:00:00",
        "valid": "1", "date_add": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d} 10:00:00",
        "date_upd": "2025-06-02 10:00:00", "shipping_number": "", "id_shop_group": "1", "id_shop": "1",
        "secure_key": "0123456789abcdef0123456789abcdef", "payment": "PrestaShop Checkout", "recyclable": "0",
        "gift": "0", "gift_message": "", "mobile_theme": "0", "total_discounts": "0.000000",
        "total_discounts_tax_incl": "0.000000", "total_discounts_tax_excl": "0.000000",
        "total_paid": f"{total * 1.2 + 6:.6f}", "total_paid_tax_incl": f"{total * 1.2 + 6:.6f}",
        "total_paid_tax_excl": f"{total + 5:.6f}", "total_paid_real": f"{total * 1.2 + 6:.6f}",
        "total_products": f"{total:.6f}", "total_products_wt": f"{total * 1.2:.6f}", "total_shipping": "6.000000",
        "total_shipping_tax_incl": "6.000000", "total_shipping_tax_excl": "5.000000", "carrier_tax_rate": "20.000",
        "total_wrapping": "0.000000", "total_wrapping_tax_incl": "0.000000", "total_wrapping_tax_excl": "0.000000",
        "round_mode": "2", "round_type": "2", "conversion_rate": "1.000000", "reference": f"REF{n:09d}",
        "associations": {"order_rows": rows},
    }  # fmt: skip


def ps_product(n: int) -> dict:
    return {
        "id": str(n), "id_manufacturer": "1", "id_category_default": "2", "type": "simple",
        "reference": f"SKU-{n:05d}", "ean13": "", "mpn": "", "wholesale_price": f"{2 + n % 20}.000000",
        "price": f"{5 + n % 50}.500000", "active": "1", "date_upd": "2025-06-01 10:00:00",
        "manufacturer_name": "Bench", "name": f"Product {n}", "description": f"<p>Handmade product {n}.</p>",
        "associations": {"images": [{"id": str(n)}], "stock_availables": [{"id": str(n), "id_product_attribute": "0"}]},
    }  # fmt: skip


def ps_filter_ids(rule: str) -> list[int]:
    """The ids of ``filter[…]=[a|b|c]`` (any of), or the first of an interval ``[a,b]``."""
    inner = rule.strip("[]")
    if "," in inner:
        return [int(inner.split(",", 1)[0])]
    return [int(value) for value in inner.split("|") if value]


class LocalPrestaShop(LocalShop):
    """The PrestaShop webservice's listings (JSON, ``display=full``) on 127.0.0.1."""

    RESOURCES = {"order_slip": "order_slips"}

    def answer(self, path: str) -> tuple[int, dict, bytes]:
        parts = urlsplit(path)
        params = dict(parse_qsl(parts.query))
        resource = parts.path.split("/api/", 1)[-1].strip("/")
        headers = {"Content-Type": "application/json; charset=utf-8", "PSWS-Version": "8.1.7"}
        items = self.listing(resource, params)
        if items is None:
            return 400, headers, b'{"errors":[{"code":27,"message":"no such resource"}]}'
        body = {self.RESOURCES.get(resource, resource): items} if items else []
        return 200, headers, json.dumps(body).encode()

    def listing(self, resource: str, params: dict) -> list[dict] | None:
        fixed = {
            "configurations": [{"name": "PS_TIMEZONE", "value": "Europe/Paris"},
                               {"name": "PS_CURRENCY_DEFAULT", "value": "1"}],
            "currencies": [{"id": "1", "iso_code": "EUR"}],
            "countries": [{"id": str(i + 1), "iso_code": code} for i, code in enumerate(COUNTRIES)],
            "order_states": [{"id": str(i), "logable": "1" if i in (2, 4, 5) else "0"} for i in range(1, 9)],
            "groups": [{"id": "3", "price_display_method": "0"}, {"id": "4", "price_display_method": "1"}],
        }  # fmt: skip
        if resource in fixed:
            return fixed[resource]
        ids = ps_filter_ids(params.get("filter[id]") or params.get("filter[id_product]") or "[]")
        if resource == "customers":
            return [{"id": str(i), "id_default_group": "4" if i % 5 == 0 else "3"} for i in ids]
        if resource == "addresses":
            return [{"id": str(i), "id_country": str(1 + i % len(COUNTRIES))} for i in ids]
        if resource == "stock_availables":
            return [
                {"id": str(i), "id_product": str(i), "id_product_attribute": "0", "quantity": str(i % 40)} for i in ids
            ]
        if resource == "combinations":
            return []
        if resource == "order_slip":
            orders = ps_filter_ids(params.get("filter[id_order]") or "[]")
            return [
                {"id": str(i), "id_order": str(i), "total_products_tax_excl": "5.000000",
                 "total_products_tax_incl": "6.000000", "total_shipping_tax_excl": "0.000000",
                 "total_shipping_tax_incl": "0.000000", "date_add": "2025-12-31 10:00:00"}
                for i in orders if i % 12 == 0
            ]  # fmt: skip
        if resource not in self.totals:
            return None
        if "filter[date_upd]" in params:
            return []  # nothing changed since
        count = int(params.get("limit", "100").rsplit(",", 1)[-1])
        first = ids[0] if ids else 1
        last = min(first + count - 1, self.totals[resource])
        make = ps_order if resource == "orders" else (lambda n, _products: ps_product(n))
        return [make(n, self.totals["products"]) for n in range(first, last + 1)]


def sq_money(value: float) -> dict:
    return {"currency": "GBP", "value": f"{value:.2f}"}


def sq_order(n: int, products: int) -> dict:
    """A Squarespace order as the Orders API documents it (amounts as strings, one currency)."""
    rng = random.Random(n)  # noqa: S311 (made-up test data, not security)
    country = rng.choice(COUNTRIES)
    address = {"firstName": "Alex", "lastName": f"Customer {n % 9973}", "address1": f"{n % 300} High Street",
               "address2": None, "city": "Bristol", "state": None, "countryCode": country, "postalCode": "BS1 4DJ",
               "phone": None}  # fmt: skip
    lines, subtotal = [], 0.0
    for k in range(rng.randint(1, 3)):
        pid, quantity = rng.randint(1, products), rng.randint(1, 4)
        price = 5 + pid % 50 + 0.5
        subtotal += price * quantity
        lines.append({"id": f"li{n}-{k}", "variantId": f"v{pid}", "sku": f"SKU-{pid:05d}", "productId": f"p{pid}",
                      "productName": f"Product {pid}", "quantity": quantity, "unitPricePaid": sq_money(price),
                      "variantOptions": [], "customizations": None, "imageUrl": None,
                      "lineItemType": "PHYSICAL_PRODUCT", "weight": 0.5})  # fmt: skip
    discount, shipping, tax = (1.0 if n % 7 == 0 else 0.0), 4.95, round((subtotal + 4.95) * 0.2, 2)
    grand = subtotal - discount + shipping + tax
    status = rng.choice(["FULFILLED"] * 8 + ["PENDING", "CANCELED"])
    day = 1 + n % 28
    return {
        "id": f"ord{n:08d}", "orderNumber": str(n), "createdOn": f"2025-{1 + n % 12:02d}-{day:02d}T10:{n % 60:02d}:00Z",
        "modifiedOn": "2025-12-31T10:00:00Z", "channel": "web", "channelName": "Squarespace", "testmode": False,
        "customerEmail": f"customer{n % 9973}@example.com", "billingAddress": address, "shippingAddress": address,
        "fulfillmentStatus": status, "lineItems": lines, "internalNotes": [],
        "shippingLines": [{"method": "Standard", "amount": sq_money(shipping)}], "discountLines": [],
        "formSubmission": None, "fulfillments": [], "subtotal": sq_money(subtotal),
        "shippingTotal": sq_money(shipping), "discountTotal": sq_money(discount), "taxTotal": sq_money(tax),
        "refundedTotal": sq_money(6.0 if n % 12 == 0 else 0.0), "grandTotal": sq_money(grand),
        "externalOrderReference": None, "fulfilledOn": None,
        "priceTaxInterpretation": "EXCLUSIVE",
    }  # fmt: skip


def sq_product(n: int) -> dict:
    return {
        "id": f"p{n}", "type": "PHYSICAL", "storePageId": "store", "name": f"Product {n}",
        "description": f"<p>Handmade product number {n}, packed in the UK.</p>",
        "url": f"https://shop.example/store/p/product-{n}", "urlSlug": f"product-{n}", "tags": [],
        "isVisible": True, "variantAttributes": [], "createdOn": "2025-01-01T10:00:00Z",
        "modifiedOn": "2025-06-01T10:00:00Z",
        "images": [{"id": f"i{n}", "altText": "", "url": f"https://images.squarespace-cdn.com/p{n}.jpg"}],
        "variants": [{"id": f"v{n}", "sku": f"SKU-{n:05d}", "attributes": {},
                      "pricing": {"basePrice": sq_money(5 + n % 50 + 0.5), "onSale": False,
                                  "salePrice": sq_money(0)},
                      "stock": {"quantity": n % 40, "unlimited": False}}],
    }  # fmt: skip


class LocalSquarespace(LocalShop):
    """The Squarespace Commerce APIs' listings on 127.0.0.1: 50 a page, the cursor an offset."""

    PAGE = 50

    def answer(self, path: str) -> tuple[int, dict, bytes]:
        parts = urlsplit(path)
        params = dict(parse_qsl(parts.query))
        segments = parts.path.strip("/").split("/")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if segments == ["1.0", "authorization", "website"]:
            site = {"id": "bench", "siteId": "bench", "title": "Bench", "url": "https://bench.example",
                    "currency": "GBP", "measurementStandard": "METRIC"}  # fmt: skip
            return 200, headers, json.dumps(site).encode()
        if segments[:3] == ["1.0", "commerce", "inventory"]:
            ids = segments[3].split(",") if len(segments) > 3 else [f"v{n}" for n in range(1, self.PAGE + 1)]
            items = [{"variantId": i, "sku": f"SKU-{int(i[1:]):05d}", "descriptor": i, "isUnlimited": False,
                      "quantity": int(i[1:]) % 40} for i in ids]  # fmt: skip
            return 200, headers, json.dumps({"inventory": items, "pagination": {"hasNextPage": False}}).encode()
        resource = {"orders": "orders", "products": "products"}.get(segments[-1])
        if resource is None:
            return 404, headers, b'{"type":"NOT_FOUND","message":"Not found"}'
        total = 0 if "modifiedAfter" in params else self.totals[resource]  # nothing changed since
        first = int(params.get("cursor", 0))
        ids = range(first + 1, min(first + self.PAGE, total) + 1)
        make = (lambda n: sq_order(n, self.totals["products"])) if resource == "orders" else sq_product
        more = first + self.PAGE < total
        body = {"result" if resource == "orders" else "products": [make(n) for n in ids],
                "pagination": {"hasNextPage": more, "nextPageCursor": str(first + self.PAGE) if more else None,
                               "nextPageUrl": None}}  # fmt: skip
        return 200, headers, json.dumps(body).encode()


def gql_bag(amount: str) -> dict:
    return {
        "shopMoney": {"amount": amount, "currencyCode": "GBP"},
        "presentmentMoney": {"amount": amount, "currencyCode": "GBP"},
    }


def gql_tax(amount: str) -> list:
    return [{"rate": 0.2, "priceSet": gql_bag(amount)}]


def gql_order(n: int, products: int) -> dict:
    """A GraphQL ``Order`` (the fields of ``connectors.shopify.graphql.ORDER_FIELDS``), prices including 20 % VAT."""
    rng = random.Random(n)  # noqa: S311 (made-up test data, not security)
    lines, total = [], 0
    for i in range(1 + n % 3):
        product_id = 1 + (n * 7 + i * 13) % products
        quantity = rng.randint(1, 4)
        price = 5 + product_id % 50
        total += price * quantity
        lines.append(
            {"id": f"gid://shopify/LineItem/{n * 10 + i}", "quantity": quantity, "sku": f"SKU-{product_id:05d}",
             "name": f"Product {product_id}", "variant": {"legacyResourceId": str(product_id)},
             "originalUnitPriceSet": gql_bag(f"{price}.00"), "discountAllocations": [],
             "taxLines": gql_tax(f"{price * quantity / 6:.2f}")}
        )  # fmt: skip
    refunds = []
    if n % 12 == 0:
        first = lines[0]
        refunds.append(
            {"id": f"gid://shopify/Refund/{n}", "legacyResourceId": str(n), "createdAt": "2025-12-31T10:00:00Z",
             "refundLineItems": {"nodes": [
                 {"quantity": 1, "restockType": "RETURN", "lineItem": {"id": first["id"]},
                  "subtotalSet": first["originalUnitPriceSet"], "totalTaxSet": gql_bag("1.00")}]},
             "orderAdjustments": {"nodes": []},
             "transactions": {"nodes": [{"kind": "REFUND", "status": "SUCCESS", "amountSet": gql_bag("6.00")}]}}
        )  # fmt: skip
    day = datetime.date(2024, 1, 1) + datetime.timedelta(days=n * 700 // 1_000_000)
    return {
        "id": f"gid://shopify/Order/{n}", "legacyResourceId": str(n), "createdAt": f"{day}T10:00:00Z",
        "updatedAt": f"{day}T12:00:00Z", "cancelledAt": None,
        "displayFinancialStatus": "PARTIALLY_REFUNDED" if refunds else "PAID",
        "displayFulfillmentStatus": "FULFILLED", "currencyCode": "GBP", "presentmentCurrencyCode": "GBP",
        "taxesIncluded": True, "sourceName": "web",
        "shippingAddress": {"countryCodeV2": rng.choice(COUNTRIES)}, "billingAddress": None,
        "totalTaxSet": gql_bag(f"{(total + 4) / 6:.2f}"), "totalDiscountsSet": gql_bag("0.00"),
        "subtotalPriceSet": gql_bag(f"{total}.00"), "totalPriceSet": gql_bag(f"{total + 4}.00"),
        "currentTotalAdditionalFeesSet": None,
        "lineItems": {"nodes": lines},
        "shippingLines": {"nodes": [{"originalPriceSet": gql_bag("4.00"), "taxLines": gql_tax("0.67")}]},
        "refunds": refunds,
    }  # fmt: skip


def gql_product(n: int) -> dict:
    return {
        "id": f"gid://shopify/Product/{n}", "legacyResourceId": str(n), "title": f"Product {n}",
        "descriptionHtml": f"<p>Handmade product number {n}.</p>", "vendor": "Bench", "productType": "Gifts",
        "status": "ACTIVE", "updatedAt": "2025-06-01T10:00:00Z",
        "media": {"nodes": [{"id": f"gid://shopify/MediaImage/{n}",
                             "image": {"url": f"https://cdn.example/p{n}.jpg", "width": 800, "height": 800}}]},
        "variants": {"nodes": [
            {"legacyResourceId": str(n), "title": "Default Title", "sku": f"SKU-{n:05d}",
             "price": f"{5 + n % 50}.00", "barcode": "", "inventoryQuantity": n % 40, "media": {"nodes": []},
             "inventoryItem": {"legacyResourceId": str(100_000 + n), "tracked": True,
                               "unitCost": {"amount": f"{2 + n % 20}.00", "currencyCode": "GBP"}}}]},
    }  # fmt: skip


def gql_jsonl(root: str, total: int, products: int) -> bytes:
    """A bulk operation's file: each top-level object, then its nested connections' nodes with ``__parentId``."""
    out = []
    for n in range(1, total + 1):
        node = gql_order(n, products) if root == "orders" else gql_product(n)
        children = []
        if root == "orders":
            children += [{**line, "__parentId": node["id"]} for line in node.pop("lineItems")["nodes"]]
            for i, line in enumerate(node.pop("shippingLines")["nodes"]):
                children.append({"id": f"gid://shopify/ShippingLine/{n}{i}", **line, "__parentId": node["id"]})
            node["refunds"] = [{"id": refund["id"]} for refund in node["refunds"]]
        else:
            children += [{**media, "__parentId": node["id"]} for media in node.pop("media")["nodes"]]
            for variant in node.pop("variants")["nodes"]:
                variant.pop("media")
                children.append({"id": f"gid://shopify/ProductVariant/{n}", **variant, "__parentId": node["id"]})
        out.append(json.dumps(node))
        out += [json.dumps(child) for child in children]
    return ("\n".join(out) + "\n").encode()


class LocalShopifyGraphQL(LocalShop):
    """Shopify's GraphQL Admin API (2026-10) on 127.0.0.1: shop, paged connections, bulk operations."""

    def __init__(self, *, orders: int, products: int):
        super().__init__(orders=orders, products=products)
        self.files: dict[str, bytes] = {}
        self.operations: list[str] = []

    def answer(self, path: str) -> tuple[int, dict, bytes]:  # GET: a bulk operation's file
        root = urlsplit(path).path.rsplit("/", 1)[-1].removesuffix(".jsonl")
        if root not in self.files:
            return 403, {"Content-Type": "application/xml"}, b"<Error><Code>AccessDenied</Code></Error>"
        return 200, {"Content-Type": "application/jsonl"}, self.files[root]

    def answer_post(self, path: str, raw: bytes) -> tuple[int, dict, bytes]:
        body = json.loads(raw)
        query, variables = body.get("query", ""), body.get("variables") or {}
        bucket = {"maximumAvailable": 20000.0, "currentlyAvailable": 20000.0, "restoreRate": 1000.0}
        cost = {"requestedQueryCost": 10, "actualQueryCost": 10, "throttleStatus": bucket}
        answer = {"data": self.graphql(query, variables), "extensions": {"cost": cost}}
        return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()

    def graphql(self, query: str, variables: dict) -> dict:
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if "bulkOperationRunQuery" in query:
            root = "orders" if variables["query"].lstrip("{ ").startswith("orders") else "products"
            self.operations.append(root)
            op = {"id": f"gid://shopify/BulkOperation/{root}", "status": "CREATED", "createdAt": now}
            return {"bulkOperationRunQuery": {"bulkOperation": op, "userErrors": []}}
        if "node(id:" in query:
            root = variables["id"].rsplit("/", 1)[-1]
            self.files[root] = gql_jsonl(root, self.totals[root], self.totals["products"])
            size = str(len(self.files[root]))
            return {"node": {"id": variables["id"], "status": "COMPLETED", "createdAt": now, "errorCode": None,
                             "url": f"{self.url}/bulk/{root}.jsonl", "fileSize": size}}  # fmt: skip
        if "nodes(ids:" in query:
            ids = [int(gid.rsplit("/", 1)[-1]) for gid in variables["ids"]]
            return {"nodes": [gql_order(n, self.totals["products"]) for n in ids]}
        if "shop {" in query:
            scopes = [{"handle": h} for h in ("read_products", "read_orders", "read_all_orders", "read_inventory")]
            installation = {"accessScopes": scopes}
            return {"shop": {"name": "Bench", "currencyCode": "GBP"}, "currentAppInstallation": installation}
        root = "orders" if "orders(" in query else "products"
        total = 0 if variables.get("query") else self.totals[root]  # a filtered re-read: nothing changed since
        first = int(variables.get("after") or 0)
        ids = range(first + 1, min(first + int(variables["first"]), total) + 1)
        make = (lambda n: gql_order(n, self.totals["products"])) if root == "orders" else gql_product
        end = first + len(ids)
        page = {"hasNextPage": end < total, "endCursor": str(end) if ids else None}
        return {root: {"pageInfo": page, "nodes": [make(n) for n in ids]}}


def mg_order(n: int, products: int) -> dict:
    """A Magento 2 order as ``GET /rest/V1/orders`` gives it (``salesDataOrderInterface``), base currency GBP."""
    items, subtotal, tax = [], 0.0, 0.0
    for line in range(1 + n % 3):
        product_id = 1 + (n * 7 + line) % products
        quantity = 1 + (n + line) % 4
        price = 5 + product_id % 50 + 0.5
        subtotal += price * quantity
        tax += price * quantity * 0.2
        items.append(
            {"item_id": n * 3 + line, "order_id": n, "sku": f"SKU-{product_id:05d}", "name": f"Product {product_id}",
             "qty_ordered": quantity, "base_price": price, "price": price, "base_tax_amount": price * quantity * 0.2,
             "tax_amount": price * quantity * 0.2, "tax_percent": 20, "product_id": product_id,
             "product_type": "simple", "parent_item_id": None, "created_at": "2025-06-01 10:00:00"}
        )  # fmt: skip
    country = COUNTRIES[n % len(COUNTRIES)]
    state = ["complete"] * 8 + ["processing", "closed", "canceled", "holded"]
    return {
        "entity_id": n, "increment_id": f"{n:09d}", "created_at": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d} 10:00:00",
        "updated_at": "2025-06-02 10:00:00", "state": state[n % 12], "status": state[n % 12],
        "base_currency_code": "GBP", "order_currency_code": "GBP", "global_currency_code": "GBP",
        "store_currency_code": "GBP", "store_name": "Main Website\nMain Website Store\nDefault Store View",
        "customer_group_id": 1, "customer_is_guest": 0, "base_subtotal": subtotal, "subtotal": subtotal,
        "base_tax_amount": tax + 1.0, "tax_amount": tax + 1.0, "base_shipping_amount": 5.0, "shipping_amount": 5.0,
        "base_shipping_tax_amount": 1.0, "base_discount_amount": 0.0, "discount_amount": 0.0,
        "base_grand_total": subtotal + tax + 6.0, "grand_total": subtotal + tax + 6.0,
        "billing_address": {"country_id": country, "city": "Town", "postcode": "AB1 2CD"},
        "payment": {"method": "checkmo"}, "items": items,
        "extension_attributes": {"shipping_assignments": [{"shipping": {"address": {"country_id": country}}}]},
    }  # fmt: skip


def mg_product(n: int) -> dict:
    return {
        "id": n, "sku": f"SKU-{n:05d}", "name": f"Product {n}", "attribute_set_id": 4, "price": 5 + n % 50 + 0.5,
        "status": 1, "visibility": 4, "type_id": "simple", "created_at": "2025-01-01 10:00:00",
        "updated_at": "2025-06-01 10:00:00", "weight": 1,
        "extension_attributes": {"stock_item": {"qty": n % 40, "manage_stock": True}},
        "media_gallery_entries": [{"id": n, "media_type": "image", "file": f"/p/{n}.jpg"}],
        "custom_attributes": [{"attribute_code": "description", "value": f"<p>Handmade product {n}.</p>"},
                              {"attribute_code": "cost", "value": f"{2 + n % 20}.0000"}],
    }  # fmt: skip


class LocalMagento(LocalShop):
    """Magento 2's REST listings (``searchCriteria``) on 127.0.0.1, as the connector reads them."""

    def answer(self, path: str) -> tuple[int, dict, bytes]:
        parts = urlsplit(path)
        params = dict(parse_qsl(parts.query))
        resource = parts.path.split("/rest/V1/", 1)[-1].strip("/")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        filters = {}
        for name, value in params.items():
            if name.startswith("searchCriteria[filter_groups]") and name.endswith("[field]"):
                prefix = name[: -len("[field]")]
                filters[value] = (params[f"{prefix}[condition_type]"], params[f"{prefix}[value]"])
        size = int(params.get("searchCriteria[pageSize]", 20))
        if resource == "creditmemos":
            orders = [int(i) for i in filters["order_id"][1].split(",")]
            items = [
                {"entity_id": i, "order_id": i, "created_at": "2025-12-31 10:00:00", "base_grand_total": 6.0,
                 "base_tax_amount": 1.0, "base_subtotal": 5.0, "base_shipping_amount": 0.0,
                 "base_currency_code": "GBP", "order_currency_code": "GBP", "items": []}
                for i in orders if i % 12 == 0
            ]  # fmt: skip
        elif resource == "inventory/source-items":
            skus = filters["sku"][1].split(",")
            items = [
                {"sku": sku, "source_code": "default", "quantity": int(sku[-5:]) % 40, "status": 1} for sku in skus
            ]
        elif resource in self.totals:
            after = int(filters["entity_id"][1]) if "entity_id" in filters else 0
            if "updated_at" in filters:
                after = self.totals[resource]  # nothing changed since
            last = min(after + size, self.totals[resource])
            make = mg_order if resource == "orders" else (lambda n, _products: mg_product(n))
            items = [make(n, self.totals["products"]) for n in range(after + 1, last + 1)]
            body = {"items": items, "search_criteria": {}, "total_count": self.totals[resource] - after}
            return 200, headers, json.dumps(body).encode()
        else:
            return 404, headers, b'{"message":"Request does not match any route."}'
        return 200, headers, json.dumps({"items": items, "search_criteria": {}, "total_count": len(items)}).encode()


# The measurements (in a child process set up for one database)


def measure(shop: LocalShop, work) -> tuple[float, float, float, object]:
    """(client seconds, server seconds, client CPU seconds, result) of ``work()``.

    Client seconds are wall-clock time less the server handler's. The CPU time of this
    thread (the client's; the server has its own thread) is steadier on a busy machine, but
    leaves out waiting for the database (SQLite's fsync at each commit, PostgreSQL's work).
    """
    shop.reset_clock()
    started, cpu = time.perf_counter(), time.thread_time()
    result = work()
    wall, cpu = time.perf_counter() - started, time.thread_time() - cpu
    return wall - shop.server_seconds, shop.server_seconds, cpu, result


def run_child(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from connectors import http
    from connectors.magento.client import search_criteria
    from connectors.magento.connector import MagentoConnector
    from connectors.models import DataSource, Order, OrderLine, Product, SyncStatus
    from connectors.prestashop.connector import PrestaShopConnector
    from connectors.shopify.graphql import API_VERSION, QUERIES, ShopifyGraphQLConnector
    from connectors.squarespace.connector import SquarespaceConnector
    from connectors.sync import source_sync
    from connectors.woocommerce.connector import WooCommerceConnector
    from journey.models import SME, Launchpad, Programme

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_seconds = time.perf_counter() - started

    graphql = args.platform == "shopify-graphql"
    kind = "shopify" if graphql else args.platform
    if graphql:  # the first sync by bulk operation, as in production (the test settings page instead)
        from django.test import override_settings

        override_settings(CONNECTORS_SHOPIFY_BULK=True, CONNECTORS_SHOPIFY_BULK_POLL_SECONDS=0).enable()
    programme = Programme.objects.create(name="Bench", start_date="2025-10-01")
    launchpad = Launchpad.objects.create(
        programme=programme,
        code="uk",
        name="UK",
        country="GB",
        language="en",
        time_zone="Europe/London",
        currency="GBP",
    )
    sme = SME.objects.create(
        name="Bench Ltd",
        slug="bench",
        launchpad=launchpad,
        country="GB",
        sector="food_drink",
        market_orientation="b2c",
        size="micro",
        shop_platform=kind,
    )
    figures = {"database": connection.vendor, "orders": args.orders, "migrate_s": round(migrate_seconds, 1)}
    figures["platform"] = args.platform
    figures["per_page"] = LocalSquarespace.PAGE if args.platform == "squarespace" else PER_PAGE
    prestashop, magento = args.platform == "prestashop", args.platform == "magento"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            figures["mode"] = f" (journal {cursor.fetchone()[0]})"
    squarespace = args.platform == "squarespace"
    shop_class, connector_class = {
        "prestashop": (LocalPrestaShop, PrestaShopConnector),
        "magento": (LocalMagento, MagentoConnector),
        "squarespace": (LocalSquarespace, SquarespaceConnector),
        "shopify-graphql": (LocalShopifyGraphQL, ShopifyGraphQLConnector),
    }.get(args.platform, (LocalShop, WooCommerceConnector))
    with shop_class(orders=args.orders, products=args.products) as shop:
        source = DataSource(sme=sme, kind=kind, base_url=shop.url, options={"currency": "GBP"})
        if squarespace:
            from django.conf import settings

            settings.CONNECTORS_SQUARESPACE_API_ROOT = shop.url  # the API's fixed address, here the local one
            source.base_url, source.options = "", {}  # the site and its currency: read by the check
            source.credentials = {"key": "sqsp-bench-bench-bench-bench-bench"}
        elif graphql:
            source.options = {}  # the shop's currency and scopes, read by the connector's check
            source.credentials = {"token": "shpat_bench"}
        elif prestashop:
            source.options = {}  # the shop's own currency, read by the connector's check
            source.credentials = {"key": "BENCHBENCHBENCHBENCHBENCHBENCH12"}
        elif magento:
            source.options = {}  # the store's base currency, read by the connector's check
            source.credentials = {"token": "benchbenchbenchbenchbenchbench12"}
        else:
            source.credentials = {"key": "ck_bench", "secret": "cs_bench"}
        source.save()

        def fetch_and_decode():
            session, count = http.session(), 0
            if squarespace:
                cursor = None
                while True:
                    params = {"cursor": cursor} if cursor else {}
                    response = session.get(f"{shop.url}/1.0/commerce/orders", params=params)
                    response.raise_for_status()
                    data = json.loads(response.content)
                    count += len(data["result"])
                    cursor = data["pagination"]["nextPageCursor"]
                    if not data["pagination"]["hasNextPage"]:
                        return count
            pages = -(-args.orders // PER_PAGE)
            for page in range(1, pages + 1):
                if graphql:
                    query = QUERIES["orders"]
                    variables = {"first": PER_PAGE, "after": str((page - 1) * PER_PAGE), "query": None}
                    response = session.post(f"{shop.url}/admin/api/{API_VERSION}/graphql.json",
                                            json={"query": query, "variables": variables})  # fmt: skip
                    response.raise_for_status()
                    count += len(json.loads(response.content)["data"]["orders"]["nodes"])
                    continue
                if prestashop:
                    url = f"{shop.url}/api/orders"
                    first = (page - 1) * PER_PAGE + 1
                    params = {"output_format": "JSON", "display": "full", "sort": "[id_ASC]", "limit": PER_PAGE}
                    params["filter[id]"] = f"[{first},4294967295]"
                elif magento:
                    url = f"{shop.url}/rest/V1/orders"
                    params = search_criteria([[("entity_id", "gt", str((page - 1) * PER_PAGE))]], sort="entity_id",
                                             size=PER_PAGE)  # fmt: skip
                else:
                    url = f"{shop.url}/wp-json/wc/v3/orders"
                    params = {"per_page": PER_PAGE, "page": page, "orderby": "id", "order": "asc"}
                response = session.get(url, params=params)
                response.raise_for_status()
                data = json.loads(response.content)
                count += len(data["orders"] if prestashop else data["items"] if magento else data)
            return count

        def read_and_map():
            connector = connector_class(source)
            if prestashop or magento or squarespace or graphql:
                connector.check()
            if graphql:  # the paged query, as an incremental sync reads (the first sync: bulk)
                with override_settings(CONNECTORS_SHOPIFY_BULK=False):
                    return sum(len(page.records) for page in connector.pages("orders", None))
            return sum(len(page.records) for page in connector.pages("orders", None))

        client, server, cpu, count = measure(shop, fetch_and_decode)
        assert count == args.orders, count
        figures["fetch_decode"] = {"client_s": client, "server_s": server, "cpu_s": cpu}
        client, server, cpu, count = measure(shop, read_and_map)
        assert count == args.orders, count
        figures["fetch_decode_map"] = {"client_s": client, "server_s": server, "cpu_s": cpu}

        profiler = cProfile.Profile() if args.profile else None
        timers = install_timers()

        def sync():
            if profiler:
                profiler.enable()
            try:
                return source_sync(source=source, trigger="command")
            finally:
                if profiler:
                    profiler.disable()

        client, server, cpu, run = measure(shop, sync)
        assert run.status == SyncStatus.SUCCEEDED, run.errors
        assert Order.objects.count() == args.orders, Order.objects.count()
        figures["sync"] = {
            "client_s": client,
            "server_s": server,
            "cpu_s": cpu,
            **{f"{name}_s": seconds for name, seconds in timers.items()},
            "pages": run.pages,
            "created": run.created,
            "lines": OrderLine.objects.count(),
            "lines_linked": OrderLine.objects.filter(product__isnull=False).count(),
            "products": Product.objects.count(),
        }

        timers.clear()
        client, server, cpu, run = measure(shop, lambda: source_sync(source=source, trigger="command"))
        assert run.status == SyncStatus.SUCCEEDED and run.created == 0, (run.errors, run.created)
        figures["incremental_hooks_s"] = timers.get("hooks", 0.0)
        figures["incremental"] = {"client_s": client, "server_s": server, "pages": run.pages}

        if args.resync:
            DataSource.objects.filter(pk=source.pk).update(cursor={})
            source.refresh_from_db()
            client, server, cpu, run = measure(shop, lambda: source_sync(source=source, trigger="command"))
            assert run.status == SyncStatus.SUCCEEDED and run.created == 0, run.errors
            figures["full_resync"] = {"client_s": client, "server_s": server, "cpu_s": cpu, "skipped": run.skipped}

    figures["load"] = os.getloadavg()[1]  # other work on this machine skews the wall-clock figures
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        figures["profile"] = out.getvalue()
    return figures


def install_timers() -> dict[str, float]:
    """Time the writer, the commits and the after-sync hooks of ``source_sync`` (shared dict, in seconds)."""
    from django.db import connection
    from wagtail import hooks as wagtail_hooks

    from connectors import sync
    from journey import hooks

    timers: dict[str, float] = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timers[name] = timers.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    sync.write_page = timed("write", sync.write_page)
    connection.ensure_connection()
    connection.commit = timed("commit", connection.commit)
    # The functions registered after a sync (the toolkit's report refresh), each wrapped in place.
    wagtail_hooks.search_for_hooks()
    wagtail_hooks._hooks[hooks.SYNC_SUCCEEDED] = [
        (timed("hooks", callback), order) for callback, order in wagtail_hooks._hooks.get(hooks.SYNC_SUCCEEDED, [])
    ]
    return timers


# The parent: one child per database, then the report


def report(figures: dict) -> None:
    n = figures["orders"]
    print(
        f"\n== {figures.get('platform', 'woocommerce')} into {figures['database']}{figures.get('mode', '')}: "
        f"{n:,} orders, {figures.get('per_page', PER_PAGE)} a page "
        f"(migrations: {figures['migrate_s']} s)"
    )

    print(f"  {'':<40} {'client':>8} {'server':>8} {'orders/s':>9}   {'client CPU':>10} {'orders/s':>9}")

    def row(label, entry, count=n):
        rate = count / entry["client_s"] if entry["client_s"] > 0 else float("inf")
        cpu_rate = count / entry["cpu_s"] if entry["cpu_s"] > 0 else float("inf")
        print(
            f"  {label:<40} {entry['client_s']:7.2f}s {entry['server_s']:7.2f}s {rate:>9,.0f}   "
            f"{entry['cpu_s']:9.2f}s {cpu_rate:>9,.0f}"
        )
        return rate

    row("reference: fetch + JSON-decode", figures["fetch_decode"])
    row("reference: connector pages (+ map)", figures["fetch_decode_map"])
    rate = row("source_sync (+ write, products too)", figures["sync"])
    sync = figures["sync"]
    hooks = sync.get("hooks_s", 0.0)
    rest = sync["client_s"] - sync.get("write_s", 0) - sync.get("commit_s", 0) - hooks
    print(
        f"    of which: writer {sync.get('write_s', 0):.2f} s, commits {sync.get('commit_s', 0):.2f} s, "
        f"after-sync hooks (toolkit report) {hooks:.2f} s, read + map + cursors {rest:.2f} s"
    )
    without_hooks = n / (sync["client_s"] - hooks)
    print(f"    without the after-sync hooks: {without_hooks:,.0f} orders/s")
    print(
        f"    {sync['created']:,} rows created ({sync['products']:,} products, {n:,} orders), "
        f"{sync['lines']:,} lines ({sync['lines_linked']:,} linked to their product), {sync['pages']} pages"
    )
    inc = figures["incremental"]
    print(
        f"  incremental re-sync (nothing changed): {inc['client_s']:.2f} s client, {inc['pages']} pages "
        f"(after-sync hooks {figures['incremental_hooks_s']:.2f} s)"
    )
    if "full_resync" in figures:
        row("full re-read, all unchanged (skipped)", figures["full_resync"])
    print(f"  load average over the last 5 minutes: {figures['load']:.2f} (on {os.cpu_count()} CPUs)")
    verdict = "met" if rate >= TARGET else "MISSED"
    print(f"  target {TARGET:,} orders/s: {verdict} ({rate:,.0f} orders/s)")
    if figures.get("profile"):
        print(figures["profile"])


def child_env(database_url: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url}
    env["LOG_LEVEL"] = "WARNING"
    return env


def run_in_child(args, database_url: str) -> dict:
    command = [sys.executable, __file__, "--child", "--orders", str(args.orders), "--products", str(args.products)]
    command += ["--platform", args.platform]
    command += ["--resync"] * args.resync + ["--profile"] * args.profile
    result = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        command, env=child_env(database_url), cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"The benchmark failed on {database_url.split(':', 1)[0]}.")
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def scratch_postgres(url: str):
    import psycopg

    name = f"echannel_bench_{os.getpid()}"
    with psycopg.connect(url.rstrip("/") + "/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rstrip("/") + f"/{name}"
    finally:
        with psycopg.connect(url.rstrip("/") + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--platform",
        choices=["woocommerce", "prestashop", "magento", "squarespace", "shopify-graphql"],
        default="woocommerce",
    )
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--postgres", action="store_true", help="also sync into a scratch PostgreSQL database")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--resync", action="store_true", help="also time a full re-read of unchanged orders")
    parser.add_argument(
        "--sqlite-wal",
        action="store_true",
        help="open SQLite in WAL mode with synchronous=NORMAL (what settings could choose) instead of the defaults",
    )
    parser.add_argument("--profile", action="store_true", help="print the sync's cProfile (slows it down)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.orders <= 1_000_000 or not 1 <= args.products <= 100_000:
        parser.error("--orders must be 1 to 1,000,000 and --products 1 to 100,000")

    if args.child:
        sys.path.insert(0, str(ROOT))
        figures = run_child(args)
        print(json.dumps(figures))
        return

    with tempfile.TemporaryDirectory(prefix="echannel-bench-") as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        if args.sqlite_wal:
            url += "?init_command=" + quote("PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL", safe="")
        report(run_in_child(args, url))
    if args.postgres:
        with scratch_postgres(args.postgres_url) as url:
            report(run_in_child(args, url))


if __name__ == "__main__":
    main()
