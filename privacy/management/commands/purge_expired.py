"""``purge_expired [--dry-run]``: erase personal data past its retention period (privacy.retention)."""

from django.core.management.base import BaseCommand

from privacy.retention import purge


class Command(BaseCommand):
    help = "Erase enquiries, contact messages, sync logs and register entries past their retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only show what would be removed.")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        counts = purge(dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        for kind, count in counts.items():
            self.stdout.write(f"{verb} {count} {kind.replace('_', ' ')}")
