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
