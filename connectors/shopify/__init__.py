"""Shopify connector: ``graphql`` reads the GraphQL Admin API (what syncs use); ``connector`` holds the
money mapping (``map_order``, ``map_product``) and the legacy REST connector; ``client`` the REST client."""
