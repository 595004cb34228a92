"""``personal_data export --email E --out F.zip`` and ``personal_data erase --email E --reason T``.

The same services as the staff pages, each request recorded in the register (via "command").
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from journey.models import Role, User
from privacy import services
from privacy.people import find


class Command(BaseCommand):
    help = "Export or erase everything held about a person, found by e-mail address."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="Write a ZIP of their data (JSON, CSV, XLSX, PDF summary, files).")
        exp.add_argument("--email", required=True)
        exp.add_argument("--out", required=True, help="The ZIP file to write.")
        era = sub.add_parser("erase", help="Erase their personal data; figures and history stay.")
        era.add_argument("--email", required=True)
        era.add_argument("--reason", required=True)
        era.add_argument(
            "--reassign-to",
            dest="reassign_to",
            default="",
            help="For a staff user: who takes over their SMEs and plans (default: their launchpad's manager).",
        )

    def handle(self, *args, **options):
        email = options["email"].strip()
        if "@" not in email:
            raise CommandError(f"Not an e-mail address: {email!r}")
        if options["action"] == "export":
            content, request = services.export_person(email, by=None, via="command")
            Path(options["out"]).write_bytes(content)
            found = "" if request.outcome.get("found") else " (nothing is held about this address)"
            self.stdout.write(f"Wrote {options['out']} ({len(content)} bytes){found}.")
            return
        if not options["reason"].strip():
            raise CommandError("Give the reason for the erasure (--reason).")
        to = None
        if options["reassign_to"]:
            to = User.objects.filter(
                email__iexact=options["reassign_to"].strip(), role__in=[Role.ACCOUNT_MANAGER, Role.LAUNCHPAD_MANAGER]
            ).first()
            if to is None:
                raise CommandError(f"No account manager or launchpad manager {options['reassign_to']!r}.")
        if not find(email).found:
            services.erase_person(email, by=None, via="command", reason=options["reason"], to=to)
            self.stdout.write("Nothing is held about this address: nothing to erase.")
            return
        try:
            request = services.erase_person(email, by=None, via="command", reason=options["reason"], to=to)
        except ValidationError as refusal:
            raise CommandError("\n".join(refusal.messages)) from refusal
        done = ", ".join(f"{key}: {value}" for key, value in request.outcome.items() if key != "found")
        self.stdout.write(f"Erased. {done}")
