from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data: subject access exports, erasure, the register of requests, retention.

    The top layer, above ``reporting``: a person's data lies in every app, so this app reads
    and rewrites the models of all of them directly; no app below knows it exists.
    """

    name = "privacy"
    label = "privacy"
    verbose_name = _("Personal data")
    default_auto_field = "django.db.models.BigAutoField"
