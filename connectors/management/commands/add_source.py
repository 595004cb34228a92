"""``python manage.py add_source --sme SLUG --kind shopify|woocommerce --url URL [--token T | --key K --secret S]``."""

from django.core.management.base import BaseCommand, CommandError

from connectors.models import SourceKind
from connectors.services import source_add

from ._sme import sme_from_slug


class Command(BaseCommand):
    help = "Connect a shop to an SME. The credentials are stored encrypted and never printed."

    def add_arguments(self, parser):
        parser.add_argument("--sme", required=True, help="the SME's slug")
        parser.add_argument("--kind", required=True, choices=[SourceKind.SHOPIFY, SourceKind.WOOCOMMERCE])
        parser.add_argument("--url", required=True, help="the shop's address")
        parser.add_argument("--token", help="Shopify: an Admin API access token")
        parser.add_argument("--key", help="WooCommerce: the consumer key")
        parser.add_argument("--secret", help="WooCommerce: the consumer secret")

    def handle(self, *args, sme, kind, url, token=None, key=None, secret=None, **options):
        company = sme_from_slug(sme)
        if kind == SourceKind.SHOPIFY:
            if not token:
                raise CommandError("A Shopify source needs --token.")
            credentials = {"token": token}
        else:
            if not (key and secret):
                raise CommandError("A WooCommerce source needs --key and --secret.")
            credentials = {"key": key, "secret": secret}
        source = source_add(sme=company, kind=kind, base_url=url, credentials=credentials)
        self.stdout.write(f"Data source {source.pk} ready: {source}")
