"""``python manage.py sync_source --sme SLUG [--kind K]``: sync in the foreground and print the run."""

from django.core.management.base import BaseCommand, CommandError

from connectors.models import DataSource, SourceKind, SourceStatus, SyncStatus, SyncTrigger
from connectors.sync import source_sync

from ._sme import sme_from_slug


class Command(BaseCommand):
    help = "Sync an SME's connected sources now, in the foreground, and print what each run did."

    def add_arguments(self, parser):
        parser.add_argument("--sme", required=True, help="the SME's slug")
        parser.add_argument("--kind", help="only sources of this kind (shopify, woocommerce, …)")

    def handle(self, *args, sme, kind=None, **options):
        company = sme_from_slug(sme)
        sources = DataSource.objects.filter(sme=company).exclude(kind=SourceKind.FILE)
        sources = sources.exclude(status=SourceStatus.AWAITING)  # no address nor key yet
        if kind:
            sources = sources.filter(kind=kind)
        if not sources.exists():
            raise CommandError(f"{company.slug} has no connected source" + (f" of kind {kind}." if kind else "."))
        failed = 0
        for source in sources:
            run = source_sync(source=source, trigger=SyncTrigger.COMMAND)
            seconds = run.duration.total_seconds()
            self.stdout.write(
                f"{source}: {run.get_status_display()} in {seconds:.1f} s — {run.pages} pages, "
                f"{run.created} created, {run.updated} updated, {run.skipped} unchanged"
            )
            for error in run.errors:
                self.stdout.write(f"  error ({error.get('stream') or '-'}): {error['reason']}")
            failed += run.status == SyncStatus.FAILED
        if failed:
            raise CommandError(f"{failed} of {sources.count()} syncs failed.")
