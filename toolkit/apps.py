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

    def ready(self):
        from connectors import sync
        from journey import panels

        from . import workspace
        from .services import report_refresh_after_commit
        from .views import sme_panel

        def refresh(source, run):
            # Nothing changed, nothing to recompute (an incremental sync often finds nothing new).
            if run.created or run.updated:
                report_refresh_after_commit(sme_id=source.sme_id)

        sync.after_success.append(refresh)
        panels.register(sme_panel)
        workspace.register()
