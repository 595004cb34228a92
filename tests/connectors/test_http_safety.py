"""Connecting to shops safely: public HTTPS addresses only, bounded checks, clear and secret-free errors.

Issue 14, items 5 (SSRF from "Connect a shop"), 14 (credentials in logs) and 16 ("refused"
reported as "did not answer in time"). The shops here are real sockets on 127.0.0.1
(``loopback_server``) or addresses that are refused before any connection.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import socket
import threading
import time

import pytest
import responses
from django.test import override_settings

from connectors import http, logs
from connectors.base import ConnectorError
from connectors.models import DataSource, SyncRun
from connectors.restapi import Unreachable
from connectors.shopify.connector import ShopifyConnector
from connectors.sync import source_sync
from connectors.woocommerce.connector import WooCommerceConnector
from tests.journey.factories import SMEFactory, SMEUserFactory

from .loopback import loopback_server

pytestmark = pytest.mark.django_db

KEY = "ck_0123456789abcdef0123456789abcdef01234567"
SECRET = "cs_76543210fedcba9876543210fedcba9876543210"
TOKEN = "shpat_0123456789abcdef"


def woo_source(base_url: str) -> DataSource:
    source = DataSource(sme=SMEFactory(), kind="woocommerce", base_url=base_url)
    source.credentials = {"key": KEY, "secret": SECRET}
    source.save()
    return source


def shopify_source(base_url: str) -> DataSource:
    source = DataSource(sme=SMEFactory(), kind="shopify", base_url=base_url)
    source.credentials = {"token": TOKEN}
    source.save()
    return source


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def silent_server():
    """Accepts connections on 127.0.0.1 and never answers (a read timeout)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.05)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in accepted:
            connection.close()
        listener.close()


# --- item 5: public addresses only ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1",
     "fc00::1", "fe80::1%eth0", "::ffff:127.0.0.1", "224.0.0.1"],
)  # fmt: skip
def test_non_public_addresses_are_refused(address):
    assert not http.is_public_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "151.101.1.1", "2001:4860:4860::8888"])
def test_public_addresses_are_allowed(address):
    assert http.is_public_address(address)


@override_settings(CONNECTORS_ALLOW_LOCAL_ADDRESSES=False)
def test_a_shop_on_this_machine_or_the_private_network_is_never_connected_to():
    def script(index, path):
        return 200, {"X-WP-TotalPages": "0"}, b"[]"

    with loopback_server(script) as (base_url, seen):
        port = base_url.rsplit(":", 1)[1]
        for url in (f"https://127.0.0.1:{port}", f"https://localhost:{port}"):
            with pytest.raises(Unreachable) as error:
                WooCommerceConnector(woo_source(url)).check()
            assert error.value.reason == "forbidden"
        # Plain HTTP is refused before any connection, whatever the address.
        with pytest.raises(ConnectorError, match="https://"):
            WooCommerceConnector(woo_source(base_url)).check()
    assert seen == []
    started = time.monotonic()
    with pytest.raises(Unreachable):  # refused at once: no connection attempt to wait for
        WooCommerceConnector(woo_source("https://10.255.255.1")).check()
    assert time.monotonic() - started < 1


@override_settings(CONNECTORS_ALLOW_LOCAL_ADDRESSES=False)
def test_the_address_checked_is_the_address_connected_to(monkeypatch):
    """Resolve, check, pin: a second DNS answer (rebinding to 127.0.0.1) is never used."""
    answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))]])
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: next(answers))
    connected = []

    def create_connection(address, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("urllib3.util.connection.create_connection", create_connection)
    monkeypatch.setattr("urllib3.connection.connection.create_connection", create_connection)
    connector = WooCommerceConnector(woo_source("https://shop.example"), session=http.session(interactive=True))
    with pytest.raises(Unreachable):
        connector.check()
    assert connected == [("93.184.215.14", 443)]


@override_settings(CONNECTORS_ALLOW_LOCAL_ADDRESSES=False)
def test_a_host_that_resolves_to_a_private_address_is_refused_at_every_call(monkeypatch):
    private = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.8", 443))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: private)
    connector = WooCommerceConnector(woo_source("https://shop.example"))
    for _ in range(2):
        with pytest.raises(Unreachable) as error:
            list(connector.pages("orders", None))
        assert error.value.reason == "forbidden"


def test_the_shopify_token_is_never_sent_over_plain_http():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, "http://my-shop.example/admin/api/2026-10/shop.json", json={"shop": {}})
        with pytest.raises(ConnectorError, match="https://"):
            ShopifyConnector(shopify_source("http://my-shop.example")).check()
        assert len(mock.calls) == 0


# --- item 5: "Connect a shop" is bounded and says the same for every unreachable target ----------------


def connect(client, sme, url) -> str:
    response = client.post(
        f"/en/portal/smes/{sme.slug}/data/shops/",
        {"kind": "woocommerce", "url": url, "key": KEY, "secret": SECRET},
        follow=True,
    )
    # Tested before saving: a shop that cannot be read is not saved, and the form says why.
    assert response.status_code == 422
    assert not sme.data_sources.exists()
    return " ".join(str(error) for error in response.context["shop_form"].non_field_errors())


@override_settings(CONNECTORS_CHECK_TIMEOUT=(0.5, 0.5))
def test_every_unreachable_target_gets_the_same_message(client, settings):
    sme = SMEFactory()
    client.force_login(SMEUserFactory(sme=sme))
    messages = {}
    port = closed_port()
    messages["refused"] = connect(client, sme, f"http://127.0.0.1:{port}").replace(f"127.0.0.1:{port}", "X")
    with silent_server() as url:
        messages["timeout"] = connect(client, sme, url).replace(url.removeprefix("http://"), "X")
    settings.CONNECTORS_ALLOW_LOCAL_ADDRESSES = False
    messages["private"] = connect(client, sme, "https://10.0.0.8:8443").replace("10.0.0.8:8443", "X")
    messages["metadata"] = connect(client, sme, "https://169.254.169.254").replace("169.254.169.254", "X")
    assert len(set(messages.values())) == 1, messages
    assert "X cannot be reached" in messages["refused"]


def test_the_connection_check_does_not_wait_for_a_long_retry_after(client):
    sme = SMEFactory()
    client.force_login(SMEUserFactory(sme=sme))

    def script(index, path):
        return 429, {"Retry-After": "30"}, b'{"code": "too_many_requests"}'

    with loopback_server(script) as (base_url, seen):
        started = time.monotonic()
        message = connect(client, sme, base_url)
        elapsed = time.monotonic() - started
    assert elapsed < 5 and len(seen) == 1
    assert "slow down" in message


# --- item 16: refused and timed out are told apart in the sync's log ------------------------------------


def test_a_refused_connection_is_not_reported_as_a_timeout():
    source = woo_source(f"http://127.0.0.1:{closed_port()}")
    run = source_sync(source=source, trigger="manual")
    reason = run.errors[0]["reason"]
    assert "refused the connection" in reason and "in time" not in reason
    with pytest.raises(Unreachable) as error:
        WooCommerceConnector(source, session=http.session(retries=0)).check()
    assert error.value.reason == "refused"


@override_settings(CONNECTORS_HTTP_TIMEOUT=(0.5, 0.3))
def test_a_silent_shop_is_reported_as_a_timeout():
    with silent_server() as url:
        source = woo_source(url)
        with pytest.raises(Unreachable, match="did not answer in time") as error:
            WooCommerceConnector(source, session=http.session(retries=0)).check()
    assert error.value.reason == "timeout"
    assert SyncRun.objects.count() == 0


# --- item 14: no credential in any log line --------------------------------------------------------------


def test_woocommerce_credentials_never_reach_the_logs(caplog):
    caplog.set_level(logging.DEBUG)
    headers = []

    def script(index, path):
        if index == 0:
            return 503, {"Retry-After": "0"}, b"{}"
        return 200, {"X-WP-TotalPages": "1"}, b"[]"

    with loopback_server(script, headers_seen=headers) as (base_url, seen):
        WooCommerceConnector(woo_source(base_url)).check()
    assert len(seen) == 2 and all(KEY not in path for path in seen)
    assert headers[0]["Authorization"] == "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
    assert "GET /wp-json/wc/v3/products?[redacted]" in caplog.text  # urllib3's own lines, redacted
    assert KEY not in caplog.text and SECRET not in caplog.text


def test_a_url_with_secrets_logged_by_urllib3_is_redacted(caplog):
    caplog.set_level(logging.DEBUG)
    url = f"https://user:pw@shop.example/wp-json/wc/v3/orders?consumer_key={KEY}&consumer_secret={SECRET}&page=2"
    logging.getLogger("urllib3.connectionpool").warning("Retrying (%r) after connection broken by '%r': %s", 1, 2, url)
    try:
        raise ValueError(f"Max retries exceeded with url: /orders?consumer_key={KEY}")
    except ValueError:
        logging.getLogger("connectors.sync").exception("Sync of data source %s failed", 7)
    assert KEY not in caplog.text and SECRET not in caplog.text and "user:pw" not in caplog.text
    assert "https://[redacted]@shop.example/wp-json/wc/v3/orders?[redacted]" in caplog.text
    assert "Sync of data source 7 failed" in caplog.text


def test_every_connectors_logger_redacts():
    import pathlib

    import connectors

    root = pathlib.Path(connectors.__file__).parent
    for path in root.rglob("*.py"):
        if "logging.getLogger(__name__)" in path.read_text():
            name = ".".join(path.relative_to(root.parent).with_suffix("").parts)
            assert any(isinstance(f, logs.RedactSecrets) for f in logging.getLogger(name).filters), name
