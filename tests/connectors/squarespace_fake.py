"""The Squarespace Commerce APIs on 127.0.0.1 for the tests, answering as developers.squarespace.com documents.

- ``/1.0/authorization/website``: the key's site (``id``, ``siteId``, ``title``, ``url``, ``currency``, …).
- ``/1.0/commerce/orders``: ``{"result": [...], "pagination": {...}}``, orders sorted by ``modifiedOn``;
  ``modifiedAfter`` and ``modifiedBefore`` only together (else 400), never with ``cursor`` (400).
- ``/v2/commerce/products``: ``{"products": [...], "pagination"}``; ``type`` required without a cursor.
- ``/1.0/commerce/inventory`` and ``/1.0/commerce/inventory/{ids}``: ``{"inventory": [...]}``.

Pages hold ``page_size`` items (50, as Squarespace's); the cursor is an opaque token standing for
the request's parameters and an offset. ``expire_cursors``: how many of the next cursors to answer
400 (as an expired dynamic cursor is). A wrong key gets 401, an API ``denied`` 403, one ``missing`` 404, with
Squarespace's error body. The
``User-Agent`` of each request is kept (``headers_seen``): Squarespace rejects a request without one.

``failures[(resource, n)]``: what to serve instead of the n-th request of ``orders``, ``products``,
``inventory`` or ``website`` (1-based, counted when served): a status (a 429 without
``Retry-After``, as Squarespace sends it), ``"truncated"`` (JSON cut off) or ``("sleep", s)``.

The records are ours, written after the documented Order, Product and InventoryItem resources.
"""

from __future__ import annotations

import base64
import copy
import json
import time
from urllib.parse import parse_qsl, unquote, urlsplit

KEY = "sqsp-3f1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c"


def gbp(value: str, currency: str = "GBP") -> dict:
    return {"currency": currency, "value": value}


def _item(line_id, variant, sku, name, quantity, unit, currency="GBP"):
    return {"id": line_id, "variantId": variant, "sku": sku, "productId": f"p-{sku.lower()}", "productName": name,
            "quantity": quantity, "unitPricePaid": gbp(unit, currency), "lineItemType": "PHYSICAL_PRODUCT",
            "variantOptions": [], "customizations": None, "imageUrl": None}  # fmt: skip


def order(id_, number, created, modified, items, *, country="GB", status="FULFILLED", tax_interpretation="EXCLUSIVE",
          currency="GBP", subtotal, shipping="0.00", discount="0.00", tax="0.00", refunded="0.00", grand,
          testmode=False):  # fmt: skip
    return {
        "id": id_, "orderNumber": str(number), "createdOn": created, "modifiedOn": modified, "channel": "web",
        "channelName": "Squarespace", "testmode": testmode, "customerEmail": f"buyer{number}@example.com",
        "billingAddress": {"firstName": "A", "lastName": "Buyer", "countryCode": country, "postalCode": "X1"},
        "shippingAddress": {"firstName": "A", "lastName": "Buyer", "countryCode": country, "postalCode": "X1"},
        "fulfillmentStatus": status, "lineItems": items, "internalNotes": [], "shippingLines": [],
        "discountLines": [], "formSubmission": None, "fulfillments": [],
        "subtotal": gbp(subtotal, currency), "shippingTotal": gbp(shipping, currency),
        "discountTotal": gbp(discount, currency), "taxTotal": gbp(tax, currency),
        "refundedTotal": gbp(refunded, currency), "grandTotal": gbp(grand, currency),
        "externalOrderReference": None, "fulfilledOn": None, "priceTaxInterpretation": tax_interpretation,
    }  # fmt: skip


def sample() -> dict[str, list[dict]]:
    return {
        "orders": [
            # 2 hats at £24.00 VAT included, a £6.00 discount and £6.00 shipping (VAT included): VAT £8.00.
            order("ord-1", 1001, "2026-03-10T10:00:00.000Z", "2026-03-10T10:05:00.000Z",
                  [_item("li-11", "var-hat", "KNIT-HAT", "Knitted hat", 2, "24.00")],
                  tax_interpretation="INCLUSIVE", subtotal="48.00", discount="6.00", shipping="6.00", tax="8.00",
                  grand="48.00"),
            # 3 scarves at 10.00 EUR VAT excluded to France, one refunded on 5 April (12.00 with VAT).
            order("ord-2", 1002, "2026-03-20T10:00:00.000Z", "2026-04-05T08:00:00.000Z",
                  [_item("li-21", "var-scarf", "SCARF-M", "Scarf", 3, "10.00")],
                  country="FR", subtotal="30.00", tax="6.00", refunded="12.00", grand="36.00"),
            order("ord-3", 1003, "2026-04-01T09:00:00.000Z", "2026-04-01T09:30:00.000Z",
                  [_item("li-31", "var-hat", "KNIT-HAT", "Knitted hat", 1, "20.00")],
                  status="CANCELED", subtotal="20.00", tax="4.00", grand="24.00"),
            order("ord-4", 1004, "2026-04-02T09:00:00.000Z", "2026-04-02T09:00:00.000Z",
                  [_item("li-41", "var-hat", "KNIT-HAT", "Knitted hat", 1, "20.00")],
                  status="PENDING", subtotal="20.00", tax="4.00", grand="24.00", testmode=True),
        ],
        "products": [
            {"id": "p-hat", "type": "PHYSICAL", "storePageId": "store-1", "name": "Knitted hat",
             "description": "<p>Hebridean wool.</p>", "url": "https://shop.example/store/p/knitted-hat",
             "urlSlug": "knitted-hat", "tags": [], "isVisible": True, "variantAttributes": [],
             "createdOn": "2026-01-01T10:00:00.000Z", "modifiedOn": "2026-02-01T10:00:00.000Z",
             "images": [{"id": "img-1", "altText": "Hat", "url": "https://images.squarespace-cdn.com/hat.jpg"}],
             "variants": [{"id": "var-hat", "sku": "KNIT-HAT", "attributes": {},
                           "pricing": {"basePrice": gbp("20.00"), "onSale": False, "salePrice": gbp("0.00")},
                           "stock": {"quantity": 3, "unlimited": False}, "image": None}]},
            {"id": "p-scarf", "type": "PHYSICAL", "storePageId": "store-1", "name": "Scarf", "description": "",
             "isVisible": False, "createdOn": "2026-01-01T10:00:00.000Z", "modifiedOn": "2026-02-01T10:00:00.000Z",
             "images": [], "variantAttributes": ["Size"],
             "variants": [{"id": "var-scarf", "sku": "SCARF-M", "attributes": {"Size": "M"},
                           "pricing": {"basePrice": gbp("12.00"), "onSale": True, "salePrice": gbp("10.00")},
                           "stock": {"quantity": 0, "unlimited": True}},
                          {"id": "var-scarf-l", "sku": "SCARF-L", "attributes": {"Size": "L"},
                           "pricing": {"basePrice": gbp("12.00"), "onSale": False, "salePrice": gbp("0.00")},
                           "stock": {"quantity": 4, "unlimited": False}}]},
            {"id": "p-card", "type": "GIFT_CARD", "name": "Gift card", "isVisible": True, "images": [],
             "createdOn": "2026-01-01T10:00:00.000Z", "modifiedOn": "2026-02-01T10:00:00.000Z",
             "variants": [{"id": "var-card", "sku": "GIFT-25", "attributes": {},
                           "pricing": {"basePrice": gbp("25.00"), "onSale": False}}]},
        ],
        "inventory": [
            {"variantId": "var-hat", "sku": "KNIT-HAT", "descriptor": "Knitted hat", "isUnlimited": False,
             "quantity": 17},
            {"variantId": "var-scarf", "sku": "SCARF-M", "descriptor": "Scarf [M]", "isUnlimited": True,
             "quantity": 0},
            {"variantId": "var-scarf-l", "sku": "SCARF-L", "descriptor": "Scarf [L]", "isUnlimited": False,
             "quantity": 4},
        ],
        "website": {"id": "5863f6faf7e0abc3cf95ce3a", "siteId": "knitwear", "title": "Hebridean Knitwear",
                    "url": "https://www.hebridean-knitwear.example", "currency": "GBP",
                    "measurementStandard": "METRIC", "language": "en-GB", "timeZone": "Europe/London"},
    }  # fmt: skip


def _error(status: int, kind: str, message: str) -> tuple[int, dict, bytes]:
    body = {"type": kind, "subtype": None, "message": message, "details": None, "contextId": "FAKE0CONTEXT"}
    return status, {}, json.dumps(body).encode()


class FakeSquarespace:
    def __init__(self, data=None, *, key: str = KEY):
        self.data = data if data is not None else sample()
        self.key = key
        self.page_size = 50
        self.denied: set[str] = set()
        self.missing: set[str] = set()  # resources answered 404
        self.expire_cursors = 0
        self.failures: dict[tuple[str, int], list] = {}
        self.served: dict[str, int] = {}
        self.queries: dict[str, list[dict]] = {}
        self.headers_seen: list[dict] = []

    def __call__(self, index: int, path: str) -> tuple[int, dict, bytes]:
        parts = urlsplit(path)
        segments = unquote(parts.path).strip("/").split("/")
        params = dict(parse_qsl(parts.query))
        headers = self.headers_seen[-1] if self.headers_seen else {}
        resource = {"website": "website", "orders": "orders", "products": "products", "inventory": "inventory"}.get(
            segments[2] if len(segments) > 2 else segments[-1]
        )
        if segments[:2] == ["1.0", "authorization"]:
            resource = "website"
        if resource is None:
            return _error(404, "NOT_FOUND", "Not found")
        self.queries.setdefault(resource, []).append(params)
        if not headers.get("User-Agent"):
            return _error(400, "INVALID_REQUEST_ERROR", "A User-Agent header is required.")
        if headers.get("Authorization") != f"Bearer {self.key}":
            return _error(401, "AUTHORIZATION_ERROR", "Unauthorized")
        if resource in self.missing:
            return _error(404, "NOT_FOUND", "Not found")
        if resource in self.denied:
            return _error(403, "AUTHORIZATION_ERROR", "The API key does not have access to this resource.")
        pending = self.failures.get((resource, self.served.get(resource, 0) + 1))
        if pending:
            failure = pending.pop(0)
            if failure == "truncated":
                return 200, {}, b'{"result":[{"id":"ord-1","createdOn":"2026-03'
            if isinstance(failure, tuple):
                time.sleep(failure[1])
            else:
                return _error(failure, "RATE_LIMITED" if failure == 429 else "INTERNAL_ERROR", "Try again later.")
        self.served[resource] = self.served.get(resource, 0) + 1
        if resource == "website":
            return 200, {}, json.dumps(self.data["website"]).encode()
        if resource == "inventory" and len(segments) > 3:  # specific inventory: /1.0/commerce/inventory/{ids}
            ids = segments[3].split(",")
            if len(ids) > 50:
                return _error(400, "INVALID_REQUEST_ERROR", "At most 50 ids.")
            items = [item for item in self.data["inventory"] if item["variantId"] in ids]
            return 200, {}, json.dumps({"inventory": copy.deepcopy(items)}).encode()
        return self._listing(resource, params)

    def _listing(self, resource: str, params: dict) -> tuple[int, dict, bytes]:
        if "cursor" in params:
            if len(params) > 1:
                return _error(400, "INVALID_REQUEST_ERROR", "A cursor cannot be used with other parameters.")
            if self.expire_cursors:
                self.expire_cursors -= 1
                return _error(400, "INVALID_REQUEST_ERROR", "The cursor is invalid or has expired.")
            try:
                state = json.loads(base64.urlsafe_b64decode(params["cursor"]))
            except ValueError:
                return _error(400, "INVALID_REQUEST_ERROR", "The cursor is invalid or has expired.")
            query, offset = state["query"], state["offset"]
        else:
            query, offset = params, 0
        if ("modifiedAfter" in query) != ("modifiedBefore" in query):
            return _error(400, "INVALID_REQUEST_ERROR", "modifiedAfter and modifiedBefore go together.")
        if resource == "products" and "cursor" not in params and not query.get("type"):
            return _error(400, "INVALID_REQUEST_ERROR", "type is required.")
        items = sorted(self.data[resource], key=lambda item: item.get("modifiedOn", ""))
        if "modifiedAfter" in query:
            items = [item for item in items if query["modifiedAfter"] < item["modifiedOn"] < query["modifiedBefore"]]
        if resource == "products" and query.get("type"):
            items = [item for item in items if item["type"] in query["type"].split(",")]
        page = items[offset : offset + self.page_size]
        more = offset + self.page_size < len(items)
        token = base64.urlsafe_b64encode(json.dumps({"query": query, "offset": offset + self.page_size}).encode())
        following = token.decode() if more else None
        key = {"orders": "result", "products": "products", "inventory": "inventory"}[resource]
        body = {key: copy.deepcopy(page), "pagination": {"hasNextPage": more, "nextPageCursor": following,
                                                        "nextPageUrl": None}}  # fmt: skip
        return 200, {}, json.dumps(body).encode()
