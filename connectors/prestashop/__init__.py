"""PrestaShop connector: ``client`` talks to the webservice, ``connector`` maps its answers to records."""
