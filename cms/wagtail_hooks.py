"""Registers the public site's non-page content with the Wagtail admin: the resources library."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Resource


class ResourceViewSet(SnippetViewSet):
    model = Resource
    icon = "doc-full"
    menu_label = _("Resources")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "topic", "published"]
    list_filter = ["topic"]
    search_fields = ["title", "description"]
    ordering = ["topic", "title"]


register_snippet(ResourceViewSet)
