"""The WooCommerce REST API v3: consumer key and secret, numbered pages with ``X-WP-TotalPages``.

Over HTTPS the key and secret go as HTTP Basic authentication, as WooCommerce documents.
Over plain HTTP WooCommerce wants OAuth 1.0a signatures; the key is only sent there to a
test server on this machine (as ``consumer_key``/``consumer_secret`` parameters), never to
a shop across the network in clear.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext

from ..base import ConnectorError
from ..restapi import ShopClient

PAGE_SIZE = 100  # WooCommerce's maximum per_page


def is_loopback(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WooCommerceClient(ShopClient):
    platform = "WooCommerce"

    def __init__(self, *, base_url: str, key: str, secret: str, session: requests.Session | None = None):
        super().__init__(base_url=base_url, session=session)
        scheme = urlsplit(self.base_url).scheme
        if scheme != "https" and not (scheme == "http" and is_loopback(self.base_url)):
            raise ConnectorError(
                gettext(
                    "Please use the shop's https:// address: WooCommerce only accepts API keys over a secure "
                    "connection."
                )
            )
        self.api_root = f"{self.base_url}/wp-json/wc/v3/"
        self.http.headers["Accept"] = "application/json"
        if scheme == "https":
            self.http.auth = (key, secret)
            self._params = {}
        else:
            self._params = {"consumer_key": key, "consumer_secret": secret}

    def request_kwargs(self) -> dict:
        return {"params": self._params} if self._params else {}

    def refused_message(self) -> str:
        return gettext(
            "WooCommerce refused the consumer key and secret. Please check them, and that the key has read access."
        )

    def get_page(self, resource: str, params: dict) -> tuple[list, int | None, requests.Response]:
        """One page of a listing: its items, ``X-WP-TotalPages`` (None when absent), the response."""
        data, response = self.get(f"{self.api_root}{resource}", params)
        if not isinstance(data, list):
            raise self.unexpected_answer()
        try:
            total_pages = int(response.headers["X-WP-TotalPages"])
        except (KeyError, ValueError):
            total_pages = None
        return data, total_pages, response
