"""``python manage.py add_source --sme SLUG --kind KIND ...``: connect a shop or an analytics property.

A shop: ``--url URL`` and the credentials its connector declares (``Connector.connect_fields``),
for example ``--kind prestashop --key WS_KEY`` (the webservice under ``URL/api/``),
``--kind woocommerce --key K --secret S``, ``--kind shopify --token T [--webhook-secret S]``,
``--kind squarespace --key API_KEY`` (no ``--url``: the key names the site, read when it is checked).
An analytics property: ``--kind ga4 --property ID --key-file service-account.json``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from connectors import registry
from connectors.base import ConnectorError
from connectors.ga4.client import key_info, property_id_clean
from connectors.ga4.connector import KEY_FILE_MAX_BYTES
from connectors.models import DataSource, SourceKind
from connectors.services import analytics_source_add, source_add

from ._sme import sme_from_slug


def _names(kind: str) -> list[str]:
    return [field.name for field in registry.connect_fields(kind)]


def _field_names() -> list[str]:
    names: list[str] = []
    for kind in registry.connectable_kinds():
        names += [name for name in _names(kind) if name not in names]
    return names


class Command(BaseCommand):
    help = "Connect a shop or an analytics property to an SME. The credentials are stored encrypted and never printed."

    def add_arguments(self, parser):
        parser.add_argument("--sme", required=True, help="the SME's slug")
        parser.add_argument("--kind", required=True, choices=[*registry.connectable_kinds(), SourceKind.GA4.value])
        parser.add_argument("--url", help="the shop's address (not for ga4)")
        for name in _field_names():
            kinds = [kind for kind in registry.connectable_kinds() if name in _names(kind)]
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=f"for {', '.join(kinds)}")
        parser.add_argument("--webhook-secret", help="Shopify: the app's API secret key, which signs its webhooks")
        parser.add_argument("--property", help="GA4: the property ID (a number)")
        parser.add_argument("--key-file", help="GA4: the service account's JSON key file")

    def handle(self, *args, sme, kind, url=None, **options):
        company = sme_from_slug(sme)
        if kind == SourceKind.GA4:
            source = self._ga4(company, options.get("property"), options.get("key_file"))
            self.stdout.write(f"Data source {source.pk} ready: {source} (property {source.options['property']})")
            return
        if not url and registry.connector_class(kind).url_required:
            raise CommandError(f"A {kind} source needs --url.")
        fields = registry.connect_fields(kind)
        missing = [
            f"--{field.name.replace('_', '-')}" for field in fields if field.required and not options.get(field.name)
        ]
        if missing:
            raise CommandError(f"A {kind} source needs {' and '.join(missing)}.")
        credentials = {field.name: options[field.name] for field in fields if options.get(field.name)}
        if kind == SourceKind.SHOPIFY and options.get("webhook_secret"):
            credentials["webhook_secret"] = options["webhook_secret"]
        source = source_add(sme=company, kind=kind, base_url=url or "", credentials=credentials)
        self.stdout.write(f"Data source {source.pk} ready: {source}")

    def _ga4(self, company, property_id, key_file) -> DataSource:
        property_id = property_id_clean(property_id)
        if not property_id:
            raise CommandError("A GA4 source needs --property, the property ID (a number).")
        if not key_file:
            raise CommandError("A GA4 source needs --key-file, the service account's JSON key.")
        path = Path(key_file)
        try:
            if path.stat().st_size > KEY_FILE_MAX_BYTES:
                raise CommandError(f"{key_file} is too large to be a service-account key.")
            info = key_info(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {key_file}: {error.strerror}") from None
        except (ConnectorError, UnicodeDecodeError) as error:
            raise CommandError(f"{key_file}: {error}") from None
        return analytics_source_add(sme=company, property_id=property_id, key=info)
