"""Badges any wallet accepts: OB 3.0 credentials checked by an independent verifier (openbadgeslib),
revocation through the status list, key rotation, the OB 2.0 revocation document, and the
badges reaching their holders (e-mails, wallet, LinkedIn) in both languages."""

import datetime
import json
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.core import mail
from django.utils import timezone, translation
from openbadgeslib.ob3 import OB3VerificationError

from learning import openbadges, services
from learning.models import BadgeAward, BadgeClass, Criterion, CriterionKind, IssuerKey, QuizAttempt
from tests.journey.factories import SMEUserFactory
from tests.learning.wallet import downloader, fetch_token, path, verifier_for

pytestmark = pytest.mark.django_db


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
    # The JWKS publishes both (the OB 3.0 keys only; the issuer profile names its active OB 2.0 RSA key).
    jwks = client.get(path(openbadges.jwks_url(launchpad))).json()
    assert [key["kid"] for key in jwks["keys"]] == [old_kid, new_kid]
    rsa_key = openbadges.issuer_key(launchpad, IssuerKey.Algorithm.RSA)
    assert client.get(path(openbadges.issuer_url(launchpad))).json()["publicKey"] == openbadges.key_url(rsa_key)
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


# --- Reaching the holders -----------------------------------------------------------------------


def test_earning_emails_each_user_in_their_language(learner, badge, django_capture_on_commit_callbacks):
    french = SMEUserFactory(sme=learner.sme, preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        award, _ = services.badge_award(badge_class=badge, sme=learner.sme)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {learner.email, french.email}
    english, francais = by_address[learner.email], by_address[french.email]
    assert english.subject == "You earned the “Stock basics” badge"
    assert francais.subject == "Vous avez obtenu le badge « Bases du stock »"
    for message, language, tool in ((english, "en", "Market assessment"), (francais, "fr", "Évaluation du marché")):
        html = message.alternatives[0][0]
        assert openbadges.badge_image_url(badge, learner.sme.launchpad) in html
        assert tool in message.body and f"/{language}/portal/smes/{learner.sme.slug}/toolkit/market/" in html
        assert f"{openbadges.verification_url(award)}?lang={language}" in message.body
        assert openbadges.baked_url(award) in message.body
        assert f"{openbadges.credential_url(award)}?download" in html
    assert "Sait tenir un catalogue propre." in francais.body
    # Never twice.
    assert services.award_earned_email_send(award_id=award.pk) == 0 and len(mail.outbox) == 2


def test_expiry_warning_a_month_ahead_once_with_how_to_renew(learner, badge, course, manager):
    quiz = course.quiz()
    Criterion.objects.filter(badge_class=badge).delete()
    Criterion.objects.create(badge_class=badge, kind=CriterionKind.QUIZ_PASSED, quiz=quiz, min_score=80)
    BadgeClass.objects.filter(pk=badge.pk).update(valid_for_days=45)
    badge.refresh_from_db()
    SMEUserFactory(sme=learner.sme, preferred_language="fr")
    award, _ = services.badge_award(badge_class=badge, sme=learner.sme)
    mail.outbox.clear()
    assert services.awards_expiry_warn() == 0  # 45 days left
    in_20_days = timezone.now() + datetime.timedelta(days=20)
    assert services.awards_expiry_warn(now=in_20_days) == 2
    assert services.awards_expiry_warn(now=in_20_days + datetime.timedelta(days=1)) == 0
    english, french = sorted(mail.outbox, key=lambda message: message.subject.startswith("Votre"))
    assert english.subject.startswith("Your “Stock basics” badge expires on")
    assert "Pass the quiz “Quiz” of the course “Stock basics” again, with at least 80 %." in english.body
    assert manager.email in english.body and "Market assessment" in english.body
    assert french.subject.startswith("Votre badge « Bases du stock » expire le")
    assert "Réussissez à nouveau le quiz « Quiz » de la formation « Les bases du stock »" in french.body
    award.refresh_from_db()
    assert award.expiry_warning_sent_at is not None


def test_an_expired_quiz_badge_renews_on_a_new_pass_not_on_the_old_one(learner, badge, course):
    quiz = course.quiz()
    Criterion.objects.filter(badge_class=badge).delete()
    Criterion.objects.create(badge_class=badge, kind=CriterionKind.QUIZ_PASSED, quiz=quiz)
    enrolment = services.enrolment_start(user=learner, course=course)
    right = [[0], [0, 1]]
    services.quiz_attempt_submit(enrolment=enrolment, quiz=quiz, answers=right, language="en")
    first = services.badges_evaluate(sme=learner.sme)[0]
    BadgeAward.objects.filter(pk=first.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    assert services.badges_evaluate(sme=learner.sme) == []
    attempt = services.quiz_attempt_submit(enrolment=enrolment, quiz=quiz, answers=right, language="en")
    QuizAttempt.objects.filter(pk=attempt.pk).update(created_at=timezone.now())
    [renewed] = services.badges_evaluate(sme=learner.sme)
    first.refresh_from_db()
    assert renewed.status() == "valid" and renewed.current and not first.current
    assert renewed.status_index != first.status_index


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("en", ["Add to a wallet", "Add to my LinkedIn profile", "Share: verification page"]),
        ("fr", ["Ajouter à un portefeuille", "Ajouter à mon profil LinkedIn", "Partager : page de vérification"]),
    ],
)
def test_badge_page_offers_wallet_share_and_linkedin(client, award, learner, language, texts):
    client.force_login(learner)
    page = client.get(f"/{language}/portal/learning/badges/")
    assert page.status_code == 200
    for text in texts:
        assert text in page.text
    assert f'href="{path(openbadges.credential_url(award))}?download"' in page.text
    qr = client.get(path(openbadges.credential_url(award)).replace("credential.jwt", "credential-qr.svg"))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    linkedin = next(
        part.split('"')[0] for part in page.text.split('href="') if part.startswith("https://www.linkedin.com")
    )
    query = parse_qs(urlparse(linkedin.replace("&amp;", "&")).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == ["Stock basics" if language == "en" else "Bases du stock"]
    with translation.override(language):
        assert query["organizationName"] == [f"E-Channel · {award.sme.launchpad.name}"]
    assert query["issueYear"] == [str(timezone.localtime(award.awarded_at).year)]
    assert query["issueMonth"] == [str(timezone.localtime(award.awarded_at).month)]
    assert query["certUrl"] == [openbadges.verification_url(award)] and query["certId"] == [str(award.uid)]


def test_rotate_issuer_key_command(client, award):
    from io import StringIO

    from django.core.management import CommandError, call_command

    before = fetch_token(client, award)
    out = StringIO()
    call_command("rotate_issuer_key", award.sme.launchpad.code, stdout=out)
    assert "/keys/" in out.getvalue() and "jwks.json" in out.getvalue()
    assert jwt.get_unverified_header(fetch_token(client, award))["kid"] != jwt.get_unverified_header(before)["kid"]
    with pytest.raises(CommandError, match="No launchpad"):
        call_command("rotate_issuer_key", "zz")
