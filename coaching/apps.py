from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    """The account managers' work with each SME.

    It owns the progress sheet (every contact), review and planning sessions with their
    calendars, the new-market entry plan with its actions, and the drift alerts that
    show a launchpad which SMEs need attention. It may import ``toolkit`` and below.
    """

    name = "coaching"
    label = "coaching"
    verbose_name = _("Coaching")
