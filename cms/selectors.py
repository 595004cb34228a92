"""Reads of the public site."""

from __future__ import annotations

from django.db.models import Q
from wagtail.models import Page

from journey.models import Launchpad, Role, User

from .models import HomePage, StandardPage

PRIVACY_SLUG = "privacy"
ELIGIBILITY_SLUG = "eligibility"
GUIDES_SLUG = "guides"
RESOURCES_SLUG = "resources"
NEWS_SLUG = "news"
CONTACT_SLUG = "contact"

# Page types of other apps that belong in the main menu even when an editor has not ticked
# "show in menus" (cms may not import learning, so they are named, not imported).
MENU_PAGE_TYPES = {("learning", "courseindexpage")}


def privacy_page() -> StandardPage | None:
    """The live privacy notice, if the site has one."""
    return StandardPage.objects.live().filter(slug=PRIVACY_SLUG).first()


def menu_pages() -> list[Page]:
    """The main menu: the home page's live children shown in menus, plus a course index if one exists.

    The guides first and the courses next to them (they teach the same tools), the other
    pages in page-tree order, and the contact page last, as readers expect it.
    """
    home = HomePage.objects.first()
    if home is None:
        return []
    courses = Q()
    for app_label, model in MENU_PAGE_TYPES:
        courses |= Q(content_type__app_label=app_label, content_type__model=model)
    pages = list(
        Page.objects.child_of(home)
        .live()
        .public()
        .filter(Q(show_in_menus=True) | courses)
        .select_related("content_type")
        .order_by("path")
    )

    def rank(page: Page) -> int:
        if page.slug == GUIDES_SLUG:
            return 0
        if (page.content_type.app_label, page.content_type.model) in MENU_PAGE_TYPES:
            return 1
        return 3 if page.slug == CONTACT_SLUG else 2

    return sorted(pages, key=rank)


def contact_recipients(launchpad: Launchpad) -> list[str]:
    """Who reads a contact message for ``launchpad``: its managers, else its account managers, else the coordinators."""
    active = User.objects.filter(is_active=True).exclude(email="")
    for users in (
        active.filter(role=Role.LAUNCHPAD_MANAGER, launchpad=launchpad),
        active.filter(role=Role.ACCOUNT_MANAGER, launchpad=launchpad),
        active.filter(role=Role.COORDINATOR),
    ):
        emails = sorted(users.values_list("email", flat=True))
        if emails:
            return emails
    return []
