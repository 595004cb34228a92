"""Writes of the public site."""

from django.db import transaction
from wagtail.models import Page, Site

from .content import HOME
from .models import HomePage


@transaction.atomic
def site_ensure_home() -> HomePage:
    """Make the bilingual home page the root of the default site; idempotent.

    Replaces Wagtail's initial "Welcome" page on a new database.
    """
    home = HomePage.objects.first()
    fields = {}
    for language, text in HOME.items():
        fields[f"title_{language}"] = text["title"]
        fields[f"intro_{language}"] = text["intro"]
        fields[f"body_{language}"] = text["body"]
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's initial "Welcome" page (and the site rooted on it) make way for the home page.
        for page in root.get_children().not_type(HomePage):
            page.delete()
        home = HomePage(slug="home", **fields)
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "E-Channel"},
        )
    return home
