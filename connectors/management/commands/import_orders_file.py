"""``python manage.py import_orders_file --sme SLUG PATH [--layout …] [--dry-run]``: import an orders file.

Prints what was created, updated and left unchanged; or, for a file with bad rows, every bad
row (line, column, value, reason) and exits non-zero, having written nothing. ``--products``
imports a products file instead; ``--map FIELD=HEADER`` maps the columns of an unknown layout.
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from connectors.files.importer import Status, orders_file_import, products_file_import
from connectors.files.layouts import LAYOUT_NAMES
from connectors.models import SyncTrigger

from ._sme import sme_from_slug


class Command(BaseCommand):
    help = "Import an orders (or products) file for an SME: CSV or XLSX, plain, .gz or .zip. All rows or none."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to import")
        parser.add_argument("--sme", required=True, help="the SME's slug")
        parser.add_argument("--layout", default="auto", choices=["auto", *LAYOUT_NAMES])
        parser.add_argument("--dry-run", action="store_true", help="check the file and count, write nothing")
        parser.add_argument("--products", action="store_true", help="the file holds products, not orders")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help="which column holds one of our fields, for a layout we do not recognise (repeatable)",
        )
        parser.add_argument("--language", choices=["en", "fr"], help="language of the report (default: English)")

    def handle(self, *args, path, sme, layout, dry_run, products, map, language=None, **options):
        company = sme_from_slug(sme)
        mapping = {}
        for item in map:
            field, separator, header = item.partition("=")
            if not separator:
                raise CommandError(f"--map takes FIELD=HEADER, not {item!r}.")
            mapping[field.strip()] = header.strip()
        if not os.path.isfile(path):
            raise CommandError(f"No such file: {path}")
        service = products_file_import if products else orders_file_import
        with translation.override(language or "en"):
            result = service(
                sme=company,
                path_or_file=path,
                layout=layout,
                mapping=mapping or None,
                dry_run=dry_run,
                trigger=SyncTrigger.COMMAND,
            )
            self.report(result)

    def report(self, result):
        what = "products" if result.stream == "products" else "orders"
        if result.status == Status.UNREADABLE:
            raise CommandError(result.message)
        if result.status == Status.UNKNOWN_LAYOUT:
            self.stdout.write(result.message)
            self.stdout.write("Columns in the file: " + ", ".join(repr(header) for header in result.headers))
            fields = [f"{spec.name}{' (required)' if spec.required else ''}" for spec in result.fields]
            self.stdout.write("Our fields: " + ", ".join(fields))
            raise CommandError("Unknown layout: map the columns with --map FIELD=HEADER.")
        fmt = result.format
        if fmt is not None:
            described = fmt.kind + (f" in {fmt.compression}" if fmt.compression else "")
            if fmt.kind == "csv":
                described += f", {fmt.encoding}, separator {fmt.delimiter!r}"
                described += ", decimal comma" if fmt.decimal_comma else ""
            self.stdout.write(f"Layout: {result.layout_label} ({described})")
        if result.status == Status.INVALID:
            for error in result.errors:
                self.stdout.write(str(error))
            if result.unlisted_errors:
                self.stdout.write(f"… and {result.unlisted_errors} more.")
            raise CommandError(result.message)
        if result.status == Status.FAILED:
            raise CommandError(result.message)
        lines = f", {result.lines} lines" if result.stream == "orders" else ""
        if result.status == Status.CHECKED:
            self.stdout.write(
                f"Dry run, nothing written: {result.records} {what}{lines}; "
                f"{result.counts.created} new, {result.existing} already imported (updated if changed)."
            )
            return
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.records} {what}{lines} in {result.pages} pages: "
                f"{counts.created} created, {counts.updated} updated, {counts.skipped} unchanged."
            )
        )
