"""Forms of the data sources page.

"Connect a shop" is built from what each connector declares (``Connector.connect_fields``,
``url_label``, ``url_help``): the form shows the chosen platform's fields only, so a new
connector brings its own fields without editing this form.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import SourceKind

DEFAULT_URL_HELP = _("The address of your shop, for example https://my-shop.myshopify.com or https://www.my-shop.fr")


def shop_kinds() -> list[tuple[str, str]]:
    """The platforms a shop can be connected from, with their names."""
    labels = dict(SourceKind.choices)
    return [(kind, labels.get(kind, kind)) for kind in registry.connectable_kinds()]


def chosen_kind(value: str | None, default: str | None = None) -> str | None:
    """``value`` if a shop of that kind can be connected, else ``default`` if it can, else None."""
    kinds = [kind for kind, _label in shop_kinds()]
    for candidate in (value, default):
        if candidate in kinds:
            return candidate
    return None


class ShopSourceForm(forms.Form):
    """Connect a shop of one platform. Credentials go straight to encrypted storage and are never shown back.

    ``kind``: the platform whose fields the form shows (posted as a hidden field); with data,
    the posted one wins.
    """

    kind = forms.ChoiceField(label=_("Shop platform"), widget=forms.HiddenInput)
    url = forms.URLField(label=_("Shop address"), assume_scheme="https")

    def __init__(self, data=None, *args, kind: str | None = None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fields["kind"].choices = shop_kinds()
        self.platform = chosen_kind((data or {}).get("kind"), kind)
        self.fields["kind"].initial = self.platform
        if self.platform is None:
            return
        connector = registry.connector_class(self.platform)
        self.fields["url"].label = connector.url_label or _("Shop address")
        self.fields["url"].help_text = connector.url_help or DEFAULT_URL_HELP
        for spec in registry.connect_fields(self.platform):
            attrs = {"autocomplete": "off", "spellcheck": "false"}
            widget = (
                forms.PasswordInput(render_value=False, attrs=attrs) if spec.secret else forms.TextInput(attrs=attrs)
            )
            self.fields[spec.name] = forms.CharField(
                label=spec.label,
                help_text=spec.help_text,
                required=spec.required,
                strip=True,
                widget=widget,
                error_messages={"required": _("Please fill in “%(field)s”.") % {"field": spec.label}},
            )

    @property
    def platform_name(self) -> str:
        return dict(shop_kinds()).get(self.platform or "", "")

    def credentials(self) -> dict:
        data = self.cleaned_data
        return {spec.name: data[spec.name] for spec in registry.connect_fields(data["kind"]) if data.get(spec.name)}
