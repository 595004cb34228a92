from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitConfig(AppConfig):
    """The DMCP toolkit: data readiness and the four analyses.

    It owns the pure analyses (inventory quality, market assessment, business planning
    with profit and cost, business growth) that turn an SME's commerce data into
    findings, the SME dashboard that shows them, and which tools are open to which SME.
    It may import ``connectors`` and ``journey``.
    """

    name = "toolkit"
    label = "toolkit"
    verbose_name = _("DMCP toolkit")
