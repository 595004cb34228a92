"""Forms of the data sources page.

"Connect a shop" is built from what each connector declares (``Connector.connect_fields``,
``url_label``, ``url_help``): the form shows the chosen platform's fields only, so a new
connector brings its own fields without editing this form.
"""

import datetime
from functools import cache

from babel import Locale
from babel.numbers import get_currency_name, get_territory_currencies
from django import forms
from django.utils.translation import gettext_lazy as _

from journey.form_errors import ExplainedErrorsMixin
from journey.formatting import babel_locale

from . import registry
from .base import ConnectorError
from .models import SourceKind

MAX_UPLOAD_READ = 256 * 1024  # of an uploaded key file: beyond any connector's bound (a key is about 2 KB)

DEFAULT_URL_HELP = _("The address of your shop, for example https://my-shop.myshopify.com or https://www.my-shop.fr")


def shop_kinds() -> list[tuple[str, str]]:
    """The platforms a shop can be connected from, then the analytics services, with their names."""
    labels = dict(SourceKind.choices)
    return [(kind, labels.get(kind, kind)) for kind in registry.form_kinds()]


def chosen_kind(value: str | None, default: str | None = None) -> str | None:
    """``value`` if a shop of that kind can be connected, else ``default`` if it can, else None."""
    kinds = [kind for kind, _label in shop_kinds()]
    for candidate in (value, default):
        if candidate in kinds:
            return candidate
    return None


class ShopSourceForm(ExplainedErrorsMixin, forms.Form):
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
        if connector.url_label == "":
            del self.fields["url"]  # an analytics property: no address
        else:
            self.fields["url"].label = connector.url_label or _("Shop address")
            self.fields["url"].help_text = connector.url_help or DEFAULT_URL_HELP
            self.fields["url"].required = connector.url_required
        for spec in registry.connect_fields(self.platform):
            attrs = {"autocomplete": "off", "spellcheck": "false"}
            if spec.upload:  # a key file: never shown back (file inputs keep no value)
                self.fields[spec.name] = forms.FileField(
                    label=spec.label,
                    help_text=spec.help_text,
                    required=spec.required,
                    widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
                    error_messages={
                        "required": _("Please choose the file for “%(field)s”.") % {"field": spec.label},
                        "empty": _("The file chosen is empty."),
                    },
                )
                continue
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

    def clean(self):
        data = super().clean()
        if self.platform is None:
            return data
        connector = registry.connector_class(self.platform)
        for spec in registry.connect_fields(self.platform):
            upload = data.get(spec.name)
            if spec.upload and upload:
                try:
                    # Read one byte more than any key may hold: a larger file is refused unread beyond that.
                    content = upload.read(MAX_UPLOAD_READ)
                    data[spec.name] = connector.clean_upload(spec.name, content)
                except ConnectorError as error:
                    self.add_error(spec.name, str(error))
        if self.platform == SourceKind.GA4 and data.get("property"):
            from .ga4.client import property_id_clean

            data["property"] = property_id_clean(data["property"])
            if not data["property"]:
                self.add_error(
                    "property",
                    _("The property ID is a number, as shown in Google Analytics under Admin → Property details."),
                )
        return data

    @property
    def address(self) -> str:
        """The shop's address ("" for an analytics property)."""
        return (self.cleaned_data.get("url") or "").rstrip("/")

    def credentials(self) -> dict:
        """The secret fields (stored encrypted)."""
        data = self.cleaned_data
        return {
            spec.name: data[spec.name]
            for spec in registry.connect_fields(data["kind"])
            if spec.secret and data.get(spec.name)
        }

    def options(self) -> dict:
        """The other fields (the source's options, such as a GA4 property ID)."""
        data = self.cleaned_data
        return {
            spec.name: data[spec.name]
            for spec in registry.connect_fields(data["kind"])
            if not spec.secret and data.get(spec.name)
        }


@cache
def currencies_in_use(day: datetime.date) -> frozenset[str]:
    """The ISO 4217 codes some country uses as legal tender on ``day`` (CLDR's data, through Babel):
    about 150, without the historic ones (FRF) or the funds and metals (XAU)."""
    codes = set()
    for territory in Locale("en").territories:
        if len(territory) == 2 and territory.isalpha():
            codes.update(get_territory_currencies(territory, start_date=day))
    return frozenset(codes)


class ShopCurrencyForm(forms.Form):
    """The shop's own currency (``DataSource.options["currency"]``): every amount is stored in it, and an
    order or refund in another currency is converted at the rate of its day."""

    currency = forms.CharField(
        label=_("Shop currency"),
        min_length=3,
        max_length=3,
        help_text=_(
            "The three-letter code of the currency your shop keeps its books in, such as GBP or EUR. "
            "It applies from the next sync or import."
        ),
        error_messages={"min_length": _("Write a three-letter currency code such as GBP or EUR.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["currency"]
        field.widget.attrs.update(
            {"autocapitalize": "characters", "spellcheck": "false", "size": 4, "pattern": "[A-Za-z]{3}"}
        )
        field.error_messages["max_length"] = field.error_messages["min_length"]

    def clean_currency(self) -> str:
        code = self.cleaned_data["currency"].strip().upper()
        if code not in currencies_in_use(datetime.date.today()):
            raise forms.ValidationError(
                _("%(code)s is not the ISO 4217 code of a currency in use: write one such as GBP or EUR."),
                params={"code": code},
            )
        return code

    def currency_name(self) -> str:
        """The chosen currency's name in the reader's language (for the confirmation)."""
        return get_currency_name(self.cleaned_data["currency"], locale=babel_locale())
