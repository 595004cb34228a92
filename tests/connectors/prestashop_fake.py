"""A PrestaShop webservice on 127.0.0.1 for the tests: listings, filters, sorting and limits as documented.

It answers like ``SHOP/api/<resource>?output_format=JSON&display=…`` does on PrestaShop 1.7 and
8.x: ``{"orders": [...]}`` (a bare ``[]`` when nothing matches), ``filter[field]=[a|b]`` (any
of), ``[a,b]`` (an interval, dates compared as PrestaShop writes them) and ``[a]`` (equal),
``sort=[id_ASC]``, ``limit=n`` or ``limit=offset,n``, ``display=full`` or ``[field,…]``. The
key is the Basic-auth user; a wrong key gets 401 with error 18 or 20, a resource the key may
not read 401 with error 26. Every answer carries ``PSWS-Version`` and ``Date``.

``failures[(resource, n)]``: what to serve instead of the n-th listing of that resource
(1-based, counted when served): a status (with ``Retry-After: 1`` on a 429), ``"truncated"``
(JSON cut off) or ``("sleep", seconds)`` (a slow answer).
"""

from __future__ import annotations

import base64
import copy
import json
import time
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"
KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"  # 32 characters, as PrestaShop generates them
NODE_NAMES = {"order_slip": "order_slips"}


def sample() -> dict[str, list[dict]]:
    return json.loads((FIXTURES / "prestashop_webservice.json").read_text())


def _matches(value, rule: str) -> bool:
    value = "" if value is None else str(value)
    inner = rule[1:-1] if rule.startswith("[") and rule.endswith("]") else rule
    if "|" in inner:
        return value in inner.split("|")
    if "," in inner:
        low, high = inner.split(",", 1)
        if value.lstrip("-").isdigit() and low.isdigit() and high.isdigit():
            return int(low) <= int(value) <= int(high)
        return low <= value <= high
    return value.lower() == inner.lower()


class FakePrestaShop:
    def __init__(self, data: dict[str, list[dict]] | None = None, *, version: str = "8.1.7", key: str = KEY):
        self.data = data if data is not None else sample()
        self.version = version
        self.key = key
        self.denied: set[str] = set()
        self.failures: dict[tuple[str, int], list] = {}
        self.served: dict[str, int] = {}
        self.queries: dict[str, list[dict]] = {}
        self.headers_seen: list[dict] = []

    def listing(self, resource: str) -> list[dict]:
        return self.data.get(resource) or []

    def __call__(self, index: int, path: str) -> tuple[int, dict, bytes]:
        parts = urlsplit(path)
        resource = unquote(parts.path).split("/api/", 1)[-1].strip("/")
        params = dict(parse_qsl(parts.query))
        self.queries.setdefault(resource, []).append(params)
        headers = {"PSWS-Version": self.version}
        auth = (self.headers_seen[-1] if self.headers_seen else {}).get("Authorization", "")
        user = base64.b64decode(auth[6:]).decode().split(":", 1)[0] if auth.startswith("Basic ") else None
        if user != self.key:
            code, message = (18, "Invalid authentication key format") if not user else (20, "key is not active")
            return 401, headers, json.dumps({"errors": [{"code": code, "message": message}]}).encode()
        if resource in self.denied:
            error = {
                "code": 26,
                "message": f'Resource of type "{resource}" is not allowed with this authentication key',
            }
            return 401, headers, json.dumps({"errors": [error]}).encode()
        pending = self.failures.get((resource, self.served.get(resource, 0) + 1))
        failure = pending.pop(0) if pending else None
        if failure == "truncated":
            return 200, headers, b'{"orders":[{"id":"1","id_address_delivery":"5","to'
        if isinstance(failure, tuple):
            time.sleep(failure[1])  # then answers, to a client that stopped waiting: not counted as served
        elif failure is not None:
            extra = {"Retry-After": "1"} if failure == 429 else {}
            return failure, {**headers, **extra}, b'{"errors":[{"code":0,"message":"busy"}]}'
        else:
            self.served[resource] = self.served.get(resource, 0) + 1
        items = self.listing(resource)
        for name, rule in params.items():
            if name.startswith("filter[") and name.endswith("]"):
                field = name[7:-1]
                items = [item for item in items if _matches(item.get(field), rule)]
        if params.get("sort") == "[id_ASC]":
            items = sorted(items, key=lambda item: int(item["id"]))
        if "limit" in params:
            offset, _, count = params["limit"].rpartition(",")
            start = int(offset or 0)
            items = items[start : start + int(count)]
        display = params.get("display")
        if display and display != "full":
            fields = display.strip("[]").split(",")
            items = [{field: item.get(field) for field in fields} for item in items]
        else:
            items = copy.deepcopy(items)
        body = {NODE_NAMES.get(resource, resource): items} if items else []
        return 200, headers, json.dumps(body).encode()
