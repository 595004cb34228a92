from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class JourneyConfig(AppConfig):
    """The programme's case management core and the lowest layer of E-Channel.

    It owns the programme and its two launchpads, the people and their roles, the SMEs
    with their contact people, and the one module that decides who may see or change
    which SME (``journey.scoping``). The SME journey (stage machine) lives here too.
    It imports no other E-Channel app: higher apps plug in through its hooks
    (``journey.hooks``).
    """

    default = True
    name = "journey"
    label = "journey"
    verbose_name = _("SME journey")
    default_auto_field = "django.db.models.BigAutoField"


class ProgrammeUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with each person's role, launchpad or SME, and language."""

    user_viewset = "journey.users_admin.UserViewSet"
