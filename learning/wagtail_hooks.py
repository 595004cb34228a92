"""Registers learning's admin screens: badge classes as snippets, in the Learning menu."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import BadgeClass


class BadgeClassViewSet(SnippetViewSet):
    model = BadgeClass
    icon = "pick"
    menu_label = BadgeClass._meta.verbose_name_plural
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "slug", "opens_tool", "valid_for_days", "expires_on"]
    list_filter = ["opens_tool"]
    search_fields = ["name", "description"]


register_snippet(BadgeClassViewSet)
