"""``python manage.py rotate_issuer_key uk``: retire a launchpad's signing keys (Ed25519 for OB 3.0, RSA
for signed OB 2.0) and create the next ones.

What the retired keys signed keeps verifying: they stay published (an Ed25519 key's JWK at its
``kid`` address and in the launchpad's JWKS, an RSA key's CryptographicKey at its address).
"""

from django.core.management.base import BaseCommand, CommandError

from journey.models import Launchpad
from learning import openbadges


class Command(BaseCommand):
    help = "Rotate a launchpad's Open Badges signing keys (the old ones stay published)."

    def add_arguments(self, parser):
        parser.add_argument("launchpad", help="the launchpad's code, e.g. uk or fr")

    def handle(self, *args, **options):
        launchpad = Launchpad.objects.filter(code=options["launchpad"]).first()
        if launchpad is None:
            codes = ", ".join(Launchpad.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"No launchpad with the code {options['launchpad']!r} (known: {codes}).")
        key = openbadges.issuer_key_rotate(launchpad)
        rsa_key = openbadges.issuer_key(launchpad, openbadges.RSA)
        self.stdout.write(f"{launchpad.name}: new signing keys {openbadges.key_url(key)} (Ed25519, OB 3.0)")
        self.stdout.write(f"  and {openbadges.key_url(rsa_key)} (RSA, signed OB 2.0)")
        self.stdout.write(f"Published keys: {openbadges.jwks_url(launchpad)}")
