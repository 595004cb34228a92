"""The WooCommerce REST API v3: consumer key and secret, listings read by ``offset`` with ``X-WP-Total``.

The key and secret always go as HTTP Basic authentication in a header, as WooCommerce
documents for HTTPS: never in the query string, where a proxy, a server log or urllib3's
retry warnings would write them down. Plain HTTP is refused (WooCommerce wants OAuth 1.0a
signatures there), except to a test server on this machine when local addresses are allowed.
"""

from __future__ import annotations

import requests
from django.utils.translation import gettext

from ..restapi import ShopClient

PAGE_SIZE = 100  # WooCommerce's maximum per_page


class WooCommerceClient(ShopClient):
    platform = "WooCommerce"

    def __init__(self, *, base_url: str, key: str, secret: str, session: requests.Session | None = None):
        super().__init__(base_url=base_url, session=session)
        self.api_root = f"{self.base_url}/wp-json/wc/v3/"
        self.http.headers["Accept"] = "application/json"
        self.http.auth = (key, secret)

    def insecure_message(self) -> str:
        return gettext(
            "Please use the shop's https:// address: WooCommerce only accepts API keys over a secure connection."
        )

    def refused_message(self) -> str:
        return gettext(
            "WooCommerce refused the consumer key and secret. Please check them, and that the key has read access."
        )

    def get_listing(self, resource: str, params: dict) -> tuple[list, int | None, requests.Response]:
        """One request of a listing: its items, ``X-WP-Total`` (None when absent), the response."""
        data, response = self.get(f"{self.api_root}{resource}", params)
        if not isinstance(data, list):
            raise self.unexpected_answer()
        try:
            total = int(response.headers["X-WP-Total"])
        except (KeyError, ValueError):
            total = None
        return data, total, response
