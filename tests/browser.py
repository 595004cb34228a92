"""The browser tests' shared parts: Debian's Chromium driven by Playwright, the demo data, screenshots.

Not a test module: ``tests/conftest.py`` makes its fixtures (``demo_data``, ``browser``, ``page``)
available to every test, and browser test modules import its helpers and constants from here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"

SME_EMAIL = "anne@biscuiterie-de-la-baie.example"
SME_SLUG = "biscuiterie-de-la-baie"
SME_NAME = "Biscuiterie de la Baie"
OTHER_SME_SLUG = "hebridean-knitwear"
OTHER_SME_NAME = "Hebridean Knitwear Co"


@pytest.fixture
def demo_data():
    """The real demo programme and the bilingual home page, as ``load_demo`` builds them."""
    from cms.services import site_ensure_home
    from journey import demo

    site_ensure_home()
    return demo.load()


@pytest.fixture
def browser(monkeypatch):
    """A headless Chromium; Django's ORM may be used from the test while Playwright's loop runs."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop running in this thread, which Django takes for async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's loop runs, Django keeps a separate connection for this context:
            # close it here, or the test database cannot be dropped at the end of the session.
            connections.close_all()


@pytest.fixture
def page(browser):
    # An English-speaking browser: the /fr/ prefix and the user's own choice must win over it.
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, live_server, *, email: str, password: str, language: str = "fr") -> None:
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/{language}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
