"""Open Badges: the OB 2.0 hosted assertion and its documents, the baked PNG, the verification
page, and the OB 3.0 credential signed as a VC-JWT."""

import datetime
import hashlib
import json
from urllib.parse import urlparse

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from django.urls import reverse
from django.utils import timezone, translation

from learning import openbadges, services
from learning.models import BadgeAward, IssuerKey
from tests.journey.factories import LaunchpadFactory, SMEFactory, SMEUserFactory

pytestmark = pytest.mark.django_db


def fetch(client, url):
    response = client.get(urlparse(url).path)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/ld+json")
    return response.json()


@pytest.fixture
def award(learner, badge):
    award, _ = services.badge_award(badge_class=badge, sme=learner.sme)
    return award


def test_ob2_assertion_has_the_required_fields_and_verifies_by_fetching_its_id(client, award, learner):
    document = openbadges.assertion_document(award)
    for field in ("@context", "type", "id", "recipient", "badge", "verification", "issuedOn"):
        assert field in document
    assert document["@context"] == "https://w3id.org/openbadges/v2" and document["type"] == "Assertion"
    assert document["verification"] == {"type": "hosted"}
    datetime.datetime.fromisoformat(document["issuedOn"])
    recipient = document["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    expected = "sha256$" + hashlib.sha256((learner.email.lower() + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == expected
    assert learner.email not in json.dumps(document)

    # Hosted verification: the document found at its own id is the same assertion.
    hosted = fetch(client, document["id"])
    assert hosted == document and hosted["id"] == document["id"]
    badge_class = fetch(client, hosted["badge"])
    assert badge_class["type"] == "BadgeClass" and badge_class["id"] == hosted["badge"]
    assert badge_class["name"] == "Stock basics" and badge_class["criteria"]["narrative"]
    issuer = fetch(client, badge_class["issuer"])
    assert issuer["type"] == "Issuer" and issuer["id"] == badge_class["issuer"] and issuer["name"]
    image = client.get(urlparse(badge_class["image"]).path)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_each_launchpad_issues_in_its_own_language(client, badge):
    french_sme = SMEFactory(launchpad=LaunchpadFactory(france=True))
    SMEUserFactory(sme=french_sme)
    award, _ = services.badge_award(badge_class=badge, sme=french_sme)
    document = openbadges.assertion_document(award)
    assert "/openbadges/fr/" in document["badge"]
    assert fetch(client, document["badge"])["name"] == "Bases du stock"
    assert fetch(client, fetch(client, document["badge"])["issuer"])["name"].endswith("Rampe de lancement France")


def test_a_revoked_assertion_answers_gone(client, award, manager):
    services.badge_revoke(award=award, by=manager, reason="Mistake")
    response = client.get(urlparse(openbadges.assertion_url(award)).path)
    assert response.status_code == 410
    assert response.json()["revoked"] is True and response.json()["revocationReason"] == "Mistake"


def test_the_baked_png_carries_the_assertion(client, award):
    response = client.get(urlparse(openbadges.baked_url(award)).path)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert b"iTXtopenbadges" in response.content
    assert openbadges.unbake(response.content) == openbadges.assertion_document(award)


def test_ob3_credential_signature_verifies_and_fails_when_tampered(client, award):
    token = client.get(urlparse(openbadges.credential_url(award)).path).content.decode()
    # The verifier takes the key from the JWKS the kid names.
    issuer = fetch(client, openbadges.issuer_url(award.sme.launchpad))
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = client.get(urlparse(kid).path).json()
    assert jwk in client.get(urlparse(openbadges.jwks_url(award.sme.launchpad)).path).json()["keys"]
    key = jwt.PyJWK(jwk).key
    credential = openbadges.ob3_verify(token, key)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["credentialSubject"]["achievement"]["name"] == "Stock basics"
    assert credential["issuer"]["id"] == issuer["id"]

    header, payload, signature = token.split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims["credentialSubject"]["achievement"]["name"] = "Market master"
    forged = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    with pytest.raises(jwt.InvalidSignatureError):
        openbadges.ob3_verify(f"{header}.{forged}.{signature}", key)
    # Another launchpad's key does not verify it either.
    other = openbadges.public_key(LaunchpadFactory(france=True))
    with pytest.raises(jwt.InvalidSignatureError):
        openbadges.ob3_verify(token, other)


def test_the_private_key_is_encrypted_at_rest_and_never_published(client, award):
    fetch(client, openbadges.issuer_url(award.sme.launchpad))
    assert client.get(urlparse(openbadges.credential_url(award)).path).status_code == 200
    issuer = client.get(urlparse(openbadges.issuer_url(award.sme.launchpad)).path).text
    stored = IssuerKey.objects.filter(launchpad=award.sme.launchpad)
    assert sorted(stored.values_list("algorithm", flat=True)) == ["Ed25519", "RS256"]
    for key in stored:
        assert "PRIVATE KEY" not in key.private_key_encrypted
        assert "PRIVATE" not in issuer and key.private_key_encrypted not in issuer
        published = client.get(urlparse(openbadges.key_url(key)).path).text
        assert "PRIVATE" not in published and '"d"' not in published and key.private_key_encrypted not in published


def test_the_signed_ob2_assertion_verifies_with_the_key_the_issuer_names(client, award):
    token = client.get(urlparse(openbadges.signed_assertion_url(award)).path).content.decode()
    header, payload, signature = token.split(".")
    assert jwt.get_unverified_header(token)["alg"] == "RS256"
    claims = json.loads(jwt.utils.base64url_decode(payload))
    assert claims["id"] == f"urn:uuid:{award.uid}" and claims["verification"]["type"] == "SignedBadge"
    # The creator is a CryptographicKey owned by the issuer, which names it and its RevocationList.
    creator = fetch(client, claims["verification"]["creator"])
    issuer = fetch(client, fetch(client, claims["badge"])["issuer"])
    assert creator["type"] == "CryptographicKey" and creator["owner"] == issuer["id"]
    assert issuer["publicKey"] == creator["id"] and issuer["revocationList"] == openbadges.revocation_list_url(
        award.sme.launchpad
    )
    public = serialization.load_pem_public_key(creator["publicKeyPem"].encode())
    assert json.loads(jwt.api_jws.decode(token, public, algorithms=["RS256"])) == claims
    claims["recipient"]["identity"] = openbadges.recipient_identity("someone@else.test", award.salt)
    forged = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.api_jws.decode(f"{header}.{forged}.{signature}", public, algorithms=["RS256"])
    # The signed PNG carries the same JWS (signed again, RS256 is deterministic).
    png = client.get(urlparse(openbadges.signed_baked_url(award)).path)
    assert png["Content-Type"] == "image/png" and openbadges.baked_text(png.content) == token


def test_a_revoked_award_is_in_the_issuers_revocation_list(client, award, manager):
    launchpad = award.sme.launchpad
    revocations = openbadges.revocation_list_url(launchpad)
    assert fetch(client, revocations)["revokedAssertions"] == []
    services.badge_revoke(award=award, by=manager, reason="Awarded in error")
    document = fetch(client, revocations)
    assert document["type"] == "RevocationList" and document["issuer"] == openbadges.issuer_url(launchpad)
    assert document["revokedAssertions"] == [
        {"id": f"urn:uuid:{award.uid}", "revocationReason": "Awarded in error"},
        {"id": openbadges.assertion_url(award), "revocationReason": "Awarded in error"},
    ]
    assert client.get(urlparse(openbadges.signed_assertion_url(award)).path).status_code == 410
    assert client.get(urlparse(openbadges.signed_baked_url(award)).path).status_code in (302, 404)


@pytest.mark.parametrize(("language", "name"), [("en", "Stock basics"), ("fr", "Bases du stock")])
def test_verification_page_in_both_languages(client, award, manager, language, name):
    url = urlparse(openbadges.verification_url(award)).path
    page = client.get(url + f"?lang={language}", follow=True)
    assert page.redirect_chain == [(url, 302)]
    assert page.status_code == 200 and 'data-status="valid"' in page.text
    assert f'lang="{language}"' in page.text and name in page.text
    signed = {"en": "signed assertion", "fr": "assertion signée"}[language]
    assert f'<a href="{openbadges.signed_assertion_url(award)}">{signed}</a>' in page.text
    BadgeAward.objects.filter(pk=award.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    assert 'data-status="expired"' in client.get(url).text
    services.badge_revoke(award=award, by=manager, reason="Mistake")
    page = client.get(url)
    assert 'data-status="revoked"' in page.text and "Mistake" in page.text
    if language == "en":
        assert "This badge has been revoked." in page.text


def _initials_drawn(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    return response.content


def test_badge_images_carry_the_initials_of_the_page_language(client, badge):
    path = reverse("learning_public:badge_image", kwargs={"launchpad": LaunchpadFactory(france=True).code,
                                                          "slug": badge.slug})  # fmt: skip
    french, english = _initials_drawn(client, f"{path}?lang=fr"), _initials_drawn(client, f"{path}?lang=en")
    assert french != english  # "BS" (Bases du stock) is not "SB" (Stock basics)
    # A French launchpad's image, without a language asked (or with an unknown one), is the French one.
    assert _initials_drawn(client, path) == french
    assert _initials_drawn(client, f"{path}?lang=xx") == french
    # Whatever language the request runs in, the picture follows the one asked for.
    with translation.override("en"):
        assert openbadges.png_bytes(openbadges.badge_image(badge, language="fr")) == french
