"""Registers connectors' admin screens: exchange rates, which convert amounts a platform or a file
gives only in a foreign currency (``connectors.writer``)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ExchangeRate


class ExchangeRateViewSet(SnippetViewSet):
    model = ExchangeRate
    icon = "table"
    menu_label = ExchangeRate._meta.verbose_name_plural
    add_to_admin_menu = True
    menu_order = 400
    list_display = ["day", "currency", "base_currency", "rate", "source"]
    list_filter = ["currency", "base_currency"]


register_snippet(ExchangeRateViewSet)
