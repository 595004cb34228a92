"""``python manage.py rotate_issuer_key uk``: retire a launchpad's signing key and create the next one.

Credentials signed with the retired key keep verifying: it stays published (its JWK at its
``kid`` address and in the launchpad's JWKS).
"""

from django.core.management.base import BaseCommand, CommandError

from journey.models import Launchpad
from learning import openbadges


class Command(BaseCommand):
    help = "Rotate a launchpad's Open Badges signing key (the old one stays published)."

    def add_arguments(self, parser):
        parser.add_argument("launchpad", help="the launchpad's code, e.g. uk or fr")

    def handle(self, *args, **options):
        launchpad = Launchpad.objects.filter(code=options["launchpad"]).first()
        if launchpad is None:
            codes = ", ".join(Launchpad.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"No launchpad with the code {options['launchpad']!r} (known: {codes}).")
        key = openbadges.issuer_key_rotate(launchpad)
        self.stdout.write(f"{launchpad.name}: new signing key {openbadges.key_url(key)}")
        self.stdout.write(f"Published keys: {openbadges.jwks_url(launchpad)}")
