"""The PrestaShop webservice (1.7 and 8.x) under ``SHOP_URL/api/``.

The webservice key goes as the HTTP Basic user with an empty password, as PrestaShop documents
("enter the authentication key as the login"): never in the query string (``ws_key=``), where
a server log or urllib3's retry warnings would write it down. Every listing asks for
``output_format=JSON`` and ``display=full``; a listing's JSON is ``{"orders": [...]}``, or a bare
``[]`` when nothing matches.

PrestaShop explains its refusals with numbered errors (``{"errors": [{"code", "message"}]}``):
26 is a resource the key may not read, 25 a method it may not use, 22 a webservice switched
off in the back office. The version is in the ``PSWS-Version`` header of every answer.
"""

from __future__ import annotations

import json
import logging

import requests
from django.utils.translation import gettext

from ..base import ConnectorError
from ..restapi import AccessRefused, ShopClient

logger = logging.getLogger(__name__)

PAGE_SIZE = 100
OLDEST_VERSION = (1, 7)  # JSON output and the date filter as documented for 1.7 and 8.x

# Resource names as the webservice lists them, and what the key must be allowed to read.
RESOURCE_NAMES = {
    "orders": "orders",
    "order_slip": "order_slips",
    "order_states": "order_states",
    "products": "products",
    "combinations": "combinations",
    "stock_availables": "stock_availables",
    "customers": "customers",
    "groups": "groups",
    "addresses": "addresses",
    "countries": "countries",
    "currencies": "currencies",
    "configurations": "configurations",
}


class PermissionMissing(AccessRefused):
    """The key is valid but may not read this resource."""

    def __init__(self, message: str, *, resource: str):
        super().__init__(message)
        self.resource = resource


def version_tuple(value: str) -> tuple[int, ...]:
    parts = []
    for part in value.strip().split("."):
        if not part.isdigit():
            break
        parts.append(int(part))
    return tuple(parts)


class PrestaShopClient(ShopClient):
    platform = "PrestaShop"

    def __init__(self, *, base_url: str, key: str, session: requests.Session | None = None):
        super().__init__(base_url=base_url, session=session)
        self.api_root = f"{self.base_url}/api/"
        self.http.headers["Accept"] = "application/json"
        self.http.auth = (key, "")
        self.version: tuple[int, ...] | None = None

    def refused_message(self) -> str:
        return gettext(
            "PrestaShop refused the webservice key. Please check it (Advanced Parameters → Webservice) "
            "and that it is enabled."
        )

    def after_response(self, response: requests.Response) -> None:
        version = response.headers.get("PSWS-Version")
        if version:
            self.version = version_tuple(version)

    def platform_error(self, response: requests.Response) -> ConnectorError | None:
        try:
            errors = json.loads(response.content).get("errors") or []
            codes = {int(error.get("code")) for error in errors if isinstance(error, dict)}
        except (ValueError, TypeError, AttributeError):
            return None
        resource = response.url.split("/api/", 1)[-1].split("?", 1)[0].split("/", 1)[0] if response.url else ""
        if codes & {25, 26}:
            logger.warning("PrestaShop at %s: the key may not read %s", self.address, resource)
            return PermissionMissing(
                gettext(
                    "The webservice key may not read %(resource)s. In PrestaShop (Advanced Parameters → "
                    "Webservice), tick “View (GET)” for %(resource)s on this key."
                )
                % {"resource": resource or "?"},
                resource=resource,
            )
        if 22 in codes:
            return ConnectorError(
                gettext(
                    "The webservice of the shop at %(address)s is switched off. Please enable it in PrestaShop "
                    "(Advanced Parameters → Webservice)."
                )
                % {"address": self.address}
            )
        return None

    def listing(self, resource: str, params: dict) -> tuple[list[dict], requests.Response]:
        """One request of a listing with every field: its items and the response."""
        query = {"output_format": "JSON", "display": "full", **params}
        data, response = self.get(f"{self.api_root}{resource}", query)
        if data == [] or data == {}:
            return [], response  # PrestaShop's answer when nothing matches
        if not isinstance(data, dict):
            raise self.unexpected_answer()
        items = data.get(RESOURCE_NAMES.get(resource, resource))
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise self.unexpected_answer()
        return items, response

    def too_old(self) -> bool:
        return self.version is not None and self.version[:2] < OLDEST_VERSION

    def too_old_error(self) -> ConnectorError:
        return ConnectorError(
            gettext(
                "The shop at %(address)s runs PrestaShop %(version)s: E-Channel reads PrestaShop 1.7 and later. "
                "Please update the shop, or upload an export of your orders instead."
            )
            % {"address": self.address, "version": ".".join(str(part) for part in self.version or ())}
        )
