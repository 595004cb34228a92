"""E-Channel project configuration: settings, URLs, the Celery app and the demo loader."""

from .celery_app import app as celery_app

__all__ = ["celery_app"]
