"""Shared by the connectors commands: find the SME named on the command line."""

from django.core.management.base import CommandError

from journey.models import SME


def sme_from_slug(slug: str) -> SME:
    try:
        return SME.objects.get(slug=slug)
    except SME.DoesNotExist:
        raise CommandError(f"No SME with the slug {slug!r}.") from None
