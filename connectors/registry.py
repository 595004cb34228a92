"""The connectors, by kind: one explicit table (no discovery by import side effects).

Each platform is a package: ``client.py`` talks HTTP, ``connector.py`` maps its answers to
``connectors.records``.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from .base import ConnectField, Connector

CONNECTORS: dict[str, str] = {
    "ga4": "connectors.ga4.connector.GA4Connector",
    "magento": "connectors.magento.connector.MagentoConnector",
    "prestashop": "connectors.prestashop.connector.PrestaShopConnector",
    "shopify": "connectors.shopify.graphql.ShopifyGraphQLConnector",
    "squarespace": "connectors.squarespace.connector.SquarespaceConnector",
    "woocommerce": "connectors.woocommerce.connector.WooCommerceConnector",
}


def connector_class(kind: str) -> type[Connector]:
    try:
        return import_string(CONNECTORS[kind])
    except KeyError:
        raise LookupError(f"No connector syncs sources of kind {kind!r}") from None


def connector_for(source, *, interactive: bool = False) -> Connector:
    """The connector that reads this data source.

    ``interactive``: for a check made while a person waits, with a session that neither
    retries nor waits for ``Retry-After`` and has short timeouts (``connectors.http.session``).
    """
    if not interactive:
        return connector_class(source.kind)(source)
    from . import http

    return connector_class(source.kind)(source, session=http.session(interactive=True))


def connect_fields(kind: str) -> tuple[ConnectField, ...]:
    """The credentials a source of this kind needs, as its connector declares them."""
    return connector_class(kind).connect_fields


def connectable_kinds() -> list[str]:
    """The shop platforms a person can connect with an address and credentials (the "Connect a shop"
    form, ``add_source --url``). An analytics property has no address (``url_label = ""``): it is
    connected with ``add_source --kind ga4``."""
    return [kind for kind in CONNECTORS if connect_fields(kind) and connector_class(kind).url_label != ""]


def form_kinds() -> list[str]:
    """What the data page's "Connect" form offers: the shops, then the analytics properties (no address)."""
    kinds = [kind for kind in CONNECTORS if connect_fields(kind)]
    return sorted(kinds, key=lambda kind: connector_class(kind).url_label == "")
