from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """Learning for SMEs: short bilingual courses, quizzes and badges.

    It owns the course pages and lessons, enrolments and quiz attempts, badge classes
    and awards (verifiable Open Badges credentials), and asks ``toolkit`` to open a tool
    when a badge unlocks it. It may import ``toolkit`` and below.
    """

    name = "learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self):
        from journey import panels
        from toolkit import milestones, unlocks

        from . import workspace
        from .selectors import unlock_hint
        from .services import badges_evaluate_after_commit
        from .views import sme_panel

        def milestone_moved(sender, sme, **kwargs):
            badges_evaluate_after_commit(sme_id=sme.pk)

        milestones.milestone_changed.connect(milestone_moved, weak=False, dispatch_uid="learning.milestone_moved")
        unlocks.register_hint(unlock_hint)
        panels.register(sme_panel)
        workspace.register()
