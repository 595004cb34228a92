"""Registers connectors' admin screens (exchange rates, which convert amounts a platform or a file
gives only in a foreign currency, ``connectors.writer``) and its lower-app hooks (``journey.hooks``)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from journey import hooks as journey_hooks
from journey.admin_labels import NamedAddLabelsMixin

from . import workspace
from .conditions import enough_order_data
from .models import ExchangeRate
from .views import sme_panel


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


def connectors_checks() -> dict:
    return {"order_data_30_days": enough_order_data}


journey_hooks.register(journey_hooks.CONDITION_CHECKS, connectors_checks)
journey_hooks.register(journey_hooks.SME_PANELS, sme_panel, order=10)
journey_hooks.register(journey_hooks.TIMELINE_KINDS, workspace.timeline_kinds)
