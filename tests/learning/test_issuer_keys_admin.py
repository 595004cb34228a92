"""The admin's "Signing keys" screen: launchpad managers rotate their own launchpad's Open Badges key,
coordinators any; nobody else; the retired key stays published and what it signed keeps verifying."""

import jwt
import pytest
from django.urls import reverse

from learning import openbadges
from learning.models import IssuerKey
from tests.journey.factories import (
    AccountManagerFactory,
    CoordinatorFactory,
    LaunchpadFactory,
    LaunchpadManagerFactory,
)
from tests.learning.wallet import downloader, fetch_token, path, verifier_for

pytestmark = pytest.mark.django_db


def test_a_launchpad_manager_rotates_their_own_key_and_what_the_old_one_signed_keeps_verifying(client, award):
    uk = award.sme.launchpad
    france = LaunchpadFactory(france=True)
    openbadges.issuer_key(france)
    before = fetch_token(client, award)
    old_kid = jwt.get_unverified_header(before)["kid"]
    client.force_login(LaunchpadManagerFactory(launchpad=uk))

    page = client.get(reverse("issuer_keys:list")).content.decode()
    assert f'data-launchpad="{uk.code}"' in page and f'data-launchpad="{france.code}"' not in page
    assert "Active: signs new credentials" in page

    response = client.post(reverse("issuer_keys:rotate", args=[uk.code]), follow=True)
    assert response.status_code == 200
    assert "the signing keys were rotated" in response.content.decode()
    # Both keys rotated: the Ed25519 one (OB 3.0) and the RSA one (signed OB 2.0), one active of each.
    assert IssuerKey.objects.filter(launchpad=uk).count() == 4
    assert set(IssuerKey.objects.filter(launchpad=uk, retired_at__isnull=True).values_list("algorithm", flat=True)) == {
        "Ed25519",
        "RS256",
    }
    after = fetch_token(client, award)
    new_kid = jwt.get_unverified_header(after)["kid"]
    assert new_kid != old_kid
    for token in (before, after):  # both verify, each with the key its kid names
        verifier_for(client, token).verify(token, check_status=True, verify_status_list=False,
                                           download=downloader(client))  # fmt: skip
    jwks = client.get(path(openbadges.jwks_url(uk))).json()
    assert [key["kid"] for key in jwks["keys"]] == [old_kid, new_kid]
    page = client.get(reverse("issuer_keys:list")).content.decode()
    assert "still published" in page and "RSA (signed Open Badges 2.0 assertions)" in page

    # Another launchpad's key is not theirs to rotate.
    # (A 404, which Django's LocaleMiddleware turns into a redirect to the /en/ address: not the list.)
    refused = client.post(reverse("issuer_keys:rotate", args=[france.code]))
    assert refused.status_code in (302, 404) and refused.get("Location") != reverse("issuer_keys:list")
    assert IssuerKey.objects.filter(launchpad=france, retired_at__isnull=False).count() == 0


def test_a_coordinator_rotates_any_launchpads_key_an_account_manager_none(client, award):
    uk = award.sme.launchpad
    france = LaunchpadFactory(france=True)
    client.force_login(CoordinatorFactory())
    page = client.get(reverse("issuer_keys:list")).content.decode()
    assert f'data-launchpad="{uk.code}"' in page and f'data-launchpad="{france.code}"' in page
    assert client.post(reverse("issuer_keys:rotate", args=[france.code])).status_code == 302
    assert IssuerKey.objects.filter(launchpad=france, retired_at__isnull=False).count() == 2

    client.force_login(AccountManagerFactory(launchpad=uk))
    assert client.get(reverse("issuer_keys:list")).status_code in (302, 403)
    assert client.post(reverse("issuer_keys:rotate", args=[uk.code])).status_code in (302, 403)
    assert IssuerKey.objects.filter(launchpad=uk, retired_at__isnull=False).count() == 0
    # The menu shows the screen to those who may use it only.
    admin = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("issuer_keys:list") not in admin


def test_the_rotate_address_refuses_a_get(client, award):
    client.force_login(CoordinatorFactory())
    assert client.get(reverse("issuer_keys:rotate", args=[award.sme.launchpad.code])).status_code == 405
