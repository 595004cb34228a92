"""Forms of the data sources page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from journey.form_errors import ExplainedErrorsMixin

from .models import SourceKind

SHOP_KINDS = [
    (SourceKind.SHOPIFY.value, SourceKind.SHOPIFY.label),
    (SourceKind.WOOCOMMERCE.value, SourceKind.WOOCOMMERCE.label),
]


class ShopSourceForm(ExplainedErrorsMixin, forms.Form):
    """Connect a shop. Credentials go straight to encrypted storage and are never shown back."""

    kind = forms.ChoiceField(label=_("Shop platform"), choices=SHOP_KINDS)
    url = forms.URLField(
        label=_("Shop address"),
        help_text=_("The address of the shop, for example https://my-shop.myshopify.com or https://www.my-shop.fr"),
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
