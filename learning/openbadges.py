"""Badges as verifiable Open Badges credentials.

* **Open Badges 2.0**, hosted verification: each award is an ``Assertion`` (JSON-LD) at a
  public address of this site, naming its ``BadgeClass``, which names its ``Issuer`` — the
  launchpad of the SME (one issuer per launchpad, its documents in its own language). The
  recipient's e-mail address is published only as a salted SHA-256 hash. A verifier
  fetches the assertion's ``id`` and finds it there; a revoked assertion answers 410 Gone.
* **Baked PNG**: the badge image carrying the assertion in an ``iTXt`` chunk with the
  keyword ``openbadges`` (the Open Badges baking specification), made with Pillow.
* **Open Badges 3.0**: an ``OpenBadgeCredential`` signed as a VC-JWT (EdDSA, Ed25519)
  with the launchpad's key. The private key is kept encrypted (``connectors.crypto``) and
  never leaves this module; the public key is published in the issuer document.
"""

from __future__ import annotations

import hashlib
import io
import json

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from connectors import crypto
from journey.models import Launchpad

from .models import BadgeAward, BadgeClass, IssuerKey

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB3_CONTEXT = [
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
BAKED_KEYWORD = "openbadges"
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


def assertion_url(award: BadgeAward) -> str:
    return absolute(reverse("learning_public:assertion", kwargs={"uid": award.uid}))


def verification_url(award: BadgeAward) -> str:
    return absolute(reverse("learning_public:verify", kwargs={"uid": award.uid}))


def baked_url(award: BadgeAward) -> str:
    return absolute(reverse("learning_public:baked", kwargs={"uid": award.uid}))


def credential_url(award: BadgeAward) -> str:
    return absolute(reverse("learning_public:credential", kwargs={"uid": award.uid}))


def key_id(launchpad: Launchpad) -> str:
    return issuer_url(launchpad) + "#key-1"


# ---------------------------------------------------------------------------
# Keys


def issuer_key(launchpad: Launchpad) -> IssuerKey:
    """The launchpad's signing key, created on first use; the private half is stored encrypted."""
    existing = IssuerKey.objects.filter(launchpad=launchpad).first()
    if existing is not None:
        return existing
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    try:
        with transaction.atomic():
            return IssuerKey.objects.create(
                launchpad=launchpad,
                public_key=public_pem,
                private_key_encrypted=crypto.encrypt({"ed25519": private_pem}),
            )
    except IntegrityError:
        return IssuerKey.objects.get(launchpad=launchpad)


def _private_key(launchpad: Launchpad) -> Ed25519PrivateKey:
    pem = crypto.decrypt(issuer_key(launchpad).private_key_encrypted)["ed25519"]
    return serialization.load_pem_private_key(pem.encode(), password=None)


def public_key(launchpad: Launchpad) -> Ed25519PublicKey:
    return serialization.load_pem_public_key(issuer_key(launchpad).public_key.encode())


def public_jwk(launchpad: Launchpad) -> dict:
    raw = public_key(launchpad).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": jwt.utils.base64url_encode(raw).decode(), "kid": key_id(launchpad)}


# ---------------------------------------------------------------------------
# Open Badges 2.0 documents


def recipient_identity(email: str, salt: str) -> str:
    """``sha256$`` + hex digest of the address followed by the salt, as OB 2.0 hashes identities."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def issuer_document(launchpad: Launchpad) -> dict:
    """The launchpad as an OB 2.0 ``Issuer`` profile, with the public key its credentials are signed with."""
    key = issuer_key(launchpad)
    with translation.override(launchpad.language):
        return {
            "@context": OB2_CONTEXT,
            "type": "Issuer",
            "id": issuer_url(launchpad),
            "name": f"E-Channel · {launchpad.name}",
            "url": absolute(f"/{launchpad.language}/"),
            "email": settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip(),
            "publicKey": {
                "id": key_id(launchpad),
                "type": "CryptographicKey",
                "owner": issuer_url(launchpad),
                "publicKeyPem": key.public_key,
                "publicKeyJwk": public_jwk(launchpad),
            },
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
# Images and baking


def badge_image(badge_class: BadgeClass) -> Image.Image:
    """The badge's picture: its uploaded image, or a round badge drawn in its colour with its initials."""
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
    with translation.override(settings.LANGUAGE_CODE):
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
    """The badge image with the assertion baked in (``iTXt`` chunk, keyword ``openbadges``)."""
    assertion = json.dumps(assertion_document(award), ensure_ascii=False, separators=(",", ":"))
    return png_bytes(badge_image(award.badge_class), text={BAKED_KEYWORD: assertion})


def unbake(data: bytes) -> dict | None:
    """The assertion baked into a PNG, or None."""
    picture = Image.open(io.BytesIO(data))
    picture.load()
    text = getattr(picture, "text", {}).get(BAKED_KEYWORD)
    return json.loads(text) if text else None


# ---------------------------------------------------------------------------
# Open Badges 3.0 (VC-JWT)


def ob3_credential(award: BadgeAward) -> dict:
    """The award as an OB 3.0 ``OpenBadgeCredential`` (W3C Verifiable Credential), before signing."""
    launchpad = award.sme.launchpad
    badge_class = award.badge_class
    with translation.override(launchpad.language):
        credential = {
            "@context": OB3_CONTEXT,
            "id": f"urn:uuid:{award.uid}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": issuer_url(launchpad), "type": ["Profile"], "name": f"E-Channel · {launchpad.name}"},
            "issuanceDate": _iso(award.awarded_at),
            "name": badge_class.name,
            "credentialSubject": {
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
                    "name": badge_class.name,
                    "description": badge_class.description,
                    "criteria": {"narrative": badge_class.criteria_text},
                    "image": {"id": badge_image_url(badge_class, launchpad), "type": "Image"},
                },
            },
        }
    if award.expires_at:
        credential["expirationDate"] = _iso(award.expires_at)
    return credential


def ob3_jwt(award: BadgeAward) -> str:
    """The OB 3.0 credential signed as a VC-JWT (EdDSA) with the launchpad's Ed25519 key."""
    credential = ob3_credential(award)
    claims = {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(award.awarded_at.timestamp()),
        "iat": int(award.awarded_at.timestamp()),
        "vc": credential,
    }
    if award.expires_at:
        claims["exp"] = int(award.expires_at.timestamp())
    launchpad = award.sme.launchpad
    headers = {"kid": key_id(launchpad), "typ": "JWT"}
    return jwt.encode(claims, _private_key(launchpad), algorithm="EdDSA", headers=headers)


def ob3_verify(token: str, key: Ed25519PublicKey) -> dict:
    """The credential of a VC-JWT whose signature the key verifies; raises ``jwt.InvalidTokenError`` otherwise."""
    claims = jwt.decode(token, key, algorithms=["EdDSA"], options={"require": ["iss", "jti", "nbf", "vc"]})
    credential = claims["vc"]
    if claims["iss"] != credential["issuer"]["id"] or claims["jti"] != credential["id"]:
        raise jwt.InvalidTokenError("The token's claims do not match its credential.")
    return credential
