from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Programme reporting: the top layer, above ``cms | learning | coaching``.

    It owns the quarterly reviews (figures frozen when published, corrections as new
    versions), the lessons register, the programme dashboard and their PDF and XLSX
    exports. Its figures read every app below it directly (``reporting.sections``): no
    lower app knows reporting exists.
    """

    name = "reporting"
    label = "reporting"
    verbose_name = _("Programme reporting")
    default_auto_field = "django.db.models.BigAutoField"
