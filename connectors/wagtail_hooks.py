"""Registers connectors' admin screens: exchange rates, which convert amounts a platform or a file
gives only in a foreign currency (``connectors.writer``)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from journey.admin_labels import NamedAddLabelsMixin

from .models import ExchangeRate


class ExchangeRateViewSet(NamedAddLabelsMixin, SnippetViewSet):
    model = ExchangeRate
    icon = "table"
    menu_label = _("Exchange rates")  # a menu entry is capitalised; verbose_name_plural is not
    add_item_label = _("Add an exchange rate")
    new_item_label = _("New exchange rate")
    add_to_admin_menu = True
    menu_order = 400
    list_display = ["day", "currency", "base_currency", "rate", "source"]
    list_filter = ["currency", "base_currency"]


register_snippet(ExchangeRateViewSet)
