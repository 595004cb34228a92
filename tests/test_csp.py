"""The Content-Security-Policy header on the site and the admin, and the nonce of our inline script (item 17)."""

from __future__ import annotations

import re

import pytest

from tests.journey.factories import SMEFactory, SMEUserFactory

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_the_site_and_the_admin_send_a_strict_policy(client):
    site, admin = policy(client.get("/en/accounts/login/")), policy(client.get("/admin/login/"))
    for directives in (site, admin):
        assert directives["object-src"] == "object-src 'none'"
        assert directives["frame-ancestors"] == "frame-ancestors 'self'"
        assert directives["default-src"] == "default-src 'self'"
        assert "'unsafe-eval'" not in directives["script-src"]
    assert site["script-src"].startswith("script-src 'self'") and "'unsafe-inline'" not in site["script-src"]
    # Wagtail's date widgets and inline panels run inline scripts that cannot carry a nonce.
    assert admin["script-src"] == "script-src 'self' 'unsafe-inline'"


def test_the_data_pages_inline_script_carries_the_responses_nonce(client):
    sme = SMEFactory()
    client.force_login(SMEUserFactory(sme=sme))
    response = client.get(f"/en/portal/smes/{sme.slug}/data/")
    nonce = re.search(r"'nonce-([^']+)'", policy(response)["script-src"]).group(1)
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in attributes or "src=" in attributes for attributes in scripts)
