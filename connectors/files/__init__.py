"""File upload: orders and products from CSV or XLSX files, plain, gzip or zip (see ``importer``)."""
