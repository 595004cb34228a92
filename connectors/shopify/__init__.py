"""Shopify connector: ``client`` talks to the Admin REST API, ``connector`` maps its answers to records."""
