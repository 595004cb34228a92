"""The Squarespace Commerce APIs at ``https://api.squarespace.com`` with a site's API key.

The key goes as ``Authorization: Bearer``; Squarespace rejects a request without a
``User-Agent`` and may throttle a generic one harder, so every call names this application.
Every listing answers ``{"<items>": [...], "pagination": {"hasNextPage", "nextPageCursor",
"nextPageUrl"}}`` with at most 50 items; a ``cursor`` cannot be combined with any other
parameter (the date range or type of the first request travel inside it).

Rate limit (developers.squarespace.com/commerce-apis/rate-limits): 300 requests a minute; over
it, 429 with a one-minute cool-down and no ``Retry-After``. ``SquarespaceRetry`` waits out
``CONNECTORS_SQUARESPACE_COOLDOWN`` (60 s) after such a 429, or the ``Retry-After`` if one is
ever sent; 5xx and timeouts back off as for every connector (``connectors.http``).

Errors answer ``{"type", "subtype", "message", "details", "contextId"}``: 401 a wrong or revoked
key, 403 a key without the permission for that API, 400 a request refused (an expired cursor).
"""

from __future__ import annotations

import requests
from django.conf import settings
from django.utils.translation import gettext, pgettext_lazy

from .. import http
from ..base import ConnectorError
from ..restapi import AccessRefused, ShopClient

USER_AGENT = "E-Channel/1.0 (UK-France export programme; read-only sales analysis)"

# Which permission of the key each API needs (Settings → Advanced → Developer API keys).
PERMISSIONS = {
    "commerce/orders": pgettext_lazy("Squarespace API key permission", "Orders"),
    "commerce/products": pgettext_lazy("Squarespace API key permission", "Products"),
    "commerce/inventory": pgettext_lazy("Squarespace API key permission", "Inventory"),
}


class SquarespaceRetry(http.ShopRetry):
    """``ShopRetry`` that waits out Squarespace's cool-down after a 429 that says nothing."""

    def get_retry_after(self, response) -> float | None:
        seconds = super().get_retry_after(response)
        if seconds is None and response.status == 429:
            return float(settings.CONNECTORS_SQUARESPACE_COOLDOWN) or None
        return seconds


class SquarespaceClient(ShopClient):
    platform = "Squarespace"

    def __init__(self, *, key: str, session: requests.Session | None = None):
        super().__init__(
            base_url=settings.CONNECTORS_SQUARESPACE_API_ROOT,
            session=session or http.session(retry_class=SquarespaceRetry),
        )
        self.http.headers["Accept"] = "application/json"
        self.http.headers["User-Agent"] = USER_AGENT
        self.http.headers["Authorization"] = f"Bearer {key}"

    def insecure_message(self) -> str:
        return gettext("The Squarespace API is only read over a secure (https://) connection.")

    def refused_message(self) -> str:
        return gettext(
            "Squarespace refused the API key: it is wrong or has been revoked. Please generate a new one "
            "(Settings → Advanced → Developer API keys) and enter it again."
        )

    def platform_error(self, response: requests.Response) -> ConnectorError | None:
        if response.status_code == 403:
            url = response.url or ""
            permission = next((name for path, name in PERMISSIONS.items() if f"/{path}" in url), None)
            if permission:
                return AccessRefused(
                    gettext(
                        "The API key may not read %(permission)s. In Squarespace (Settings → Advanced → "
                        "Developer API keys), give the key the read-only permission for Orders, Products and "
                        "Inventory, then enter it again."
                    )
                    % {"permission": str(permission)}
                )
            return AccessRefused(self.refused_message())
        if response.status_code == 404:
            return ConnectorError(
                gettext(
                    "Squarespace found no store for this API key (error 404). Please check that the key was "
                    "generated on your site (Settings → Advanced → Developer API keys) and that the site sells "
                    "through Squarespace Commerce."
                )
            )
        return None

    def listing(self, path: str, key: str, params: dict) -> tuple[list[dict], str | None, requests.Response]:
        """One page of a listing: its items, the next page's cursor (None after the last) and the response."""
        data, response = self.get(f"{self.base_url}/{path}", params)
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            raise self.unexpected_answer()
        items = data[key]
        pagination = data.get("pagination") or {}
        if not all(isinstance(item, dict) for item in items) or not isinstance(pagination, dict):
            raise self.unexpected_answer()
        following = pagination.get("nextPageCursor") if pagination.get("hasNextPage") else None
        if following is not None and not (isinstance(following, str) and following):
            raise self.unexpected_answer()
        return items, following, response

    def website(self) -> dict:
        data, _ = self.get(f"{self.base_url}/1.0/authorization/website")
        if not isinstance(data, dict):
            raise self.unexpected_answer()
        return data
