"""Magento 2 / Adobe Commerce connector: ``client`` talks to the REST API, ``connector`` maps its answers."""
