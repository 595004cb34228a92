"""WooCommerce connector: ``client`` talks to the REST API v3, ``connector`` maps its answers to records."""
