"""In a real browser, on the demo: staff export and erase a person; SME users download their own data.

The coordinator (in English) and Julien Moreau (France launchpad manager, in French) export then
erase a contact person; Anne (French SME user) and Amelia (UK) ask for their own copy from
"My data". Screenshots go to test-output/screenshots/privacy-*.png.
"""

from __future__ import annotations

import json
import re
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser import CHROMIUM, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}: apt-get install chromium"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STAFF = [
    # language, staff e-mail, person, their name, the words of the page
    ("en", "coordinator@e-channel.example", "ruth@lakeland-honey-farm.example", "Ruth Armstrong", "Erase", "erased"),
    (
        "fr",
        "julien.moreau@fr.e-channel.example",
        "elise@chocolaterie-nantaise.example",
        "Élise Morin",
        "Effacer",
        "effacées",
    ),
]
OWN = [
    ("en", "amelia@cotswold-candle-works.example", "Request a copy of my data", "Download"),
    ("fr", "anne@biscuiterie-de-la-baie.example", "Demander une copie de mes données", "Télécharger"),
]


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


def _zip_json(download) -> dict:
    with zipfile.ZipFile(download.path()) as archive:
        assert {"data.json", "data.xlsx", "summary.pdf"} <= set(archive.namelist())
        return json.loads(archive.read("data.json"))


def test_staff_export_then_erase_a_contact_person_in_both_languages(live_server, browser, demo):
    from playwright.sync_api import expect

    from journey.demo import DEMO_PASSWORD
    from journey.models import ContactPerson
    from privacy.models import PrivacyRequest

    for language, staff, email, name, erase, erased in STAFF:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, accept_downloads=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        sign_in(page, live_server, email=staff, password=DEMO_PASSWORD, language=language)
        page.goto(f"{live_server.url}/{language}/portal/privacy/")
        page.fill("#id_email", email)
        with page.expect_navigation():
            page.get_by_test_id("lookup").get_by_role("button").click()
        expect(page.get_by_test_id("person")).to_contain_text(email)
        with page.expect_download() as info:
            page.get_by_test_id("export").get_by_role("button").click()
        data = _zip_json(info.value)
        assert data["contact_people"][0]["name"] == name
        screenshot(page, f"privacy-desk-{language}.png")

        page.fill("#id_reason", f"{name} asked by e-mail")
        page.check("#id_confirm")
        with page.expect_navigation():
            page.get_by_test_id("erase").get_by_role("button", name=erase).click()
        expect(page.locator(".messages")).to_contain_text(erased)
        expect(page.get_by_test_id("register")).not_to_contain_text(name)
        screenshot(page, f"privacy-erased-{language}.png")
        assert not ContactPerson.objects.filter(email=email).exists()
        context.close()
    assert PrivacyRequest.objects.filter(kind="erasure", status="done").count() == 2


def test_sme_users_request_and_download_their_own_data_in_both_languages(live_server, browser, demo):
    from playwright.sync_api import expect

    from journey.demo import DEMO_PASSWORD

    for language, email, ask, download in OWN:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, accept_downloads=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        sign_in(page, live_server, email=email, password=DEMO_PASSWORD, language=language)
        with page.expect_navigation():
            page.get_by_test_id("my-data-link").click()
        expect(page).to_have_url(re.compile(rf"/{language}/portal/privacy/my-data/$"))
        with page.expect_navigation():
            page.get_by_role("button", name=ask).click()
        expect(page.locator(".messages")).to_be_visible()
        link = page.get_by_test_id("download-export").first
        expect(link).to_have_text(download)
        screenshot(page, f"privacy-my-data-{language}.png")
        with page.expect_download() as info:
            link.click()
        assert _zip_json(info.value)["email"] == email
        context.close()
