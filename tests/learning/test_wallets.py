"""Badges any wallet accepts: OB 3.0 credentials checked by an independent verifier (openbadgeslib),
revocation through the status list, key rotation, and the OB 2.0 revocation document."""

import datetime
import json
from urllib.parse import urlparse

import jwt
import pytest
from django.utils import timezone
from jwt.algorithms import OKPAlgorithm
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier

from learning import openbadges, services
from learning.models import BadgeAward

pytestmark = pytest.mark.django_db


def path(url: str) -> str:
    parsed = urlparse(url)
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


def downloader(client):
    """What a verifier fetches from the web, answered by this site."""

    def download(url: str) -> bytes:
        response = client.get(path(url))
        assert response.status_code == 200, url
        return response.content

    return download


def verifier_for(client, token: str) -> OB3Verifier:
    """The key a verifier finds by dereferencing the JOSE header's ``kid`` (a JWK, never a private one)."""
    jwk = json.loads(downloader(client)(jwt.get_unverified_header(token)["kid"]))
    assert "d" not in jwk and jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
    return OB3Verifier(OKPAlgorithm.from_jwk(jwk))


def fetch_token(client, award) -> str:
    response = client.get(path(openbadges.credential_url(award)))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return response.content.decode()


@pytest.fixture
def award(learner, badge):
    award, _ = services.badge_award(badge_class=badge, sme=learner.sme)
    return award


def test_every_demo_award_passes_openbadgeslib_and_a_revoked_one_is_reported_revoked(client, home_page):
    from journey import demo as journey_demo
    from learning import demo as learning_demo

    journey_demo.load()
    learning_demo.load()
    awards = list(BadgeAward.objects.select_related("sme__launchpad", "badge_class").order_by("pk"))
    assert len(awards) >= 10 and {award.sme.launchpad.code for award in awards} == {"uk", "fr"}
    download = downloader(client)
    tokens, rejections = {}, []
    for award in awards:
        token = fetch_token(client, award)
        try:
            credential = verifier_for(client, token).verify(
                token, check_status=True, verify_status_list=True, download=download
            )
        except OB3VerificationError as error:
            rejections.append((award.badge_class.slug, award.sme.name, str(error)))
            continue
        assert credential.achievement.id == openbadges.badge_class_url(award.badge_class, award.sme.launchpad)
        tokens[award.pk] = token
    assert rejections == []
    assert len(tokens) == len(awards)

    # A copy already held: once revoked, the status list reports it.
    revoked = awards[0]
    services.badge_revoke(award=revoked, by=revoked.sme.primary_account_manager, reason="Awarded in error")
    token = tokens[revoked.pk]
    with pytest.raises(OB3VerificationError, match="revocation"):
        verifier_for(client, token).verify(token, check_status=True, verify_status_list=True, download=download)
    # The others still verify against the same list.
    other = next(award for award in awards if award.sme.launchpad_id == revoked.sme.launchpad_id and award != revoked)
    verifier_for(client, tokens[other.pk]).verify(tokens[other.pk], check_status=True, download=download)


def test_ob3_credential_is_a_vc2_open_badge_credential_with_the_registered_claims(client, award, manager):
    token = fetch_token(client, award)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
    claims = jwt.decode(token, options={"verify_signature": False})
    assert "vc" not in claims
    assert claims["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "issuanceDate" not in claims and "expirationDate" not in claims
    assert claims["validFrom"] == award.awarded_at.replace(microsecond=0).isoformat()
    assert claims["nbf"] == int(award.awarded_at.replace(microsecond=0).timestamp()) and "exp" not in claims
    assert claims["iss"] == claims["issuer"]["id"] and claims["jti"] == claims["id"] == f"urn:uuid:{award.uid}"
    subject = claims["credentialSubject"]
    assert claims["sub"] == subject["id"] and subject["type"] == ["AchievementSubject"]
    identity = subject["identifier"][0]
    assert identity["type"] == "IdentityObject" and identity["identityType"] == "emailAddress"
    assert identity["identityHash"] == openbadges.recipient_identity(award.recipient_email, identity["salt"])
    assert award.recipient_email not in json.dumps(claims)
    assert claims["credentialSchema"][0]["id"].endswith("ob_v3p0_achievementcredential_schema.json")
    status = claims["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["statusListIndex"] == str(award.status_index)

    # An expiring badge carries validUntil and exp.
    BadgeAward.objects.filter(pk=award.pk).update(expires_at=timezone.now() + datetime.timedelta(days=40))
    award.refresh_from_db()
    claims = jwt.decode(fetch_token(client, award), options={"verify_signature": False})
    assert claims["validUntil"] == award.expires_at.replace(microsecond=0).isoformat()
    assert claims["exp"] == int(award.expires_at.replace(microsecond=0).timestamp())

    # The wallet file, and no new copy of a revoked credential.
    download = client.get(path(openbadges.credential_url(award)) + "?download")
    assert download["Content-Disposition"].startswith("attachment;") and ".jwt" in download["Content-Disposition"]
    services.badge_revoke(award=award, by=manager, reason="Error")
    assert client.get(path(openbadges.credential_url(award))).status_code == 410


def test_an_expired_award_is_set_in_the_status_list(client, award, learner):
    token = fetch_token(client, award)
    verifier = verifier_for(client, token)
    credential = verifier.verify(token, check_status=True, download=downloader(client))
    BadgeAward.objects.filter(pk=award.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(OB3VerificationError, match="revocation"):
        verifier.check_status(credential, verify_list=True, download=downloader(client))


def test_key_rotation_keeps_credentials_signed_before_verifiable(client, award):
    launchpad = award.sme.launchpad
    before = fetch_token(client, award)
    old_kid = jwt.get_unverified_header(before)["kid"]
    openbadges.issuer_key_rotate(launchpad)
    after = fetch_token(client, award)
    new_kid = jwt.get_unverified_header(after)["kid"]
    assert new_kid != old_kid
    for token in (before, after):
        verifier = verifier_for(client, token)
        verifier.verify(token, check_status=True, verify_status_list=False, download=downloader(client))
    # The JWKS publishes both; the issuer profile names the active one.
    jwks = client.get(path(openbadges.jwks_url(launchpad))).json()
    assert [key["kid"] for key in jwks["keys"]] == [old_kid, new_kid]
    assert client.get(path(openbadges.issuer_url(launchpad))).json()["publicKey"]["id"] == new_kid
    # The old key does not verify what the new one signed.
    with pytest.raises(OB3VerificationError, match="signature"):
        verifier_for(client, before).verify(after)


def test_the_revoked_ob2_assertion_answers_410_with_a_json_ld_revocation(client, award, manager):
    services.badge_revoke(award=award, by=manager, reason="Awarded in error")
    response = client.get(path(openbadges.assertion_url(award)))
    assert response.status_code == 410 and response["Content-Type"].startswith("application/ld+json")
    assert response.json() == {
        "@context": "https://w3id.org/openbadges/v2",
        "id": openbadges.assertion_url(award),
        "revoked": True,
        "revocationReason": "Awarded in error",
    }
