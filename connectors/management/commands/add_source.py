"""``python manage.py add_source --sme SLUG --kind KIND --url URL`` and the credentials the kind needs.

For example ``--kind prestashop --key WS_KEY`` (the webservice under ``URL/api/``),
``--kind woocommerce --key K --secret S``, ``--kind shopify --token T``. The credentials each
kind needs are the ones its connector declares (``Connector.connect_fields``).
"""

from django.core.management.base import BaseCommand, CommandError

from connectors import registry
from connectors.services import source_add

from ._sme import sme_from_slug


def _field_names() -> list[str]:
    names: list[str] = []
    for kind in registry.connectable_kinds():
        names += [field.name for field in registry.connect_fields(kind) if field.name not in names]
    return names


class Command(BaseCommand):
    help = "Connect a shop to an SME. The credentials are stored encrypted and never printed."

    def add_arguments(self, parser):
        parser.add_argument("--sme", required=True, help="the SME's slug")
        parser.add_argument("--kind", required=True, choices=registry.connectable_kinds())
        parser.add_argument("--url", required=True, help="the shop's address")
        for name in _field_names():
            kinds = [kind for kind in registry.connectable_kinds() if name in _names(kind)]
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=f"for {', '.join(kinds)}")

    def handle(self, *args, sme, kind, url, **options):
        company = sme_from_slug(sme)
        fields = registry.connect_fields(kind)
        missing = [
            f"--{field.name.replace('_', '-')}" for field in fields if field.required and not options.get(field.name)
        ]
        if missing:
            raise CommandError(f"A {kind} source needs {' and '.join(missing)}.")
        credentials = {field.name: options[field.name] for field in fields if options.get(field.name)}
        source = source_add(sme=company, kind=kind, base_url=url, credentials=credentials)
        self.stdout.write(f"Data source {source.pk} ready: {source}")


def _names(kind: str) -> list[str]:
    return [field.name for field in registry.connect_fields(kind)]
