"""Every page of the public site, created by ``site_ensure_home`` and served in English and French."""

import io
import re

import pytest
from wagtail.documents import get_document_model

from cms.models import (
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
from cms.services import site_ensure_home

pytestmark = pytest.mark.django_db

# One address of each page type, with a phrase its English and its French versions show.
PAGES = [
    ("", "new markets through e-commerce", "de nouveaux marchés grâce au e-commerce"),
    ("guides/", "Toolkit guides", "Guides des outils"),
    ("guides/inventory/", "100 × passed ÷ (passed + failed)", "100 × réussis ÷ (réussis + échoués)"),
    ("guides/market-assessment/", "units sold ÷ (units sold + stock left)", "unités vendues ÷ (unités vendues"),
    ("guides/business-planning/", "cost = value × (1 − margin)", "coût = valeur × (1 − marge)"),
    ("guides/business-growth/", "the top 10 % by profit", "les 10 % les plus rentables"),
    ("resources/", "Product data checklist", "Liste de contrôle des données produits"),
    ("news/", "The four toolkit guides are online", "Les quatre guides des outils sont en ligne"),
    ("news/connect-your-shop/", "Connect your shop in a few minutes", "Connectez votre boutique"),
    ("contact/", "Contact us", "Nous contacter"),
    ("privacy/", "Privacy notice", "Politique de confidentialité"),
    ("eligibility/", "Check your eligibility", "Vérifiez votre éligibilité"),
]


@pytest.mark.parametrize(("path", "english", "french"), PAGES)
def test_every_page_is_served_in_both_languages(client, launchpads, path, english, french):
    for language, phrase, other in (("en", english, french), ("fr", french, english)):
        response = client.get(f"/{language}/{path}")
        html = response.content.decode()
        assert response.status_code == 200, f"/{language}/{path}"
        assert f'<html lang="{language}">' in html
        assert phrase in html
        assert other not in html


def test_the_site_has_every_page_type_translated_and_published(home_page):
    expected = {
        HomePage: 1,
        EligibilityPage: 1,
        GuideIndexPage: 1,
        GuidePage: 4,
        ResourceIndexPage: 1,
        NewsIndexPage: 1,
        NewsPage: 3,
        ContactPage: 1,
        StandardPage: 1,
    }
    for model, count in expected.items():
        pages = model.objects.live()
        assert pages.count() == count, model
        for page in pages:
            assert page.title_en and page.title_fr and page.title_en != page.title_fr
            assert page.search_description_en and page.search_description_fr, page
    assert {guide.tool for guide in GuidePage.objects.all()} == {"inventory", "market", "planning", "growth"}


def test_site_setup_is_idempotent_and_keeps_editors_changes(home_page):
    guide = GuidePage.objects.get(slug="inventory")
    guide.title_en = "Your catalogue, scored"
    guide.save_revision().publish()
    site_ensure_home()
    site_ensure_home()
    assert GuidePage.objects.count() == 4 and NewsPage.objects.count() == 3
    assert Resource.objects.count() == 4 and get_document_model().objects.count() == 8
    assert GuidePage.objects.get(slug="inventory").title_en == "Your catalogue, scored"


def test_guides_use_the_shared_blocks_and_link_to_their_tool(client, home_page):
    guide = GuidePage.objects.get(slug="business-planning")
    types = {block.block_type for block in guide.body}
    assert {"text", "callout", "try_on_data"} <= types
    html = client.get("/en/guides/business-planning/").content.decode()
    assert 'data-tool="planning"' in html
    assert "Sign in with your company account to open the tool on your own data." in html
    # The guide points to the next one and to its resources.
    assert 'rel="next" class="next" href="/en/guides/business-growth/"' in html
    assert "Monthly figures worksheet" in html


def test_meta_description_and_seo_title(client, home_page):
    html = client.get("/fr/guides/inventory/").content.decode()
    guide = GuidePage.objects.get(slug="inventory")
    assert f'<meta name="description" content="{guide.search_description_fr}' in html.replace("&#x27;", "'")
    assert "<title>Guide de l&#x27;outil de gestion des inventaires" in html


def test_hreflang_alternates_on_wagtail_pages(client, home_page):
    html = client.get("/fr/guides/market-assessment/").content.decode()
    links = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))
    assert links == {
        "en": "http://testserver/en/guides/market-assessment/",
        "fr": "http://testserver/fr/guides/market-assessment/",
        "x-default": "http://testserver/en/guides/market-assessment/",
    }
    assert '<link rel="canonical" href="http://testserver/fr/guides/market-assessment/">' in html


def test_hreflang_alternates_on_portal_pages(client, home_page):
    html = client.get("/en/accounts/login/").content.decode()
    links = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))
    assert links["fr"] == "http://testserver/fr/accounts/login/"
    assert links["en"] == links["x-default"] == "http://testserver/en/accounts/login/"


def test_sitemap_lists_every_page_in_both_languages(client, home_page):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    for language in ("en", "fr"):
        for path in ("", "guides/", "guides/inventory/", "resources/", "news/", "contact/", "privacy/"):
            assert f"http://localhost/{language}/{path}" in locations
    assert len(locations) == 2 * HomePage.objects.first().get_descendants(inclusive=True).live().count()
    assert '<xhtml:link rel="alternate" hreflang="fr" href="http://localhost/fr/guides/business-growth/"/>' in xml
    assert 'hreflang="x-default" href="http://localhost/en/"' in xml


def test_the_main_menu_reaches_guides_resources_news_and_contact(client, home_page):
    html = client.get("/fr/").content.decode()
    menu = re.findall(r'<a href="([^"]+)"[^>]*data-testid="menu-link">([^<]+)</a>', html)
    assert menu == [
        ("/fr/guides/", "Guides des outils"),
        ("/fr/resources/", "Ressources"),
        ("/fr/news/", "Actualités"),
        ("/fr/contact/", "Nous contacter"),
    ]
    # The section being read is marked for screen readers.
    html = client.get("/en/guides/inventory/").content.decode()
    assert '<a href="/en/guides/" aria-current="page" data-testid="menu-link">' in html


def test_a_page_shown_in_menus_joins_the_menu_before_contact(client, home_page):
    page = StandardPage(slug="about", title_en="About", title_fr="À propos", body_en="<p>x</p>", show_in_menus=True)
    home_page.add_child(instance=page)
    html = client.get("/en/").content.decode()
    titles = re.findall(r'data-testid="menu-link">([^<]+)</a>', html)
    assert titles[-2:] == ["About", "Contact us"]


def test_news_dates_are_in_the_readers_language(client, home_page):
    item = NewsPage.objects.get(slug="connect-your-shop")
    item.date = "2026-02-03"
    item.save_revision().publish()
    assert "3 February 2026" in client.get("/en/news/connect-your-shop/").content.decode()
    assert "3 février 2026" in client.get("/fr/news/connect-your-shop/").content.decode()
    assert '<time datetime="2026-02-03"' in client.get("/fr/news/").content.decode()


def test_resources_are_filtered_by_topic_and_offered_in_the_readers_language(client, home_page):
    checklist = Resource.objects.get(key="product-data-checklist")
    html = client.get("/en/resources/?topic=inventory").content.decode()
    assert "Product data checklist" in html and "Order import template" not in html
    assert re.search(r"XLSX · [\d.,]+\xa0KB", html)  # the file type and its size
    assert checklist.document.url in html
    html = client.get("/fr/resources/?topic=inventory").content.decode()
    assert "Liste de contrôle des données produits" in html and checklist.document_fr.url in html
    # An unknown topic shows everything rather than an error.
    html = client.get("/en/resources/?topic=nonsense").content.decode()
    assert "Order import template" in html and "Product data checklist" in html


def test_resource_files_are_real_spreadsheets(home_page):
    from openpyxl import load_workbook

    checklist = Resource.objects.get(key="product-data-checklist")
    for document, first_header in ((checklist.document, "Check"), (checklist.document_fr, "Vérification")):
        with document.file.open("rb") as handle:
            sheet = load_workbook(io.BytesIO(handle.read())).active
        assert sheet["A1"].value == first_header
        assert sheet.max_row == 14  # the header and the inventory tool's 13 checks
    template = Resource.objects.get(key="orders-template")
    assert template.document_fr.file.name.endswith(".xlsx") and "modele" in template.document_fr.file.name


def test_privacy_notice_points_to_the_contact_form(client, home_page):
    contact = ContactPage.objects.get()
    privacy = StandardPage.objects.get(slug="privacy")
    assert "e-channel.example" not in privacy.body_en + privacy.body_fr
    assert f'<a linktype="page" id="{contact.pk}">' in privacy.body_fr
    assert 'href="/fr/contact/">formulaire de contact</a>' in client.get("/fr/privacy/").content.decode()


def test_a_privacy_notice_with_the_old_placeholder_address_is_refreshed(home_page):
    privacy = StandardPage.objects.get(slug="privacy")
    privacy.body_en = (
        "<p>Ask the account manager who contacted you, or write to the programme's coordinators at "
        "privacy@e-channel.example. We answer within one month.</p><p>Edited by an editor.</p>"
    )
    privacy.save_revision().publish()
    site_ensure_home()
    privacy.refresh_from_db()
    assert "privacy@e-channel.example" not in privacy.body_en
    assert "contact form</a>" in privacy.body_en and "Edited by an editor." in privacy.body_en


def test_editors_manage_resources_in_both_languages_in_the_admin(client, home_page):
    from tests.journey.factories import UserFactory

    editor = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(editor)
    listing = client.get("/admin/snippets/cms/resource/")
    assert listing.status_code == 200 and "Product data checklist" in listing.content.decode()
    resource = Resource.objects.get(key="monthly-figures-worksheet")
    html = client.get(f"/admin/snippets/cms/resource/edit/{resource.pk}/").content.decode()
    assert 'name="title_en"' in html and 'name="title_fr"' in html and 'name="description_fr"' in html


def test_a_signed_in_sme_user_gets_a_link_to_the_tool_on_their_own_data(client, home_page):
    from tests.journey.factories import SMEUserFactory

    user = SMEUserFactory()
    client.force_login(user)
    html = client.get("/fr/guides/market-assessment/").content.decode()
    assert f'href="/fr/portal/smes/{user.sme.slug}/toolkit/' in html
    assert "Sign in with your company account" not in html


def test_the_course_index_joins_the_menu_next_to_the_guides(client, home_page):
    # Found by its page type: cms never imports learning, and the editor need not tick "show in menus".
    from learning.models import CourseIndexPage

    home_page.add_child(instance=CourseIndexPage(slug="courses", title_en="Courses", title_fr="Formations"))
    html = client.get("/fr/").content.decode()
    titles = re.findall(r'data-testid="menu-link">([^<]+)</a>', html)
    assert titles == ["Guides des outils", "Formations", "Ressources", "Actualités", "Nous contacter"]


def test_a_missing_page_has_no_language_alternates(client, home_page):
    response = client.get("/fr/guides/no-such-guide/")
    assert response.status_code == 404
    assert 'hreflang="' not in response.content.decode()
