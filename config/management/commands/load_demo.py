"""``python manage.py load_demo``: build (or refresh) the demo programme. Re-running duplicates nothing."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.services import site_ensure_home
from coaching import demo as coaching_demo
from coaching import demo_outcomes
from coaching import demo_scale as coaching_scale
from connectors import demo as connectors_demo
from connectors import demo_scale as connectors_scale
from journey import demo as journey_demo
from journey import demo_scale as journey_scale
from journey.demo_scale import SLUG_PREFIX as SCALE_PREFIX
from journey.models import SME
from learning import demo as learning_demo
from reporting import demo as reporting_demo
from toolkit.models import ToolkitReport
from toolkit.services import report_refresh


class Command(BaseCommand):
    help = "Load the demo programme: launchpads, staff, 24 SMEs with their users, and the public site."

    def add_arguments(self, parser):
        parser.add_argument("--online-retail", metavar="PATH", help="the UCI Online Retail file: one SME's history")
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="also build a national-size programme: N generated SMEs (1000: over 5 million order lines)",
        )
        parser.add_argument(
            "--scale-history",
            type=float,
            default=1.0,
            metavar="FACTOR",
            help="scale the generated SMEs' order histories (0.01 for a quick CI run); default 1",
        )

    def handle(self, *args, **options):
        if options["online_retail"] and not Path(options["online_retail"]).is_file():
            raise CommandError(f"No Online Retail file at {options['online_retail']}.")
        if not 0 <= options["scale"] <= 9999:
            raise CommandError("--scale takes a number of SMEs from 0 to 9999.")
        if not 0 < options["scale_history"] <= 10:
            raise CommandError("--scale-history takes a factor above 0 and at most 10.")
        site_ensure_home()
        accounts = journey_demo.load()
        real = self._online_retail(options["online_retail"]) if options["online_retail"] else None
        histories = connectors_demo.load_histories()
        connectors_demo.load_shop_sources()
        coaching_demo.load()
        outcome_events = demo_outcomes.load_outcomes()
        # The toolkit reads stored reports: compute the missing ones now rather than on first view.
        # (Not the scale demo's SMEs: the nightly refresh computes theirs, spread over the workers.)
        for sme in SME.objects.filter(orders__isnull=False).exclude(slug__startswith=SCALE_PREFIX).distinct():
            if not ToolkitReport.objects.filter(sme=sme).exists():
                report_refresh(sme=sme)
        learning_demo.load()
        # Last: publishing freezes the reviews' figures, which count every app's demo history.
        reporting_demo.load_reviews()
        out = self.stdout
        out.write(self.style.SUCCESS("Demo programme loaded."))
        if options["scale"]:
            self._scale(options["scale"], options["scale_history"])
        if real:
            name, orders, created = real["sme"].name, real["orders"], real["created"]
            out.write(f"Online Retail history: {orders} orders for {name}, {created} created.")
        if histories:
            out.write(f"Order histories generated for {histories} SMEs.")
        out.write(f"Outcomes detected in the SMEs' orders: {outcome_events}.")
        out.write(f"All demo accounts use the password: {journey_demo.DEMO_PASSWORD}")
        out.write("")
        out.write("Staff (Wagtail admin at http://127.0.0.1:8000/admin/):")
        for user in accounts["staff"]:
            where = user.launchpad.name if user.launchpad else "programme"
            out.write(f"  {user.get_role_display():<18} {user.email:<42} {user.get_full_name()} ({where})")
        out.write("")
        out.write("SME users (portal at http://127.0.0.1:8000/en/portal/ or /fr/portal/):")
        for user in accounts["sme_users"]:
            out.write(f"  {user.email:<48} {user.sme.name} ({user.sme.launchpad.code.upper()})")

    def _scale(self, n: int, factor: float) -> None:
        """The national-size programme on top of the demo, each part timed."""
        out = self.stdout
        started = time.perf_counter()
        journey = journey_scale.load(n)
        out.write(f"Scale demo: {journey['smes']} SMEs and {journey['stage_changes']} stage changes created.")
        histories = connectors_scale.load(factor=factor)
        out.write(
            f"Scale demo: order histories for {histories['smes']} SMEs: "
            f"{histories['orders']} orders, {histories['lines']} lines created."
        )
        coaching = coaching_scale.load()
        out.write(f"Scale demo: {coaching['sessions']} sessions and {coaching['contacts']} contacts created.")
        out.write(f"Scale demo loaded in {time.perf_counter() - started:.1f} s.")

    def _online_retail(self, path: str) -> dict:
        try:
            real = connectors_demo.load_online_retail(path)
        except connectors_demo.DemoDataError as error:
            raise CommandError(str(error)) from error
        if real["created"]:
            report_refresh(sme=real["sme"])
        return real
