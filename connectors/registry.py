"""The connectors, by kind: one explicit table (no discovery by import side effects).

Each platform is a package: ``client.py`` talks HTTP, ``connector.py`` maps its answers to
``connectors.records``.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from .base import Connector

CONNECTORS: dict[str, str] = {
    "shopify": "connectors.shopify.graphql.ShopifyGraphQLConnector",
    "woocommerce": "connectors.woocommerce.connector.WooCommerceConnector",
    "ga4": "connectors.ga4.connector.GA4Connector",
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
