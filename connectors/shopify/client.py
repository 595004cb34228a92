"""The Shopify Admin REST API (legacy; syncs use ``graphql.py``): token header, ``Link`` pages, call-limit bucket.

Shopify's REST limit is a leaky bucket per app and shop: ``X-Shopify-Shop-Api-Call-Limit:
used/size`` on every answer, leaking ``size / 20`` calls a second (2/s for 40, 4/s for 80,
20/s for 400). When the bucket is nearly full the client waits until it has drained below
the threshold, so a long sync does not run into 429s; a 429 that still comes is retried by
``connectors.http`` after its ``Retry-After``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from django.utils.translation import gettext

from ..restapi import ShopClient

logger = logging.getLogger(__name__)

DEFAULT_API_VERSION = "2026-10"  # REST is legacy: sync uses graphql.py; see its docstring
PAGE_SIZE = 250  # Shopify's maximum
# Slow down once the bucket is this full (a share of its size).
BUCKET_THRESHOLD = 0.8


def page_info_of(response: requests.Response, rel: str = "next") -> str | None:
    """The ``page_info`` of the ``Link`` header's next page, if there is one."""
    link = response.links.get(rel)
    if not link:
        return None
    values = parse_qs(urlsplit(link.get("url", "")).query).get("page_info")
    return values[0] if values else None


class ShopifyClient(ShopClient):
    platform = "Shopify"

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        api_version: str = DEFAULT_API_VERSION,
        sleep: Callable[[float], Any] | None = None,
        session: requests.Session | None = None,
    ):
        super().__init__(base_url=base_url, session=session)
        self.api_root = f"{self.base_url}/admin/api/{api_version}/"
        self.http.headers["X-Shopify-Access-Token"] = token
        self.http.headers["Accept"] = "application/json"
        self.sleep = sleep or time.sleep

    def refused_message(self) -> str:
        return gettext(
            "Shopify refused the access token. Please check it, and that the app may read products, "
            "orders and inventory."
        )

    def after_response(self, response: requests.Response) -> None:
        wait = bucket_wait(response.headers.get("X-Shopify-Shop-Api-Call-Limit", ""))
        if wait > 0:
            logger.info("Shopify at %s: call bucket nearly full, waiting %.1f s", self.address, wait)
            self.sleep(wait)

    def url(self, resource: str) -> str:
        return f"{self.api_root}{resource}.json"

    def get_object(self, resource: str, key: str, params: dict | None = None) -> Any:
        """``{key: ...}`` of ``resource``, or an unexpected-answer error when the key is missing."""
        data, _ = self.get(self.url(resource), params)
        if not isinstance(data, dict) or key not in data:
            raise self.unexpected_answer()
        return data[key]

    def get_page(self, resource: str, params: dict) -> tuple[list, str | None, requests.Response]:
        """One page of a listing: its items, the next page's ``page_info`` (or None), the response."""
        data, response = self.get(self.url(resource), params)
        items = data.get(resource) if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise self.unexpected_answer()
        return items, page_info_of(response), response

    def get_all(self, resource: str, params: dict) -> list:
        """Every item of a small listing (following ``Link`` pages)."""
        items, page_info, _ = self.get_page(resource, params)
        while page_info:
            more, page_info, _ = self.get_page(
                resource, {"limit": params.get("limit", PAGE_SIZE), "page_info": page_info}
            )
            items.extend(more)
        return items


def bucket_wait(header: str, threshold: float = BUCKET_THRESHOLD) -> float:
    """Seconds to wait for the bucket (``"used/size"``) to drain just below ``threshold``."""
    try:
        used, size = (int(part) for part in header.split("/"))
    except ValueError:
        return 0.0
    if size <= 0:
        return 0.0
    limit = int(size * threshold)
    if used < limit:
        return 0.0
    leak_per_second = size / 20
    return (used - limit + 1) / leak_per_second
