"""The Magento 2 / Adobe Commerce REST API under ``SHOP_URL/rest/V1/``, with an integration access token.

The token goes as ``Authorization: Bearer``. Listings take ``searchCriteria``: filter groups
(filters within a group are OR-ed, groups AND-ed), ``sortOrders``, ``pageSize`` and
``currentPage``; the answer is ``{"items": [...], "search_criteria": ..., "total_count": n}``.
Magento answers a page past the last with the last page again, so a listing is never read by
page number here: each request filters past the last id written instead.
"""

from __future__ import annotations

import requests
from django.utils.translation import gettext

from ..base import ConnectorError
from ..restapi import ShopClient

PAGE_SIZE = 100


def search_criteria(groups: list[list[tuple[str, str, str]]], *, sort: str, size: int) -> dict:
    """``searchCriteria`` query parameters: ``groups`` of (field, condition, value) filters."""
    params: dict[str, str | int] = {}
    for g, filters in enumerate(groups):
        for f, (field, condition, value) in enumerate(filters):
            prefix = f"searchCriteria[filter_groups][{g}][filters][{f}]"
            params[f"{prefix}[field]"] = field
            params[f"{prefix}[value]"] = value
            params[f"{prefix}[condition_type]"] = condition
    params["searchCriteria[sortOrders][0][field]"] = sort
    params["searchCriteria[sortOrders][0][direction]"] = "ASC"
    params["searchCriteria[pageSize]"] = size
    params["searchCriteria[currentPage]"] = 1
    return params


class NoInventoryApi(ConnectorError):
    """The store has no MSI (Multi-Source Inventory) endpoints: 404 on ``inventory/…``."""


class MagentoClient(ShopClient):
    platform = "Magento"

    def __init__(self, *, base_url: str, token: str, session: requests.Session | None = None):
        super().__init__(base_url=base_url, session=session)
        self.api_root = f"{self.base_url}/rest/V1/"
        self.http.headers["Accept"] = "application/json"
        self.http.headers["Authorization"] = f"Bearer {token}"

    def refused_message(self) -> str:
        return gettext(
            "Magento refused the access token, or the integration may not read this data. Please check the "
            "token (System → Extensions → Integrations) and that the integration may read sales, products and "
            "inventory."
        )

    def platform_error(self, response: requests.Response) -> ConnectorError | None:
        if response.status_code == 404 and "/rest/V1/inventory/" in (response.url or ""):
            return NoInventoryApi("no MSI")
        return None

    def search(self, resource: str, params: dict) -> tuple[list[dict], int | None, requests.Response]:
        data, response = self.get(f"{self.api_root}{resource}", params)
        if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
            raise self.unexpected_answer()
        items = data.get("items") or []
        if not all(isinstance(item, dict) for item in items):
            raise self.unexpected_answer()
        total = data.get("total_count")
        return items, total if isinstance(total, int) else None, response
