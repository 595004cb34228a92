"""In a real browser, in English and French: the shop currency on the data page (set, and a bad code
refused in place), the admin's signing keys screen, and the growth chart's note on returns.

Screenshots in test-output/screenshots/ (git-ignored), looked at by a person."""

from __future__ import annotations

import pytest

from tests.browser import CHROMIUM, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_data():
    from cms.services import site_ensure_home
    from journey import demo

    site_ensure_home()
    return demo.load()


@pytest.mark.parametrize(
    ("language", "email", "slug", "refusal"),
    [
        ("en", "morag@hebridean-knitwear.example", "hebridean-knitwear", "is not the ISO 4217 code"),
        ("fr", "anne@biscuiterie-de-la-baie.example", "biscuiterie-de-la-baie", "n’est pas le code ISO 4217"),
    ],
)
def test_the_owner_sets_the_shop_currency(live_server, page, demo_data, language, email, slug, refusal):
    from playwright.sync_api import expect

    from connectors.models import DataSource
    from journey.demo import DEMO_PASSWORD
    from journey.models import SME

    sme = SME.objects.get(slug=slug)
    source = DataSource.objects.create(sme=sme, kind="shopify", base_url=f"https://{slug}.myshopify.com")
    sign_in(page, live_server, email=email, password=DEMO_PASSWORD, language=language)
    page.goto(f"{live_server.url}/{language}/portal/smes/{slug}/data/")
    field = page.locator(f"#currency-{source.pk}")
    field.fill("ZZZ")
    with page.expect_navigation():
        page.get_by_test_id("currency-save").click()
    expect(page.get_by_role("alert")).to_contain_text(refusal)
    expect(field).to_have_attribute("aria-invalid", "true")
    screenshot(page, f"shop-currency-refused-{language}.png")
    field.fill("eur")
    with page.expect_navigation():
        page.get_by_test_id("currency-save").click()
    expect(page.locator(f"#currency-{source.pk}")).to_have_value("EUR")
    screenshot(page, f"shop-currency-set-{language}.png")
    source.refresh_from_db()
    assert source.options["currency"] == "EUR"


@pytest.mark.parametrize(
    ("language", "email"),
    [("en", "helen.carter@uk.e-channel.example"), ("fr", "julien.moreau@fr.e-channel.example")],
)
def test_a_launchpad_manager_rotates_the_signing_key(live_server, page, demo_data, language, email):
    from playwright.sync_api import expect

    from journey.demo import DEMO_PASSWORD
    from learning.models import IssuerKey

    sign_in(page, live_server, email=email, password=DEMO_PASSWORD, language=language)
    page.goto(f"{live_server.url}/admin/signing-keys/")
    expect(page.get_by_test_id("issuer-keys")).to_have_count(1)
    with page.expect_navigation():
        page.get_by_test_id("rotate-key").click()
    # Both of the launchpad's keys (Ed25519 for OB 3.0, RSA for signed OB 2.0) retired and replaced.
    expect(page.locator("[data-key]")).to_have_count(4)
    screenshot(page, f"signing-keys-{language}.png")
    assert IssuerKey.objects.filter(retired_at__isnull=False).count() == 2


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_growth_chart_says_the_returns_apart(page, language):
    from django.utils import translation

    from journey.formatting import format_money
    from toolkit.charts import profit_curve_chart

    with translation.override(language):
        note = translation.ngettext(
            "Not drawn: %(count)s return or cancellation, %(amount)s given back",
            "Not drawn: %(count)s returns and cancellations, %(amount)s given back",
            12,
        ) % {"count": 12, "amount": format_money(340, "GBP")}
        values = [round(80 - n * 1.7, 2) for n in range(60)]
        svg = str(profit_curve_chart(values, uid="g", title="t", description="d", note=note,
                                     value_format=lambda v: format_money(v, "GBP")))  # fmt: skip
    page.set_content(f'<html lang="{language}"><body style="width:760px;font-family:sans-serif">{svg}</body></html>')
    assert page.locator(".chart-wide .chart-note").text_content() == note
    # The phone's drawing writes it on as many lines as it needs, each inside the chart.
    lines = page.locator(".chart-narrow .chart-note")
    assert " ".join(lines.all_text_contents()) == note
    narrow = page.locator(".chart-narrow").bounding_box()
    for index in range(lines.count()):
        box = lines.nth(index).bounding_box()
        assert narrow["x"] <= box["x"] and box["x"] + box["width"] <= narrow["x"] + narrow["width"] + 0.5
    screenshot(page, f"growth-returns-note-{language}.png")
