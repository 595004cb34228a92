"""``python manage.py register_webhooks --sme SLUG --public-url https://echannel.example [--kind K]``."""

from django.core.management.base import BaseCommand, CommandError

from connectors.base import ConnectorError
from connectors.models import DataSource, SourceStatus
from connectors.webhooks import TOPICS, webhooks_register

from ._sme import sme_from_slug


class Command(BaseCommand):
    help = "Subscribe an SME's Shopify and WooCommerce shops to order and product webhooks posting to this site."

    def add_arguments(self, parser):
        parser.add_argument("--sme", required=True, help="the SME's slug")
        parser.add_argument("--public-url", required=True, help="this site's public https:// address")
        parser.add_argument("--kind", choices=list(TOPICS), help="only shops of this kind")

    def handle(self, *args, sme, public_url, kind=None, **options):
        if not public_url.startswith("https://"):
            raise CommandError("--public-url must be this site's https:// address: the platforms post only there.")
        sources = DataSource.objects.filter(sme=sme_from_slug(sme), kind__in=[kind] if kind else list(TOPICS))
        sources = sources.exclude(status=SourceStatus.AWAITING)  # not connected: no address, no key
        if not sources.exists():
            raise CommandError("No Shopify or WooCommerce shop to subscribe.")
        for source in sources:
            try:
                topics = webhooks_register(source, public_root=public_url)
            except ConnectorError as error:
                raise CommandError(f"{source}: {error}") from None
            self.stdout.write(f"{source}: subscribed to {', '.join(topics)}")
