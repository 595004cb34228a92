"""Forms of the data sources page."""

import datetime
from functools import cache

from babel import Locale
from babel.numbers import get_currency_name, get_territory_currencies
from django import forms
from django.utils.translation import gettext_lazy as _

from journey.formatting import babel_locale

from .models import SourceKind

SHOP_KINDS = [
    (SourceKind.SHOPIFY.value, SourceKind.SHOPIFY.label),
    (SourceKind.WOOCOMMERCE.value, SourceKind.WOOCOMMERCE.label),
]


class ShopSourceForm(forms.Form):
    """Connect a shop. Credentials go straight to encrypted storage and are never shown back."""

    kind = forms.ChoiceField(label=_("Shop platform"), choices=SHOP_KINDS)
    url = forms.URLField(
        label=_("Shop address"),
        help_text=_("The address of your shop, for example https://my-shop.myshopify.com or https://www.my-shop.fr"),
        assume_scheme="https",
    )
    token = forms.CharField(
        label=_("Shopify access token"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Shopify: an Admin API access token with read access to products, orders and inventory."),
    )
    key = forms.CharField(
        label=_("WooCommerce consumer key"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("WooCommerce: a REST API key with read access (WooCommerce → Settings → Advanced → REST API)."),
    )
    secret = forms.CharField(
        label=_("WooCommerce consumer secret"), required=False, widget=forms.PasswordInput(render_value=False)
    )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == SourceKind.SHOPIFY and not cleaned.get("token"):
            self.add_error("token", _("Please give the shop's access token."))
        if kind == SourceKind.WOOCOMMERCE:
            if not cleaned.get("key"):
                self.add_error("key", _("Please give the consumer key."))
            if not cleaned.get("secret"):
                self.add_error("secret", _("Please give the consumer secret."))
        return cleaned

    def credentials(self) -> dict:
        data = self.cleaned_data
        if data["kind"] == SourceKind.SHOPIFY:
            return {"token": data["token"]}
        return {"key": data["key"], "secret": data["secret"]}


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
