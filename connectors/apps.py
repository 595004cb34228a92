from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectorsConfig(AppConfig):
    """Getting each SME's commerce data in: data sources and syncs.

    It owns the normalised commerce data (products, orders, order lines, daily product
    analytics), one plug-in per source platform (shops, analytics, file upload) behind a
    single interface, and the sync engine that runs them as Celery tasks, resuming where
    a sync stopped. It may import ``journey`` only.
    """

    name = "connectors"
    label = "connectors"
    verbose_name = _("Connectors")

    def ready(self):
        from . import logs

        logs.install()
