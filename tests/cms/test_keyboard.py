"""Keyboard use of the public site in a real browser: the skip link, a visible focus, the menu by Tab."""

from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
            connections.close_all()


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const box = element.getBoundingClientRect();
            const style = getComputedStyle(element);
            return {tag: element.tagName.toLowerCase(), id: element.id, text: element.textContent.trim(),
                    href: element.getAttribute('href'),
                    top: box.top, height: box.height, outline: style.outlineStyle, outlineWidth: style.outlineWidth};
        }"""
    )


def test_keyboard_reaches_the_content_and_the_menu_with_a_visible_focus(live_server, page):
    from cms.services import site_ensure_home

    site_ensure_home()
    page.goto(f"{live_server.url}/fr/guides/inventory/")

    # The first Tab shows the skip link, on screen, with a focus ring.
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["href"] == "#main" and skip["text"]
    assert skip["top"] >= 0 and skip["height"] > 0
    assert skip["outline"] == "solid" and skip["outlineWidth"] == "3px"

    # Enter jumps over the header: the next Tab lands in the page's content, not in the menu.
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")

    # Without the skip link, Tab walks through the menu to the guides, each link with a focus ring.
    page.goto(f"{live_server.url}/fr/")
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        current = focused(page)
        seen.append(current["text"])
        if current["tag"] == "a" and current["text"] not in ("", "E-Channel"):
            assert current["outline"] == "solid", current
    assert "Guides des outils" in seen and "Nous contacter" in seen
