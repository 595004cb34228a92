"""The signed, expiring link to a person's own export."""

from django.core import signing
from django.urls import reverse

SIGNING_SALT = "privacy.export-link"


def download_token(record) -> str:
    return signing.dumps({"r": record.pk}, salt=SIGNING_SALT)


def download_path(record) -> str:
    return reverse("privacy:download", args=[download_token(record)])
