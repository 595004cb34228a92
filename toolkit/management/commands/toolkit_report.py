"""``python manage.py toolkit_report --sme SLUG [--as-of YYYY-MM-DD] [--recompute]``: the report as JSON."""

import datetime
import json
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from journey.models import SME
from toolkit import report
from toolkit.models import ToolkitReport
from toolkit.services import report_is_current, report_refresh


class Command(BaseCommand):
    help = "Print an SME's toolkit report as one JSON document (schema in the README)."

    def add_arguments(self, parser):
        parser.add_argument("--sme", required=True, help="the SME's slug")
        parser.add_argument("--as-of", help="the report's date, YYYY-MM-DD (default: today in the SME's time zone)")
        parser.add_argument("--recompute", action="store_true", help="recompute even if a current report is stored")

    def handle(self, *args, sme, as_of=None, recompute=False, **options):
        try:
            company = SME.objects.select_related("launchpad").get(slug=sme)
        except SME.DoesNotExist:
            raise CommandError(f"No SME with the slug {sme!r}.") from None
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"--as-of must be a date such as 2026-03-31, not {as_of!r}.") from None
        today = timezone.localdate(timezone=ZoneInfo(company.launchpad.time_zone))
        stored = ToolkitReport.objects.filter(sme=company).first()
        if not recompute and report_is_current(stored, sme=company, as_of=day or today):
            document = stored.document
        elif day is None or day == today:
            document = report_refresh(sme=company).document  # the current report: store it for the pages
        else:
            document = report.compute(company, as_of=day)  # a past date: computed, not stored
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
