"""Squarespace Commerce APIs: orders, products and inventory with a site's API key."""
