"""A Magento 2 REST API on 127.0.0.1 for the tests: ``searchCriteria`` listings as Magento documents them.

``/rest/V1/<resource>?searchCriteria[filter_groups][g][filters][f][field|value|condition_type]=…``
(filters of a group OR-ed, groups AND-ed; conditions eq, gt, gteq, in), ``sortOrders``,
``pageSize`` and ``currentPage`` (a page past the last answers the last page again, as Magento
does). Answers ``{"items", "search_criteria", "total_count"}``. The token is a Bearer; a wrong
one, or a resource the integration may not read, gets 401 with Magento's message. ``msi=False``
answers 404 on ``inventory/…`` (a store without Multi-Source Inventory).

The records are ours, written after the REST API reference's order, credit memo, product and
source item schemas (``salesDataOrderInterface``, ``salesDataCreditmemoInterface``, …).
"""

from __future__ import annotations

import copy
import json
import re
from urllib.parse import parse_qsl, unquote, urlsplit

TOKEN = "0123456789abcdefghijklmnopqrstuv"


def _item(item_id, sku, name, qty, price, tax, product_id, parent=None):
    return {"item_id": item_id, "sku": sku, "name": name, "qty_ordered": qty, "base_price": price, "price": price,
            "base_tax_amount": tax, "tax_amount": tax, "product_id": product_id, "product_type": "simple",
            "parent_item_id": parent}  # fmt: skip


def _order(entity_id, created, updated, state, country, items, **amounts):
    return {
        "entity_id": entity_id, "increment_id": f"00000{entity_id:04d}", "created_at": created, "updated_at": updated,
        "state": state, "status": state, "base_currency_code": "GBP", "order_currency_code": amounts.pop("cur", "GBP"),
        "store_name": "Main Website\nMain Website Store\nDefault Store View", "customer_group_id": 1,
        "billing_address": {"country_id": country}, "items": items,
        "extension_attributes": {"shipping_assignments": [{"shipping": {"address": {"country_id": country}}}]},
        **amounts,
    }  # fmt: skip


def sample() -> dict[str, list[dict]]:
    return {
        "orders": [
            _order(1, "2026-03-10 10:00:00", "2026-03-10 10:05:00", "complete", "GB",
                   [_item(11, "KNIT-HAT", "Knitted hat", 2, 20.0, 7.0, 101)],
                   base_tax_amount=8.0, base_discount_amount=-5.0, base_shipping_amount=5.0,
                   base_shipping_tax_amount=1.0, base_grand_total=48.0, base_subtotal=40.0),
            _order(2, "2026-03-20 10:00:00", "2026-04-05 08:00:00", "processing", "FR",
                   [_item(21, "SCARF-M", "Scarf (configurable)", 3, 10.0, 6.0, 102),
                    _item(22, "SCARF-M", "Scarf M", 3, 0.0, 0.0, 103, parent=21)],
                   base_tax_amount=6.0, base_discount_amount=0.0, base_shipping_amount=0.0,
                   base_shipping_tax_amount=0.0, base_grand_total=36.0, base_subtotal=30.0, cur="EUR"),
            _order(3, "2026-04-01 09:00:00", "2026-04-01 09:30:00", "canceled", "GB",
                   [_item(31, "KNIT-HAT", "Knitted hat", 1, 20.0, 4.0, 101)],
                   base_tax_amount=4.0, base_discount_amount=0.0, base_shipping_amount=0.0,
                   base_shipping_tax_amount=0.0, base_grand_total=24.0, base_subtotal=20.0),
        ],
        "creditmemos": [
            {"entity_id": 7, "order_id": 2, "created_at": "2026-04-05 08:00:00", "base_grand_total": 12.0,
             "base_tax_amount": 2.0, "base_subtotal": 10.0, "base_shipping_amount": 0.0,
             "items": [{"order_item_id": 21, "qty": 1}], "extension_attributes": {"return_to_stock_items": [21]}},
        ],
        "products": [
            {"id": 101, "sku": "KNIT-HAT", "name": "Knitted hat", "price": 20, "status": 1, "type_id": "simple",
             "updated_at": "2026-02-01 10:00:00",
             "custom_attributes": [{"attribute_code": "description", "value": "<p>Hebridean wool.</p>"},
                                   {"attribute_code": "cost", "value": "8.0000"}],
             "media_gallery_entries": [{"id": 1, "media_type": "image", "file": "/k/n/knit-hat.jpg"}],
             "extension_attributes": {"stock_item": {"qty": 3, "manage_stock": True}}},
            {"id": 102, "sku": "SCARF-M", "name": "Scarf", "price": 10, "status": 2, "type_id": "simple",
             "updated_at": "2026-02-01 10:00:00", "custom_attributes": [],
             "extension_attributes": {"stock_item": {"qty": 0, "manage_stock": True}}},
        ],
        "inventory/source-items": [
            {"sku": "KNIT-HAT", "source_code": "default", "quantity": 12, "status": 1},
            {"sku": "KNIT-HAT", "source_code": "stornoway", "quantity": 5, "status": 1},
        ],
    }  # fmt: skip


def _matches(item: dict, field: str, condition: str, value: str) -> bool:
    actual = item.get(field, item.get("id") if field == "entity_id" else None)  # a product's entity_id is its id
    if condition == "in":
        return str(actual) in value.split(",")
    if isinstance(actual, int | float):
        actual, value = float(actual), float(value)
    else:
        actual = "" if actual is None else str(actual)
    return {"eq": actual == value, "gt": actual > value, "gteq": actual >= value}[condition]


class FakeMagento:
    def __init__(self, data=None, *, token: str = TOKEN):
        self.data = data if data is not None else sample()
        self.token = token
        self.msi = True
        self.denied: set[str] = set()
        self.failures: dict[tuple[str, int], list] = {}
        self.served: dict[str, int] = {}
        self.queries: dict[str, list[dict]] = {}
        self.headers_seen: list[dict] = []

    def __call__(self, index: int, path: str) -> tuple[int, dict, bytes]:
        parts = urlsplit(path)
        resource = unquote(parts.path).split("/rest/V1/", 1)[-1].strip("/")
        params = dict(parse_qsl(parts.query))
        self.queries.setdefault(resource, []).append(params)
        auth = (self.headers_seen[-1] if self.headers_seen else {}).get("Authorization", "")
        refused = {"message": "The consumer isn't authorized to access %resources.",
                   "parameters": {"resources": "Magento_Sales::actions_view"}}  # fmt: skip
        if auth != f"Bearer {self.token}" or resource in self.denied:
            return 401, {}, json.dumps(refused).encode()
        if (resource.startswith("inventory/") and not self.msi) or resource not in self.data:
            return 404, {}, b'{"message":"Request does not match any route."}'
        pending = self.failures.get((resource, self.served.get(resource, 0) + 1))
        if pending:
            failure = pending.pop(0)
            if failure == "truncated":
                return 200, {}, b'{"items":[{"entity_id":1,"state":"compl'
            return failure, {"Retry-After": "1"} if failure == 429 else {}, b'{"message":"busy"}'
        self.served[resource] = self.served.get(resource, 0) + 1
        groups: dict[str, dict[str, dict]] = {}
        for name, value in params.items():
            match = re.fullmatch(r"searchCriteria\[filter_groups\]\[(\d+)\]\[filters\]\[(\d+)\]\[(\w+)\]", name)
            if match:
                groups.setdefault(match[1], {}).setdefault(match[2], {})[match[3]] = value
        items = self.data[resource]
        for filters in groups.values():
            items = [
                item for item in items
                if any(_matches(item, f["field"], f.get("condition_type", "eq"), f["value"]) for f in filters.values())
            ]  # fmt: skip
        sort = params.get("searchCriteria[sortOrders][0][field]")
        if sort:
            key = "id" if sort == "entity_id" and resource == "products" else sort
            items = sorted(items, key=lambda item: item.get(key))
        size = int(params.get("searchCriteria[pageSize]", 20))
        pages = max(-(-len(items) // size), 1)
        page = min(int(params.get("searchCriteria[currentPage]", 1)), pages)  # past the last: the last again
        body = {"items": copy.deepcopy(items[(page - 1) * size : page * size]), "search_criteria": {},
                "total_count": len(items)}  # fmt: skip
        return 200, {}, json.dumps(body).encode()
