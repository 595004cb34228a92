"""Credentials encrypted at rest (Fernet, from ``cryptography``).

The key is ``CONNECTORS_CREDENTIALS_KEY`` (a Fernet key: ``python -c "from cryptography.fernet
import Fernet; print(Fernet.generate_key().decode())"``). Without it, a key is derived from
``SECRET_KEY`` so a laptop works out of the box; production sets its own.
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    key = getattr(settings, "CONNECTORS_CREDENTIALS_KEY", "")
    if not key:
        key = base64.urlsafe_b64encode(hashlib.sha256(f"connectors:{settings.SECRET_KEY}".encode()).digest())
    return Fernet(key)


def encrypt(values: dict) -> str:
    """The credentials as a token safe to store; never logged, never rendered."""
    return _fernet().encrypt(json.dumps(values).encode()).decode() if values else ""


def decrypt(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as error:
        raise ValueError("The stored credentials cannot be read with the current key.") from error
