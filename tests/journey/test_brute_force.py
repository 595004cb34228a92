"""Brute force and shared rate limits (issue 14, items 9 and 15).

django-axes locks an account, and an address, out after AXES_FAILURE_LIMIT wrong passwords,
on the site's sign-in and on the Wagtail admin's; password-reset e-mails are throttled per
e-mail address and per visitor's address; the public forms count in the shared cache on the
visitor's real address behind the trusted proxies.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse

from cms.ratelimit import over_rate_limit
from journey.ratelimit import client_address
from tests.journey.factories import PASSWORD, CoordinatorFactory, SMEUserFactory

pytestmark = pytest.mark.django_db

SITE_LOGIN = "/en/accounts/login/"


@pytest.fixture(autouse=True)
def fresh_cache():
    """The rate limits count in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


FR_LOGIN = "/fr/accounts/login/"


def wrong(client, url, email, *, address="203.0.113.7", times=1):
    for _ in range(times):
        response = client.post(url, {"username": email, "password": "not-the-password"}, REMOTE_ADDR=address)
    return response


def test_the_site_locks_an_account_out_after_five_wrong_passwords(client):
    user = SMEUserFactory()
    wrong(client, SITE_LOGIN, user.email, times=5)
    # The right password no longer opens it, even from another address.
    response = client.post(SITE_LOGIN, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "too many failed attempts" in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_an_address_is_locked_out_whatever_accounts_it_tries(client):
    users = [SMEUserFactory() for _ in range(5)]
    for user in users:
        wrong(client, SITE_LOGIN, user.email, address="203.0.113.50")
    victim = SMEUserFactory()
    response = client.post(SITE_LOGIN, {"username": victim.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 429
    # The same account from another address still signs in.
    response = client.post(SITE_LOGIN, {"username": victim.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.10")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(victim.pk)


def test_the_wagtail_admin_login_is_locked_out_too_and_says_so_in_french(client):
    user = CoordinatorFactory()
    admin_login = reverse("wagtailadmin_login")
    wrong(client, admin_login, user.email, times=5)
    response = client.post(
        admin_login, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.11",
        HTTP_ACCEPT_LANGUAGE="fr",
    )  # fmt: skip
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    french = client.post(FR_LOGIN, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.12")
    assert french.status_code == 429
    assert "trop de tentatives" in french.content.decode()


def test_fewer_failures_then_the_right_password_sign_in_and_the_test_client_still_logs_in(client):
    user = SMEUserFactory()
    wrong(client, SITE_LOGIN, user.email, times=4)
    response = client.post(SITE_LOGIN, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    client.logout()
    assert client.login(username=user.email, password=PASSWORD)  # no request: axes steps aside


def test_password_reset_emails_are_throttled_per_account_and_per_address(client, django_capture_on_commit_callbacks):
    user = SMEUserFactory()
    url = reverse("password_reset")
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            response = client.post(url, {"email": user.email}, REMOTE_ADDR=f"203.0.113.{n + 1}")
            statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    assert "Too many requests for a new password" in response.content.decode()
    french = client.post(f"/fr{url.removeprefix('/en')}", {"email": user.email}, REMOTE_ADDR="203.0.113.9")
    assert "Trop de demandes" in french.content.decode()

    # Per address: ten requests for ten different addresses, then the eleventh is refused.
    statuses = [
        client.post(url, {"email": f"someone{n}@example.com"}, REMOTE_ADDR="198.51.100.77").status_code
        for n in range(11)
    ]
    assert statuses == [302] * 10 + [429]


# --- item 15: the real address behind trusted proxies, and the shared cache --------------------------


def request_from(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().post("/", REMOTE_ADDR=remote, **extra)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_visitor_has_their_own_limit():
    proxy = "10.0.0.2"
    for _ in range(5):
        assert not over_rate_limit(request_from(proxy, "203.0.113.20"), scope="test", setting="ENQUIRY_RATE_LIMIT")
    assert over_rate_limit(request_from(proxy, "203.0.113.20"), scope="test", setting="ENQUIRY_RATE_LIMIT")
    assert not over_rate_limit(request_from(proxy, "203.0.113.21"), scope="test", setting="ENQUIRY_RATE_LIMIT")
    # A forged X-Forwarded-For prefix does not give a fresh count: only the proxy's entry is believed.
    forged = request_from(proxy, "198.51.100.1, 203.0.113.20")
    assert client_address(forged) == "203.0.113.20"
    assert over_rate_limit(forged, scope="test", setting="ENQUIRY_RATE_LIMIT")


def test_a_request_without_an_address_has_none():
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) is None  # axes stores it in an IP column: not "unknown"


def test_without_trusted_proxies_x_forwarded_for_is_ignored():
    assert client_address(request_from("203.0.113.30", "198.51.100.1")) == "203.0.113.30"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_address(request_from("10.0.0.2", "198.51.100.1, 203.0.113.5, 10.0.0.9")) == "203.0.113.5"
        assert client_address(request_from("10.0.0.2", "not-an-address, 10.0.0.9")) == "10.0.0.2"


def test_every_settings_module_counts_in_the_cache_named_by_cache_url():
    for module in ("config.settings.dev", "config.settings.production"):
        env = {
            **os.environ,
            "CACHE_URL": "redis://127.0.0.1:6379/3",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "e-channel.example",
        }
        code = f"import importlib; print(importlib.import_module({module!r}).CACHES['default']['BACKEND'])"
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert "RedisCache" in result.stdout, (module, result.stderr)
