"""Writes of the public site."""

from django.db import transaction
from wagtail.models import Page, Site

from .content import ELIGIBILITY, HOME, PRIVACY
from .models import EligibilityPage, HomePage, StandardPage
from .selectors import ELIGIBILITY_SLUG, PRIVACY_SLUG


def _translated(content: dict[str, dict[str, str]]) -> dict[str, str]:
    """``{"en": {"title": …}, "fr": {…}}`` as the model's per-language fields (``title_en``, ``title_fr``…)."""
    return {f"{name}_{language}": value for language, text in content.items() for name, value in text.items()}


def _ensure_child(home: HomePage, model: type[Page], slug: str, content: dict[str, dict[str, str]]) -> Page:
    """The page with this slug under the home page, created and published when missing (never overwritten)."""
    existing = home.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **_translated(content))
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def site_ensure_home() -> HomePage:
    """Make the bilingual home page the root of the default site, with its questionnaire and privacy notice.

    Idempotent. Replaces Wagtail's initial "Welcome" page on a new database; creates the
    eligibility questionnaire (``/eligibility/``) and the privacy notice (``/privacy/``)
    under the home page when they are missing, and leaves them alone (editors' changes
    included) when they exist.
    """
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's initial "Welcome" page (and the site rooted on it) make way for the home page.
        for page in root.get_children().not_type(HomePage):
            page.delete()
        home = HomePage(slug="home", **_translated(HOME))
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "E-Channel"},
        )
    _ensure_child(home, EligibilityPage, ELIGIBILITY_SLUG, ELIGIBILITY)
    _ensure_child(home, StandardPage, PRIVACY_SLUG, PRIVACY)
    return home
