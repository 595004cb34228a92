"""``python manage.py export_calendar --user EMAIL [--out FILE]``: write a person's calendar feed."""

from django.core.management.base import BaseCommand, CommandError

from coaching.calendar import feed_for_user
from journey.models import User


class Command(BaseCommand):
    help = "Write the iCalendar feed of one person (the same as their subscribable feed) to a file or stdout."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="The person's e-mail address.")
        parser.add_argument("--out", help="The file to write; standard output when left out.")

    def handle(self, *args, user, out=None, **options):
        person = User.objects.filter(email__iexact=user.strip()).first()
        if person is None:
            raise CommandError(f"No user with the e-mail address {user!r}.")
        data = feed_for_user(person)
        if out:
            with open(out, "wb") as handle:
                handle.write(data)
            self.stderr.write(f"Wrote {out}")
        else:
            self.stdout.write(data.decode(), ending="")
