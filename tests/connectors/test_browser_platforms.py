"""In a real browser, for every shop platform: an SME whose shop awaits connection (as the demo's do)
connects it from the data page against the platform's local test server, syncs, re-syncs with
nothing duplicated, and sees its data on the data page and in the toolkit. English and French.

Each platform is one entry of ``PLATFORMS``: how to build its fake, the fields of the connect
form, and what its sample data must show. A new platform (Squarespace) adds an entry: its fake
(a ``loopback.fake_server`` one, or its own server) and its fields. Screenshots go to
test-output/screenshots/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.db.models import Count

from connectors.models import DataSource, ExchangeRate, Order, OrderLine, Product, ProductStatus, SourceStatus
from tests.browser import CHROMIUM, screenshot, sign_in
from tests.journey.factories import PASSWORD, LaunchpadFactory, SMEFactory, SMEUserFactory

from . import magento_fake, prestashop_fake, woocommerce_fake
from .loopback import fake_server
from .shopify_graphql_server import FakeShopifyGraphQL, shopify_server
from .squarespace_fake import FakeSquarespace
from .test_shopify_graphql import order_node, product_node

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}: apt-get install chromium"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# "Connect" and "Sync now" answer once the sync (run in the request by the tests' eager Celery) and the
# toolkit's report refresh are done: seconds on a busy machine.
SYNC_TIMEOUT = 90_000


def _shopify() -> FakeShopifyGraphQL:
    shop = FakeShopifyGraphQL()
    shop.products = [product_node(n, f"2026-03-{n:02}T00:00:00Z") for n in range(1, 6)]
    shop.orders = [order_node(1000 + n, f"2026-03-{n:02}T12:00:00Z") for n in range(1, 8)]
    for n, node in enumerate(shop.orders, start=1):  # placed on seven days, one a day
        node["createdAt"] = f"2026-03-{n:02}T10:00:00Z"
    return shop


@contextlib.contextmanager
def squarespace_server(fake) -> Iterator[str]:
    """Squarespace's API has one fixed address (a setting) and the key names the site."""
    from django.test import override_settings

    with fake_server(fake) as base_url, override_settings(CONNECTORS_SQUARESPACE_API_ROOT=base_url):
        yield base_url


@dataclass(frozen=True)
class Platform:
    """A platform's local test server and what connecting to it must show."""

    name: str  # as the page names it
    fake: Callable[[], object]  # a new fake shop, with the platform's sample data
    fields: Callable[[object], dict[str, str]]  # the connect form's credentials for that fake
    products: int  # what the data page must count after the first sync
    orders: int
    first: datetime.date  # the orders' first and last days
    last: datetime.date
    server: Callable[[object], contextlib.AbstractContextManager[str]] = fake_server
    # The site's address as the connector learns it from the key, where the form asks for none.
    site: Callable[[object], str] | None = None


PLATFORMS = {
    "woocommerce": Platform(
        "WooCommerce",
        lambda: woocommerce_fake.FakeWooCommerce(None, woocommerce_fake.sample_pages()),
        lambda fake: {"key": fake.key, "secret": fake.secret},
        products=2, orders=4, first=datetime.date(2017, 3, 21), last=datetime.date(2017, 3, 22),
    ),
    "shopify": Platform(
        "Shopify",
        _shopify,
        lambda fake: {"token": fake.token},
        products=5, orders=7, first=datetime.date(2026, 3, 1), last=datetime.date(2026, 3, 7),
        server=shopify_server,
    ),
    "prestashop": Platform(
        "PrestaShop",
        prestashop_fake.FakePrestaShop,
        lambda fake: {"key": fake.key},
        products=3, orders=4, first=datetime.date(2026, 3, 10), last=datetime.date(2026, 4, 3),
    ),
    "magento": Platform(
        "Magento",
        magento_fake.FakeMagento,
        lambda fake: {"token": fake.token},
        products=2, orders=3, first=datetime.date(2026, 3, 10), last=datetime.date(2026, 4, 1),
    ),
    "squarespace": Platform(
        "Squarespace",
        FakeSquarespace,
        lambda fake: {"key": fake.key},
        products=4, orders=3, first=datetime.date(2026, 3, 10), last=datetime.date(2026, 4, 1),
        server=squarespace_server, site=lambda fake: fake.data["website"]["url"],
    ),
}  # fmt: skip


@pytest.fixture
def served(request) -> Iterator[tuple[str, Platform, object, str]]:
    kind = request.param
    platform = PLATFORMS[kind]
    fake = platform.fake()
    with platform.server(fake) as base_url:
        yield kind, platform, fake, base_url


def _lines(source) -> int:
    return OrderLine.objects.filter(order__source=source).count()


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("served", list(PLATFORMS), indirect=True)
def test_an_sme_connects_its_shop_syncs_twice_and_sees_its_data(live_server, served, language, request):
    from playwright.sync_api import expect

    kind, platform, fake, shop_url = served
    tab = request.getfixturevalue("page")
    launchpad = LaunchpadFactory(france=True) if language == "fr" else LaunchpadFactory()
    sme = SMEFactory(launchpad=launchpad, shop_platform=kind, name=f"{platform.name} Trading")
    user = SMEUserFactory(sme=sme, preferred_language=language)
    # As in the demo: the SME's shop is known to run on this platform, and awaits connection.
    awaiting = DataSource.objects.create(sme=sme, kind=kind, status=SourceStatus.AWAITING)
    for currency in ("GBP", "EUR", "USD"):  # orders in another currency than the shop's are converted
        for day in (platform.first, platform.last):
            for base in ("GBP", "EUR", "USD"):
                if base != currency:
                    ExchangeRate.objects.get_or_create(day=day, currency=currency, base_currency=base, rate="1.1")
    sign_in(tab, live_server, email=user.email, password=PASSWORD, language=language)

    data_url = f"{live_server.url}/{language}/portal/smes/{sme.slug}/data/"
    tab.goto(data_url)
    row = tab.locator(f"[data-source='{awaiting.pk}']")
    expect(row.get_by_test_id("awaiting-connection")).to_contain_text(platform.name)
    expect(row.get_by_test_id("sync-now")).to_have_count(0)
    # The form opens on the SME's own platform; pick it from another one, as a person would.
    other = next(name for name in PLATFORMS if name != kind)
    tab.goto(f"{data_url}?platform={other}#connect-shop")
    form = tab.get_by_test_id("connect-form")
    expect(form).to_have_attribute("data-kind", other)
    with tab.expect_navigation():
        tab.select_option("#id_platform", kind)
    expect(form).to_have_attribute("data-kind", kind)

    credentials = platform.fields(fake)
    if platform.site is None:
        tab.fill("#id_url", shop_url)
    for name, value in credentials.items():
        tab.fill(f"#id_{name}", value)
    with tab.expect_navigation():
        tab.get_by_test_id("test-connection").click()
    expect(tab.get_by_test_id("test-passed")).to_contain_text(platform.name)
    assert not Order.objects.filter(sme=sme).exists()  # a test saves nothing
    screenshot(tab, f"h17-{kind}-1-tested-{language}.png")
    for name, value in credentials.items():  # keys are never sent back: typed again
        tab.fill(f"#id_{name}", value)
    with tab.expect_navigation(timeout=SYNC_TIMEOUT):
        tab.get_by_test_id("connect").click(timeout=SYNC_TIMEOUT)

    # The awaiting row became the connected shop; its first sync brought the data in.
    source = DataSource.objects.get(sme=sme, kind=kind)
    address = platform.site(fake) if platform.site else shop_url
    assert source.pk == awaiting.pk and source.base_url == address.rstrip("/")
    assert source.status == SourceStatus.OK, list(source.runs.values_list("errors", flat=True))
    row = tab.locator(f"[data-source='{source.pk}']")
    arrivals = row.get_by_test_id("arrivals")
    products, orders = ("produits", "commandes") if language == "fr" else ("products", "orders")
    expect(arrivals).to_contain_text(f"{platform.products} {products}")
    expect(arrivals).to_contain_text(f"{platform.orders} {orders}")
    first, last = (f"{day:%d/%m/%Y}" for day in (platform.first, platform.last))
    expect(arrivals).to_contain_text(f"du {first} au {last}" if language == "fr" else f"from {first} to {last}")
    expect(row.get_by_test_id("awaiting-connection")).to_have_count(0)
    for value in credentials.values():
        assert value not in tab.content()
    screenshot(tab, f"h17-{kind}-2-synced-{language}.png")
    counts = (Product.objects.filter(source=source).count(), Order.objects.filter(source=source).count())
    assert counts == (platform.products, platform.orders)
    lines = _lines(source)
    assert lines >= platform.orders

    # "Sync now": the second run writes nothing twice.
    with tab.expect_navigation(timeout=SYNC_TIMEOUT):
        tab.locator(f"[data-source='{source.pk}']").get_by_test_id("sync-now").click(timeout=SYNC_TIMEOUT)
    runs = list(source.runs.order_by("started_at", "pk"))
    assert [run.status for run in runs] == ["succeeded", "succeeded"], [run.errors for run in runs]
    assert runs[1].created == 0
    assert (Product.objects.filter(source=source).count(), Order.objects.filter(source=source).count()) == counts
    assert _lines(source) == lines
    assert not Order.objects.filter(source=source).values("external_id").annotate(n=Count("id")).filter(n__gt=1)
    assert not (
        OrderLine.objects.filter(order__source=source).values("order_id", "line_key").annotate(n=Count("id"))
    ).filter(n__gt=1)
    expect(tab.locator(f"[data-source='{source.pk}']").get_by_test_id("arrivals")).to_contain_text(
        f"{platform.orders} {orders}"
    )

    # The toolkit shows the shop's catalogue.
    active = Product.objects.filter(source=source, status=ProductStatus.ACTIVE).count()
    assert active > 0
    tab.goto(f"{live_server.url}/{language}/portal/smes/{sme.slug}/toolkit/inventory/")
    expect(tab.locator("[data-figure='products'] .value")).to_have_text(str(active))
    screenshot(tab, f"h17-{kind}-3-toolkit-{language}.png")


# --- Google Analytics 4: views, add-to-carts and conversion in the market assessment ---------------------


@pytest.fixture(scope="module")
def service_account() -> tuple[object, dict]:
    """A service account's private key and its key file's contents (``add_source --key-file``)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    key = {
        "type": "service_account", "project_id": "echannel-test", "private_key_id": "0123456789abcdef",
        "private_key": pem, "client_email": "echannel-reader@echannel-test.iam.gserviceaccount.com",
        "client_id": "1234567890", "token_uri": "https://oauth2.googleapis.com/token",
    }  # fmt: skip
    return private_key, key


def _evidence(tab, product: str) -> dict[str, str]:
    item = tab.locator("li.opportunity", has=tab.locator("strong", has_text=product))
    terms, values = item.locator("dt").all_inner_texts(), item.locator("dd").all_inner_texts()
    return dict(zip(terms, values, strict=True))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_ga4_property_fills_views_add_to_carts_and_conversion_in_the_market_assessment(
    live_server, service_account, language, request, tmp_path
):
    """The property is added as the README says (``add_source --kind ga4``), synced with "Sync now" from
    the local Google of google_server.py; the market assessment then shows each product's views,
    add-to-carts and conversion (orders ÷ views), which it could not before."""
    import json

    from django.core.management import call_command
    from django.test import override_settings
    from django.utils import timezone
    from playwright.sync_api import expect

    from tests.toolkit.factories import build_shop
    from toolkit.models import Tool, ToolAccess
    from toolkit.services import report_refresh

    from .google_server import FakeGoogle, day, google_server

    private_key, key = service_account
    tab = request.getfixturevalue("page")
    launchpad = LaunchpadFactory(france=True) if language == "fr" else LaunchpadFactory()
    sme = build_shop(SMEFactory(launchpad=launchpad, name="Harbour Pottery"))  # MUG and BOWL, 14 months of orders
    for tool in Tool.values:
        ToolAccess.objects.get_or_create(sme=sme, tool=tool)
    report_refresh(sme=sme)
    user = SMEUserFactory(sme=sme, preferred_language=language)
    sign_in(tab, live_server, email=user.email, password=PASSWORD, language=language)
    market_url = f"{live_server.url}/{language}/portal/smes/{sme.slug}/toolkit/market/"
    views, carts, conversion = ("Views", "Add-to-carts", "Conversion (%)")
    if language == "fr":
        views, carts, conversion = ("Vues", "Ajouts au panier", "Conversion (%)")
    tab.goto(market_url)
    mug = "Hand-thrown stoneware mug, sea blue"
    expect(tab.get_by_test_id("opportunities")).to_be_visible()
    for term in (views, carts, conversion):  # no analytics yet: no opportunity has this evidence
        expect(tab.locator("dl.evidence dt", has_text=term)).to_have_count(0)

    google = FakeGoogle(public_key=private_key.public_key(), property_id="123456789")
    today = timezone.localdate()
    google.items = {(day(today - datetime.timedelta(days=n)), "MUG"): (10, 2, 1) for n in range(1, 31)}
    google.items.update({(day(today - datetime.timedelta(days=n)), "BOWL"): (200, 5, 1) for n in range(1, 31)})
    google.items[(day(today - datetime.timedelta(days=2)), "OLD-SKU")] = (9, 0, 0)  # matches no product
    google.sessions = {day(today - datetime.timedelta(days=n)): 100 for n in range(1, 31)}
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(key))
    with (
        google_server(google) as base,
        override_settings(CONNECTORS_GA4_TOKEN_URI=f"{base}/token", CONNECTORS_GA4_API_ROOT=f"{base}/v1beta"),
    ):
        call_command("add_source", sme=sme.slug, kind="ga4", property="123456789", key_file=str(key_file))
        source = DataSource.objects.get(sme=sme, kind="ga4")
        tab.goto(f"{live_server.url}/{language}/portal/smes/{sme.slug}/data/")
        with tab.expect_navigation(timeout=SYNC_TIMEOUT):
            tab.locator(f"[data-source='{source.pk}']").get_by_test_id("sync-now").click(timeout=SYNC_TIMEOUT)
    run = source.runs.get()
    assert run.status == "succeeded", run.errors
    expect(tab.get_by_test_id("unmatched-items")).to_contain_text("OLD-SKU")
    screenshot(tab, f"h17-ga4-1-synced-{language}.png")

    tab.goto(market_url)
    after = _evidence(tab, mug)
    assert after[views] == "300" and after[carts] == "60", after
    mug_orders = int(after["Orders" if language == "en" else "Commandes"])
    shown = float(re.fullmatch(r"(\d+[.,]\d)\s?%", after[conversion])[1].replace(",", "."))
    assert abs(shown - 100 * mug_orders / 300) <= 0.1, after
    screenshot(tab, f"h17-ga4-2-market-{language}.png")
