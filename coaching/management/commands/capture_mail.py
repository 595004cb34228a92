"""``python manage.py capture_mail PATH.eml [--launchpad CODE]``: capture one message file as the mailbox would.

A stable interface (checks use it): the file is read exactly as a message from the capture
mailbox is — sender, launchpad, SME, draft or triage — and recorded once by its Message-ID.
It prints one line: ``draft <id> <sme slug>``, ``triage <id> <reason>`` or ``already <id> <status>``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coaching.capture.services import capture_message
from coaching.models import CapturedMessage, CaptureStatus
from journey.models import Launchpad


class Command(BaseCommand):
    help = "Capture one .eml or .ics file as if it had arrived in the capture mailbox."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .eml (or .ics) file.")
        parser.add_argument("--launchpad", help="The launchpad code, when no capture address is a recipient.")

    def handle(self, *args, path, launchpad=None, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        if launchpad and not Launchpad.objects.filter(code=launchpad).exists():
            raise CommandError(f"No launchpad with the code {launchpad!r}.")
        outcome = capture_message(file.read_bytes(), source=CapturedMessage.Source.FILE, launchpad_code=launchpad)
        capture = outcome.capture
        if not outcome.created:
            self.stdout.write(f"already {capture.pk} {capture.status}")
        elif capture.status == CaptureStatus.DRAFT:
            self.stdout.write(f"draft {capture.pk} {capture.sme.slug}")
        elif capture.status == CaptureStatus.TRIAGE:
            self.stdout.write(f"triage {capture.pk} {capture.reason}")
        else:
            self.stdout.write(f"{capture.status} {capture.pk} {capture.applied_to_id or ''}".rstrip())
