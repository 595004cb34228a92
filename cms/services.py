"""Writes of the public site."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from journey.models import Launchpad

from . import content
from .guides import GUIDES
from .models import (
    ContactMessage,
    ContactPage,
    EligibilityPage,
    GuideIndexPage,
    GuidePage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    Resource,
    ResourceIndexPage,
    StandardPage,
)
from .resources import RESOURCES
from .selectors import (
    CONTACT_SLUG,
    ELIGIBILITY_SLUG,
    GUIDES_SLUG,
    NEWS_SLUG,
    PRIVACY_SLUG,
    RESOURCES_SLUG,
)
from .tasks import contact_message_notify

LANGUAGES = ("en", "fr")

# The privacy notice's first version named an address that was never set up; a notice still
# carrying it points to the contact form instead (any other edit by an editor is kept).
_OLD_PRIVACY_CONTACT = {
    "en": "or write to the programme's coordinators at privacy@e-channel.example. We answer within one month.",
    "fr": ("ou écrivez aux coordinateurs du programme à privacy@e-channel.example. Nous répondons sous un mois."),
}
_NEW_PRIVACY_CONTACT = {
    "en": (
        'or send us a message with the <a linktype="page" id="{contact_id}">contact form</a>, choosing the '
        "launchpad of your country. We answer within one month."
    ),
    "fr": (
        'ou envoyez-nous un message avec le <a linktype="page" id="{contact_id}">formulaire de contact</a>, en '
        "choisissant la rampe de lancement de votre pays. Nous répondons sous un mois."
    ),
}


def _translated(text: dict[str, dict]) -> dict:
    """``{"en": {"title": …}, "fr": {…}}`` as the model's per-language fields (``title_en``, ``title_fr``…)."""
    return {f"{name}_{language}": value for language, fields in text.items() for name, value in fields.items()}


def _ensure_child(parent: Page, model: type[Page], slug: str, text: dict[str, dict], **fields) -> Page:
    """The page with this slug under ``parent``, created and published when missing (never overwritten)."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    now = timezone.now()
    # Created live without a revision (publishing a revision of each of the site's pages makes
    # a fresh site several times slower to build); the first edit in the admin makes one.
    page = model(slug=slug, live=True, first_published_at=now, last_published_at=now, **_translated(text), **fields)
    parent.add_child(instance=page)
    return page


def _fill_search_description(page: Page, descriptions: dict[str, str]) -> None:
    """Give a page created before it had one a search description (an editor's own is kept)."""
    changed = [language for language in LANGUAGES if not getattr(page, f"search_description_{language}")]
    if changed:
        for language in changed:
            setattr(page, f"search_description_{language}", descriptions[language])
        page.save(update_fields=[f"search_description_{language}" for language in changed])


def _privacy_refresh(privacy: StandardPage, contact: ContactPage) -> None:
    """Replace the first notice's placeholder address by a link to the contact form."""
    changed = []
    for language in LANGUAGES:
        body = getattr(privacy, f"body_{language}") or ""
        if _OLD_PRIVACY_CONTACT[language] in body:
            new = _NEW_PRIVACY_CONTACT[language].format(contact_id=contact.pk)
            setattr(privacy, f"body_{language}", body.replace(_OLD_PRIVACY_CONTACT[language], new))
            changed.append(f"body_{language}")
    if changed:
        privacy.save_revision().publish()


def _ensure_resources() -> None:
    """The resources library's first documents, each created once (found again by its key)."""
    Document = get_document_model()
    for item in RESOURCES:
        if Resource.objects.filter(key=item["key"]).exists():
            continue
        documents = {}
        for language in LANGUAGES:
            filename, data = item["build"](language)
            document = Document(
                title=item[language]["title"], file=ContentFile(data, name=filename), file_size=len(data)
            )
            document.save()
            documents[language] = document
        Resource.objects.create(
            key=item["key"],
            topic=item["topic"],
            document=documents["en"],
            document_fr=documents["fr"],
            **_translated({language: item[language] for language in LANGUAGES}),
        )


@transaction.atomic
def site_ensure_home() -> HomePage:
    """Make the bilingual public site: the home page at the root of the default site, and its pages.

    Idempotent. Replaces Wagtail's initial "Welcome" page on a new database, then creates
    under the home page whatever is missing — the eligibility questionnaire, the four
    toolkit guides under their index, the resources library and its first documents, the
    news with its first items, the contact page and the privacy notice — and leaves alone
    what exists (editors' changes included). Pages made before they had a search
    description get one; a privacy notice still naming the first placeholder address gets
    a link to the contact form instead.
    """
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's initial "Welcome" page (and the site rooted on it) make way for the home page.
        for page in root.get_children().not_type(HomePage):
            page.delete()
        home = HomePage(slug="home", **_translated(content.HOME))
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "E-Channel"},
        )
    _fill_search_description(home, content.SEARCH_DESCRIPTIONS["home"])

    eligibility = _ensure_child(home, EligibilityPage, ELIGIBILITY_SLUG, content.ELIGIBILITY)
    _fill_search_description(eligibility, content.SEARCH_DESCRIPTIONS["eligibility"])

    guides = _ensure_child(home, GuideIndexPage, GUIDES_SLUG, content.GUIDE_INDEX, show_in_menus=True)
    for guide in GUIDES:
        text = {language: guide[language] for language in LANGUAGES}
        _ensure_child(guides, GuidePage, guide["slug"], text, tool=guide["tool"])

    _ensure_resources()
    _ensure_child(home, ResourceIndexPage, RESOURCES_SLUG, content.RESOURCE_INDEX, show_in_menus=True)

    news = _ensure_child(home, NewsIndexPage, NEWS_SLUG, content.NEWS_INDEX, show_in_menus=True)
    if not NewsPage.objects.child_of(news).exists():
        today = timezone.localdate()
        for item in content.NEWS:
            text = {language: item[language] for language in LANGUAGES}
            date = today - datetime.timedelta(days=item["days_ago"])
            _ensure_child(news, NewsPage, item["slug"], text, date=date)

    contact = _ensure_child(home, ContactPage, CONTACT_SLUG, content.CONTACT, show_in_menus=True)

    privacy_text = {
        language: {**fields, "body": fields["body"].replace("{contact_id}", str(contact.pk))}
        for language, fields in content.PRIVACY.items()
    }
    privacy = _ensure_child(home, StandardPage, PRIVACY_SLUG, privacy_text)
    _privacy_refresh(privacy, contact)
    _fill_search_description(privacy, content.SEARCH_DESCRIPTIONS["privacy"])
    return home


def contact_message_submit(
    *, launchpad: Launchpad, name: str, email: str, organisation: str, message: str, language: str
) -> ContactMessage:
    """Store a message from the contact page and have it e-mailed to the launchpad's team (a Celery task).

    The message is saved first, so nothing is lost if the e-mail cannot be sent; the task
    is queued once the transaction commits.
    """
    stored = ContactMessage.objects.create(
        launchpad=launchpad,
        name=name.strip(),
        email=email.strip().lower(),
        organisation=organisation.strip(),
        message=message.strip(),
        language=language,
    )
    transaction.on_commit(lambda: contact_message_notify.delay(message_id=stored.pk))
    return stored
