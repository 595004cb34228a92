"""Registers learning's admin screens: badge classes as snippets, in the Learning menu."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from journey.admin_labels import NamedAddLabelsMixin

from .models import BadgeClass
from .selectors import badge_classes_awarded


class BadgeClassViewSet(NamedAddLabelsMixin, SnippetViewSet):
    model = BadgeClass
    icon = "pick"
    menu_label = _("Badge classes")  # a menu entry is capitalised; verbose_name_plural is not
    add_item_label = _("Add a badge class")
    new_item_label = _("New badge class")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "slug", "opens_tool", "valid_for_days", "expires_on"]
    list_filter = ["opens_tool"]
    search_fields = ["name", "description"]


badge_class_viewset = BadgeClassViewSet()
register_snippet(badge_class_viewset)


@hooks.register("before_delete_snippet")
def refuse_to_delete_awarded_badge_classes(request, instances):
    """An awarded badge class is never deleted (its holders' hosted badges point to it): say so, on one or many.

    The hook runs before the confirmation page and before the deletion, for the delete
    view and the bulk action alike.
    """
    awarded = badge_classes_awarded(instances)
    if not awarded:
        return None
    names = ", ".join(f"“{badge_class.name}”" for badge_class in awarded)
    messages.error(
        request,
        ngettext(
            "The badge class %(names)s has been awarded, so it cannot be deleted: its holders' badges point to it.",
            "The badge classes %(names)s have been awarded, so they cannot be deleted: their holders' badges "
            "point to them.",
            len(awarded),
        )
        % {"names": names},
    )
    return redirect(badge_class_viewset.get_url_name("list"))
