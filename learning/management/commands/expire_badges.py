"""``python manage.py expire_badges``: withdraw the tools expired badges had opened (what the daily task does)."""

from django.core.management.base import BaseCommand

from learning.services import awards_expire


class Command(BaseCommand):
    help = "Withdraw the toolkit tools that expired badges had opened."

    def handle(self, *args, **options):
        checked = awards_expire()
        self.stdout.write(f"{checked} SMEs with expired badges checked.")
