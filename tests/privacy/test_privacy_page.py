"""The privacy notice states what is kept how long, from the settings, and how to ask, in both languages."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_privacy_page_gives_the_retention_periods_from_the_settings(client, home_page, settings):
    page = client.get("/en/privacy/").content.decode()
    assert 'data-testid="privacy-periods"' in page
    assert "24 months after the last answer, then erased" in page
    assert "12 months, then erased" in page
    assert "“My data” page" in page and "72 hours" in page

    settings.PRIVACY_ENQUIRY_RETENTION_MONTHS = 18
    settings.PRIVACY_SYNC_LOG_RETENTION_MONTHS = 1
    page = client.get("/fr/privacy/").content.decode()
    assert "18 mois après la dernière réponse, puis effacées" in page
    assert "1 mois, puis effacés" in page
    assert "Comment faire une demande" in page


def test_other_standard_pages_have_no_periods(client, home_page):
    from cms.models import StandardPage

    page = StandardPage.objects.get(slug="privacy")
    page.slug = "legal"
    page.save_revision().publish()
    assert 'data-testid="privacy-periods"' not in client.get("/en/legal/").content.decode()
