"""Wagtail's user screens with the programme's fields: role, launchpad or SME, language."""

from django.core.exceptions import ValidationError
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

PROGRAMME_FIELDS = ["role", "launchpad", "sme", "preferred_language"]


class ProgrammeUserFields:
    """Checks the role's attachment (launchpad or SME) the way the database constraint does."""

    def programme_fields(self):
        """The bound fields the templates add under Wagtail's own."""
        return [self[name] for name in PROGRAMME_FIELDS]

    def clean(self):
        cleaned = super().clean()
        self.instance.role = cleaned.get("role")
        self.instance.launchpad = cleaned.get("launchpad")
        self.instance.sme = cleaned.get("sme")
        try:
            self.instance.clean()
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class ProgrammeUserCreationForm(ProgrammeUserFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PROGRAMME_FIELDS)


class ProgrammeUserEditForm(ProgrammeUserFields, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PROGRAMME_FIELDS)


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return ProgrammeUserEditForm if for_update else ProgrammeUserCreationForm
