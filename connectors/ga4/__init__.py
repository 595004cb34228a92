"""Google Analytics 4 connector: ``client`` calls the Data API, ``connector`` maps its reports to records."""
