"""Badges as verifiable Open Badges credentials.

* **Open Badges 2.0**, hosted verification: each award is an ``Assertion`` (JSON-LD) at a
  public address of this site, naming its ``BadgeClass``, which names its ``Issuer`` — the
  launchpad of the SME (one issuer per launchpad, its documents in its own language). The
  recipient's e-mail address is published only as a salted SHA-256 hash. A verifier
  fetches the assertion's ``id`` and finds it there; a revoked assertion answers 410 Gone.
* **Open Badges 2.0**, signed verification: the same award as an ``Assertion`` whose
  ``verification`` names the launchpad's RSA ``CryptographicKey`` (``creator``), signed as
  a compact JWS (RS256), served as text and baked into a PNG of its own. The ``Issuer``
  profile names that key (``publicKey``) and its ``RevocationList``, which lists each
  revoked award's signed assertion with its reason: that is how a validator reports it
  revoked (openbadges-validator-core checks revocation for signed assertions only).
* **Baked PNG**: the badge image carrying the assertion in an ``iTXt`` chunk with the
  keyword ``openbadges`` (the Open Badges baking specification), made with Pillow.
* **Open Badges 3.0**: an ``OpenBadgeCredential`` (W3C VC Data Model 2.0) signed as a
  VC-JWT (EdDSA, Ed25519) with the launchpad's active key. The JWT header's ``kid`` is an
  address answering the public key as a JWK; the launchpad's JWKS lists every key it has
  used, so rotating keys leaves older credentials verifiable. Private keys are kept
  encrypted (``connectors.crypto``) and never leave this module.
* **Revocation for OB 3.0**: each award has a random position in its launchpad's W3C
  Bitstring Status List (``credentialStatus``), served signed at a public address; the bit
  is set when the award is revoked or has expired.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import hashlib
import io
import json
import secrets
import uuid
from urllib.parse import urlencode

import jwt
import segno
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from connectors import crypto
from journey.models import Launchpad

from .models import BadgeAward, BadgeClass, IssuerKey

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
# VC Data Model 2.0 first, then the OB 3.0 context; the OB 3.0 JSON schema for validators.
OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
OB3_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
# A Bitstring Status List is at least 16 KB (131,072 entries), for herd privacy.
STATUS_LIST_BITS = 131072
STATUS_LIST_VALIDITY = datetime.timedelta(days=1)
BAKED_KEYWORD = "openbadges"
# OB 3.0 baking: the signed credential in its own iTXt chunk, beside the OB 2.0 assertion.
BAKED_OB3_KEYWORD = "openbadgecredential"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def absolute(path: str) -> str:
    """An address on this site as the outside world reaches it (``SITE_URL``)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _iso(moment) -> str:
    return moment.replace(microsecond=0).isoformat()


# ---------------------------------------------------------------------------
# Addresses


def issuer_url(launchpad: Launchpad) -> str:
    return absolute(reverse("learning_public:issuer", kwargs={"launchpad": launchpad.code}))


def badge_class_url(badge_class: BadgeClass, launchpad: Launchpad) -> str:
    kwargs = {"launchpad": launchpad.code, "slug": badge_class.slug}
    return absolute(reverse("learning_public:badge_class", kwargs=kwargs))


def badge_image_url(badge_class: BadgeClass, launchpad: Launchpad) -> str:
    kwargs = {"launchpad": launchpad.code, "slug": badge_class.slug}
    return absolute(reverse("learning_public:badge_image", kwargs=kwargs))


def signed_assertion_url(award: BadgeAward) -> str:
    return absolute(reverse("learning_public:signed_assertion", kwargs={"uid": award.uid}))


def signed_baked_url(award: BadgeAward) -> str:
    return absolute(reverse("learning_public:signed_baked", kwargs={"uid": award.uid}))


def revocation_list_url(launchpad: Launchpad) -> str:
    return absolute(reverse("learning_public:revocation_list", kwargs={"launchpad": launchpad.code}))


def assertion_url(award: BadgeAward) -> str:
    return absolute(reverse("learning_public:assertion", kwargs={"uid": award.uid}))


def verification_url(award: BadgeAward) -> str:
    return absolute(reverse("learning_public:verify", kwargs={"uid": award.uid}))


def baked_url(award: BadgeAward) -> str:
    return absolute(reverse("learning_public:baked", kwargs={"uid": award.uid}))


def credential_url(award: BadgeAward) -> str:
    return absolute(reverse("learning_public:credential", kwargs={"uid": award.uid}))


# ---------------------------------------------------------------------------
# Keys


ED25519 = IssuerKey.Algorithm.ED25519
RSA = IssuerKey.Algorithm.RSA


def _key_create(launchpad: Launchpad, algorithm: str) -> IssuerKey:
    if algorithm == RSA:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        field = "rsa"
    else:
        private = Ed25519PrivateKey.generate()
        field = "ed25519"
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return IssuerKey.objects.create(
        launchpad=launchpad,
        algorithm=algorithm,
        public_key=public_pem,
        private_key_encrypted=crypto.encrypt({field: private_pem}),
    )


def issuer_key(launchpad: Launchpad, algorithm: str = ED25519) -> IssuerKey:
    """The launchpad's active signing key of that algorithm (Ed25519 for OB 3.0, RSA for signed OB 2.0),
    created on first use; the private half is stored encrypted."""
    existing = IssuerKey.objects.filter(launchpad=launchpad, algorithm=algorithm, retired_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _key_create(launchpad, algorithm)
    except IntegrityError:
        # Another request created it at the same moment (one active key per launchpad and algorithm).
        return IssuerKey.objects.get(launchpad=launchpad, algorithm=algorithm, retired_at__isnull=True)


@transaction.atomic
def issuer_key_rotate(launchpad: Launchpad) -> IssuerKey:
    """Retire the launchpad's active keys (Ed25519 and RSA) and create the next ones; return the new Ed25519 key.

    The retired keys stay published (``key_url``, ``jwks``): what they signed keeps
    verifying. From now on credentials, status lists and signed assertions are signed with
    the new keys.
    """
    IssuerKey.objects.select_for_update().filter(launchpad=launchpad, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    _key_create(launchpad, RSA)
    return _key_create(launchpad, ED25519)


def issuer_keys(launchpad: Launchpad, algorithm: str | None = None):
    """Every key the launchpad has signed with (of that algorithm, or all), active and retired, oldest first."""
    for kind in [algorithm] if algorithm else IssuerKey.Algorithm.values:
        issuer_key(launchpad, kind)
    keys = IssuerKey.objects.filter(launchpad=launchpad)
    if algorithm:
        keys = keys.filter(algorithm=algorithm)
    return keys.order_by("created_at", "pk")


def key_url(key: IssuerKey) -> str:
    """The key's address: an Ed25519 key's ``kid``, which dereferences to it as a JWK; an RSA key's
    ``CryptographicKey`` document (``verification.creator`` of the signed OB 2.0 assertions)."""
    kwargs = {"launchpad": key.launchpad.code, "uid": key.uid}
    return absolute(reverse("learning_public:key", kwargs=kwargs))


def key_id(launchpad: Launchpad) -> str:
    """The ``kid`` of the launchpad's active key."""
    return key_url(issuer_key(launchpad))


def jwks_url(launchpad: Launchpad) -> str:
    return absolute(reverse("learning_public:jwks", kwargs={"launchpad": launchpad.code}))


def _private_key(key: IssuerKey) -> Ed25519PrivateKey | rsa.RSAPrivateKey:
    pem = crypto.decrypt(key.private_key_encrypted)["rsa" if key.algorithm == RSA else "ed25519"]
    return serialization.load_pem_private_key(pem.encode(), password=None)


def public_key(launchpad: Launchpad) -> Ed25519PublicKey:
    """The public half of the launchpad's active key."""
    return serialization.load_pem_public_key(issuer_key(launchpad).public_key.encode())


def key_jwk(key: IssuerKey) -> dict:
    """A public key as a JWK (RFC 8037 ``OKP``/``Ed25519``); never carries the private ``d``."""
    public = serialization.load_pem_public_key(key.public_key.encode())
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": jwt.utils.base64url_encode(raw).decode(),
        "kid": key_url(key),
        "use": "sig",
        "alg": "EdDSA",
    }


def public_jwk(launchpad: Launchpad) -> dict:
    return key_jwk(issuer_key(launchpad))


def jwks(launchpad: Launchpad) -> dict:
    """The launchpad's JSON Web Key Set: every Ed25519 key it has signed OB 3.0 credentials with, retired ones
    included."""
    return {"keys": [key_jwk(key) for key in issuer_keys(launchpad, ED25519)]}


def key_document(key: IssuerKey) -> dict:
    """An RSA key as the OB 2.0 ``CryptographicKey`` its signed assertions name as ``verification.creator``."""
    return {
        "@context": OB2_CONTEXT,
        "type": "CryptographicKey",
        "id": key_url(key),
        "owner": issuer_url(key.launchpad),
        "publicKeyPem": key.public_key,
    }


# ---------------------------------------------------------------------------
# Open Badges 2.0 documents


def recipient_identity(email: str, salt: str) -> str:
    """``sha256$`` + hex digest of the address followed by the salt, as OB 2.0 hashes identities."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def issuer_document(launchpad: Launchpad) -> dict:
    """The launchpad as an OB 2.0 ``Issuer`` profile: the key its signed assertions are signed with
    (``publicKey``, a ``CryptographicKey``) and its ``revocationList``.

    OB 3.0 verifiers find the credentials' Ed25519 keys by their ``kid`` or in the JWKS.
    """
    with translation.override(launchpad.language):
        return {
            "@context": OB2_CONTEXT,
            "type": "Issuer",
            "id": issuer_url(launchpad),
            "name": f"E-Channel · {launchpad.name}",
            "url": absolute(f"/{launchpad.language}/"),
            "email": settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip(),
            # One key: openbadges-validator-core takes a single publicKey. Retired keys stay published at their
            # addresses (their documents name this issuer as their owner).
            "publicKey": key_url(issuer_key(launchpad, RSA)),
            "revocationList": revocation_list_url(launchpad),
        }


def badge_class_document(badge_class: BadgeClass, launchpad: Launchpad) -> dict:
    with translation.override(launchpad.language):
        return {
            "@context": OB2_CONTEXT,
            "type": "BadgeClass",
            "id": badge_class_url(badge_class, launchpad),
            "name": badge_class.name,
            "description": badge_class.description,
            "image": badge_image_url(badge_class, launchpad),
            "criteria": {"narrative": badge_class.criteria_text},
            "issuer": issuer_url(launchpad),
        }


def assertion_document(award: BadgeAward) -> dict:
    """The award as a hosted OB 2.0 ``Assertion``."""
    launchpad = award.sme.launchpad
    document = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": assertion_url(award),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.salt,
            "identity": recipient_identity(award.recipient_email, award.salt),
        },
        "badge": badge_class_url(award.badge_class, launchpad),
        "verification": {"type": "hosted"},
        "issuedOn": _iso(award.awarded_at),
        "image": baked_url(award),
    }
    if award.expires_at:
        document["expires"] = _iso(award.expires_at)
    if award.reason:
        document["narrative"] = award.reason
    if award.revoked_at:
        document["revoked"] = True
        document["revocationReason"] = award.revocation_reason
    return document


# ---------------------------------------------------------------------------
# Signed Open Badges 2.0 assertions (JWS, RS256) and the issuer's RevocationList


def signed_assertion_id(award: BadgeAward) -> str:
    """A signed assertion's ``id``: a ``urn:uuid`` (OB 2.0 recommends it for signed assertions), listed in the
    issuer's RevocationList when the award is revoked."""
    return f"urn:uuid:{award.uid}"


def signed_assertion_document(award: BadgeAward) -> dict:
    """The award as an OB 2.0 ``Assertion`` with signed verification: its ``creator`` is the launchpad's
    active RSA key. Revocation is told by the issuer's ``revocationList``, not by the assertion."""
    document = assertion_document(award)
    for field in ("revoked", "revocationReason"):
        document.pop(field, None)
    document.update(
        {
            "id": signed_assertion_id(award),
            "verification": {"type": "SignedBadge", "creator": key_url(issuer_key(award.sme.launchpad, RSA))},
            "image": signed_baked_url(award),
        }
    )
    return document


def signed_assertion_jws(award: BadgeAward) -> str:
    """The signed assertion as a compact JWS (RS256) over its JSON, with the launchpad's active RSA key."""
    key = issuer_key(award.sme.launchpad, RSA)
    payload = json.dumps(signed_assertion_document(award), ensure_ascii=False, separators=(",", ":")).encode()
    return jwt.api_jws.encode(payload, _private_key(key), algorithm="RS256", headers={"kid": key_url(key)})


def signed_assertion_verify(token: str, key: IssuerKey) -> dict:
    """The assertion of a JWS the RSA key's public half verifies; raises ``jwt.InvalidTokenError`` otherwise."""
    public = serialization.load_pem_public_key(key.public_key.encode())
    return json.loads(jwt.api_jws.decode(token, public, algorithms=["RS256"]))


def revocation_list_document(launchpad: Launchpad) -> dict:
    """The launchpad's OB 2.0 ``RevocationList``: each revoked award's assertions, signed and hosted, with the
    reason.

    Both ids are listed. The hosted one also answers 410, but listing it keeps the list at two entries or
    more: JSON-LD compaction turns a one-entry list into a single object, which openbadges-validator-core
    1.1.2 then fails to match (it iterates the object's keys), so a lone revocation would go unreported.
    """
    revoked = BadgeAward.objects.filter(sme__launchpad=launchpad, revoked_at__isnull=False).order_by("revoked_at", "pk")
    entries = []
    for award in revoked.only("uid", "revocation_reason"):
        for assertion_id in (signed_assertion_id(award), assertion_url(award)):
            entry = {"id": assertion_id}
            if award.revocation_reason:
                entry["revocationReason"] = award.revocation_reason
            entries.append(entry)
    return {
        "@context": OB2_CONTEXT,
        "id": revocation_list_url(launchpad),
        "type": "RevocationList",
        "issuer": issuer_url(launchpad),
        "revokedAssertions": entries,
    }


# ---------------------------------------------------------------------------
# Images and baking


def badge_image(badge_class: BadgeClass, *, language: str | None = None) -> Image.Image:
    """The badge's picture: its uploaded image, or a round badge drawn in its colour with the initials of its
    name in ``language`` (the programme's default language when none is given: baked and shared images)."""
    if badge_class.image_id:
        with badge_class.image.open_file() as handle:
            picture = Image.open(handle)
            picture.load()
        return picture.convert("RGBA")
    size = 400
    picture = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((8, 8, size - 8, size - 8), fill=badge_class.colour, outline="#ffffff", width=12)
    draw.ellipse((40, 40, size - 40, size - 40), outline="#ffffff", width=4)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        words = [word for word in str(badge_class.name).split() if word[:1].isalnum()]
        # Initials of the words that carry meaning ("Three months of data" → TMD).
        words = words[:1] + [word for word in words[1:] if len(word) > 2] if words else words
    initials = "".join(word[0].upper() for word in words[:3]) or "★"
    try:
        font = ImageFont.truetype(FONT, 130 if len(initials) < 3 else 100)
    except OSError:
        font = ImageFont.load_default(size=110)
    draw.text((size / 2, size / 2), initials, fill="#ffffff", font=font, anchor="mm")
    return picture


def png_bytes(picture: Image.Image, *, text: dict[str, str] | None = None) -> bytes:
    info = PngInfo()
    for keyword, value in (text or {}).items():
        info.add_itxt(keyword, value)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def baked_png(award: BadgeAward) -> bytes:
    """The badge image with the OB 2.0 assertion baked in (``iTXt``, keyword ``openbadges``) and, while
    the award is not revoked, the signed OB 3.0 credential (``iTXt``, keyword ``openbadgecredential``)."""
    text = {BAKED_KEYWORD: json.dumps(assertion_document(award), ensure_ascii=False, separators=(",", ":"))}
    if not award.revoked_at:
        text[BAKED_OB3_KEYWORD] = ob3_jwt(award)
    return png_bytes(badge_image(award.badge_class), text=text)


def signed_baked_png(award: BadgeAward) -> bytes:
    """The badge image with the signed assertion baked in: the compact JWS in the ``openbadges`` ``iTXt``
    chunk, as the baking specification gives signed assertions."""
    return png_bytes(badge_image(award.badge_class), text={BAKED_KEYWORD: signed_assertion_jws(award)})


def baked_text(data: bytes) -> str | None:
    """What a PNG carries in its ``openbadges`` chunk (an assertion's JSON, or a signed assertion's JWS), or None."""
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return getattr(picture, "text", {}).get(BAKED_KEYWORD)


def unbake(data: bytes) -> dict | None:
    """The hosted assertion baked into a PNG, or None."""
    text = baked_text(data)
    return json.loads(text) if text else None


# ---------------------------------------------------------------------------
# Open Badges 3.0 (VC-JWT, the W3C Verifiable Credentials Data Model 2.0)


def credential_subject_id(award: BadgeAward) -> str:
    """An opaque URI naming the recipient (the JWT ``sub``), derived from the salted hash, never the address."""
    identity = recipient_identity(award.recipient_email, award.salt)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, identity)}"


def ob3_credential(award: BadgeAward) -> dict:
    """The award as an OB 3.0 ``OpenBadgeCredential`` (W3C Verifiable Credential 2.0), before signing."""
    launchpad = award.sme.launchpad
    badge_class = award.badge_class
    with translation.override(launchpad.language):
        credential = {
            "@context": OB3_CONTEXT,
            "id": f"urn:uuid:{award.uid}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {
                "id": issuer_url(launchpad),
                "type": ["Profile"],
                "name": f"E-Channel · {launchpad.name}",
                "url": absolute(f"/{launchpad.language}/"),
            },
            "validFrom": _iso(award.awarded_at),
            "name": str(badge_class.name),
            "credentialSubject": {
                "id": credential_subject_id(award),
                "type": ["AchievementSubject"],
                "identifier": [
                    {
                        "type": "IdentityObject",
                        "identityType": "emailAddress",
                        "hashed": True,
                        "salt": award.salt,
                        "identityHash": recipient_identity(award.recipient_email, award.salt),
                    }
                ],
                "achievement": {
                    "id": badge_class_url(badge_class, launchpad),
                    "type": ["Achievement"],
                    "name": str(badge_class.name),
                    "description": str(badge_class.description),
                    "criteria": {"narrative": str(badge_class.criteria_text)},
                    "image": {"id": badge_image_url(badge_class, launchpad), "type": "Image"},
                },
            },
            "credentialSchema": [OB3_SCHEMA],
        }
    if award.expires_at:
        credential["validUntil"] = _iso(award.expires_at)
    if award.status_index is not None:
        credential["credentialStatus"] = status_entry(award)
    return credential


def _sign(claims: dict, key: IssuerKey) -> str:
    return jwt.encode(claims, _private_key(key), algorithm="EdDSA", headers={"kid": key_url(key), "typ": "JWT"})


def ob3_jwt(award: BadgeAward) -> str:
    """The OB 3.0 credential signed as a VC-JWT (EdDSA) with the launchpad's active Ed25519 key.

    The JWT payload *is* the credential (no ``vc`` wrapper), with the registered claims
    OB 3.0 asks for: ``iss`` (issuer id), ``sub`` (subject id), ``jti`` (credential id),
    ``nbf`` (``validFrom``) and ``exp`` (``validUntil``) when it expires. The JOSE header's
    ``kid`` dereferences to the public key as a JWK.
    """
    credential = ob3_credential(award)
    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "sub": credential["credentialSubject"]["id"],
        "jti": credential["id"],
        "nbf": int(award.awarded_at.replace(microsecond=0).timestamp()),
    }
    if award.expires_at:
        claims["exp"] = int(award.expires_at.replace(microsecond=0).timestamp())
    return _sign(claims, issuer_key(award.sme.launchpad))


def ob3_verify(token: str, key: Ed25519PublicKey) -> dict:
    """The credential of a VC-JWT whose signature the key verifies; raises ``jwt.InvalidTokenError`` otherwise."""
    claims = jwt.decode(token, key, algorithms=["EdDSA"], options={"require": ["iss", "sub", "jti", "nbf"]})
    if (
        claims["iss"] != claims["issuer"]["id"]
        or claims["jti"] != claims["id"]
        or claims["sub"] != claims["credentialSubject"]["id"]
    ):
        raise jwt.InvalidTokenError("The token's claims do not match its credential.")
    return claims


# ---------------------------------------------------------------------------
# Revocation: a W3C Bitstring Status List per launchpad


def status_list_url(launchpad: Launchpad) -> str:
    return absolute(reverse("learning_public:status_list", kwargs={"launchpad": launchpad.code}))


def status_index_new() -> int:
    """A free position in the status lists, drawn at random (herd privacy, as the specification advises).

    Positions are unique across launchpads; the lists grow by a whole list when half full.
    """
    used = set(BadgeAward.objects.filter(status_index__isnull=False).values_list("status_index", flat=True))
    size = STATUS_LIST_BITS * (1 + len(used) // (STATUS_LIST_BITS // 2))
    while True:
        index = secrets.randbelow(size)
        if index not in used:
            return index


def status_entry(award: BadgeAward) -> dict:
    url = status_list_url(award.sme.launchpad)
    return {
        "id": f"{url}#{award.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(award.status_index),
        "statusListCredential": url,
    }


def status_bits(launchpad: Launchpad, now: datetime.datetime) -> bytes:
    """The launchpad's revocation bitstring: a set bit for each award revoked or expired (first bit = index 0)."""
    awards = BadgeAward.objects.filter(sme__launchpad=launchpad, status_index__isnull=False)
    indices = list(awards.values_list("status_index", flat=True))
    size = STATUS_LIST_BITS * (1 + max(indices, default=0) // STATUS_LIST_BITS)
    bits = bytearray(size // 8)
    withdrawn = awards.filter(Q(revoked_at__isnull=False) | Q(expires_at__lte=now))
    for index in withdrawn.values_list("status_index", flat=True):
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode_bits(bits: bytes) -> str:
    """``encodedList``: the GZIP-compressed bitstring, base64url without padding, multibase prefix ``u``."""
    return "u" + base64.urlsafe_b64encode(gzip.compress(bits, mtime=0)).decode().rstrip("=")


def status_list_credential(launchpad: Launchpad, now: datetime.datetime) -> dict:
    url = status_list_url(launchpad)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_url(launchpad),
        "validFrom": _iso(now),
        "validUntil": _iso(now + STATUS_LIST_VALIDITY),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(status_bits(launchpad, now)),
        },
    }


def status_list_jwt(launchpad: Launchpad, now: datetime.datetime | None = None) -> str:
    """The status list credential signed as a VC-JWT with the launchpad's active key.

    Built at each request, so a revocation or an expiry shows at once; it is valid for a
    day (``validUntil``/``exp``), so an old copy replayed cannot hide a later revocation.
    """
    now = (now or timezone.now()).replace(microsecond=0)
    credential = status_list_credential(launchpad, now)
    claims = {
        **credential,
        "iss": credential["issuer"],
        "jti": credential["id"],
        "nbf": int(now.timestamp()),
        "exp": int((now + STATUS_LIST_VALIDITY).timestamp()),
    }
    return _sign(claims, issuer_key(launchpad))


def revoked_document(award: BadgeAward) -> dict:
    """The body of a revoked hosted assertion's 410 answer, as OB 2.0 gives it (JSON-LD, so a validator reads it)."""
    return {
        "@context": OB2_CONTEXT,
        "id": assertion_url(award),
        "revoked": True,
        "revocationReason": award.revocation_reason,
    }


# ---------------------------------------------------------------------------
# Taking the badge elsewhere: a wallet (QR code of the credential's address), LinkedIn


def credential_qr_svg(award: BadgeAward) -> str:
    """A QR code of the credential's address, as an SVG document, for a phone wallet to scan."""
    buffer = io.BytesIO()
    segno.make(credential_url(award), error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
    return buffer.getvalue().decode()


def linkedin_add_url(award: BadgeAward, language: str | None = None) -> str:
    """LinkedIn's "add to profile" address with the certification's fields filled in."""
    launchpad = award.sme.launchpad
    with translation.override(language or translation.get_language() or launchpad.language):
        name = str(award.badge_class.name)
        organization = f"E-Channel · {launchpad.name}"
    issued = timezone.localtime(award.awarded_at)
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organization,
        "issueYear": issued.year,
        "issueMonth": issued.month,
    }
    if award.expires_at:
        expires = timezone.localtime(award.expires_at)
        params.update({"expirationYear": expires.year, "expirationMonth": expires.month})
    params.update({"certUrl": verification_url(award), "certId": str(award.uid)})
    return "https://www.linkedin.com/profile/add?" + urlencode(params)
