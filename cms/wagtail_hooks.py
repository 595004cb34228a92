"""Registers the public site's non-page content with the Wagtail admin: the resources library and
the messages visitors send through the contact page (read-only, each launchpad's staff its own)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from journey import scoping
from journey.admin_labels import NamedAddLabelsMixin

from .models import ContactMessage, Resource


class ResourceViewSet(NamedAddLabelsMixin, SnippetViewSet):
    model = Resource
    add_item_label = _("Add a resource")
    new_item_label = _("New resource")
    icon = "doc-full"
    menu_label = _("Resources")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "topic", "published"]
    list_filter = ["topic"]
    search_fields = ["title", "description"]
    ordering = ["topic", "title"]


register_snippet(ResourceViewSet)


def _messages_for(user):
    return ContactMessage.objects.filter(launchpad__in=scoping.launchpads_served_by(user)).select_related("launchpad")


class ContactMessageIndexView(IndexView):
    def get_base_queryset(self):
        return _messages_for(self.request.user)


class ContactMessageInspectView(InspectView):
    def get_object(self, *args, **kwargs):
        message = super().get_object(*args, **kwargs)
        if not _messages_for(self.request.user).filter(pk=message.pk).exists():
            raise PermissionDenied  # another launchpad's message
        return message


class ContactMessageViewSet(NamedAddLabelsMixin, ModelViewSet):
    model = ContactMessage
    add_item_label = _("Add a contact message")
    new_item_label = _("New contact message")
    icon = "mail"
    menu_label = _("Contact messages")
    menu_order = 310
    add_to_admin_menu = True
    index_view_class = ContactMessageIndexView
    inspect_view_class = ContactMessageInspectView
    inspect_view_enabled = True
    list_display = ["name", "organisation", "email", "launchpad", DateColumn("created_at", label=_("sent"))]
    list_filter = ["launchpad"]
    search_fields = ["name", "email", "organisation", "message"]
    inspect_view_fields = ["name", "email", "organisation", "launchpad", "language", "message", "created_at"]
    # Staff only read messages (their roles grant the view permission alone); the form is for superusers.
    form_fields = ["name", "email", "organisation", "launchpad", "language", "message"]
    ordering = ["-created_at"]


@hooks.register("register_admin_viewset")
def register_contact_messages():
    return ContactMessageViewSet("contact_messages")
