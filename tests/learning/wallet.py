"""What a wallet or verifier does with this site's credentials, for the tests: fetch, resolve the key."""

import json
from urllib.parse import urlparse

import jwt
from jwt.algorithms import OKPAlgorithm
from openbadgeslib.ob3 import OB3Verifier

from learning import openbadges


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
