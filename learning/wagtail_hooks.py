"""Registers learning's admin screens (badge classes as snippets, in the Learning menu; the launchpads'
Open Badges signing keys, ``admin_views``) and its lower-app hooks."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from journey import hooks as journey_hooks
from journey import scoping
from journey.admin_labels import NamedAddLabelsMixin

from . import workspace
from .models import BadgeClass
from .selectors import badge_classes_awarded, unlock_hint
from .services import badges_evaluate_after_commit
from .views import sme_panel


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


@hooks.register("register_admin_urls")
def register_issuer_key_urls():
    from django.urls import include, path

    from . import admin_views

    patterns = [
        path("", admin_views.issuer_keys, name="list"),
        path("<slug:code>/rotate/", admin_views.issuer_key_rotate, name="rotate"),
    ]
    return [path("signing-keys/", include((patterns, "issuer_keys"), namespace="issuer_keys"))]


class _IssuerKeysMenuItem(MenuItem):
    def is_shown(self, request):
        return scoping.can_rotate_issuer_keys(request.user)


@hooks.register("register_admin_menu_item")
def register_issuer_keys_menu():
    return _IssuerKeysMenuItem(_("Signing keys"), reverse_lazy("issuer_keys:list"), icon_name="key", order=310)


def milestone_moved(sme, sender: str) -> None:
    """A data milestone may have moved: re-check the SME's badge criteria once the change is committed."""
    badges_evaluate_after_commit(sme_id=sme.pk)


journey_hooks.register(journey_hooks.SME_PANELS, sme_panel, order=40)
journey_hooks.register(journey_hooks.WORKSPACE_SECTIONS, workspace.section, order=40)
journey_hooks.register(journey_hooks.TIMELINE_KINDS, workspace.timeline_kinds)
journey_hooks.register(journey_hooks.MILESTONE_MOVED, milestone_moved)
journey_hooks.register(journey_hooks.UNLOCK_HINTS, unlock_hint)
