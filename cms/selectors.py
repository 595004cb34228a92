"""Reads of the public site."""

from __future__ import annotations

from .models import StandardPage

PRIVACY_SLUG = "privacy"
ELIGIBILITY_SLUG = "eligibility"


def privacy_page() -> StandardPage | None:
    """The live privacy notice, if the site has one."""
    return StandardPage.objects.live().filter(slug=PRIVACY_SLUG).first()
