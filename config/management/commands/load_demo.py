"""``python manage.py load_demo``: build (or refresh) the demo programme. Re-running duplicates nothing."""

from django.core.management.base import BaseCommand

from cms.services import site_ensure_home
from coaching import demo as coaching_demo
from connectors import demo as connectors_demo
from journey import demo as journey_demo
from journey.models import SME
from learning import demo as learning_demo
from toolkit.models import ToolkitReport
from toolkit.services import report_refresh


class Command(BaseCommand):
    help = "Load the demo programme: launchpads, staff, 24 SMEs with their users, and the public site."

    def handle(self, *args, **options):
        site_ensure_home()
        accounts = journey_demo.load()
        histories = connectors_demo.load_histories()
        coaching_demo.load()
        # The toolkit reads stored reports: compute the missing ones now rather than on first view.
        for sme in SME.objects.filter(orders__isnull=False).distinct():
            if not ToolkitReport.objects.filter(sme=sme).exists():
                report_refresh(sme=sme)
        learning_demo.load()
        out = self.stdout
        out.write(self.style.SUCCESS("Demo programme loaded."))
        if histories:
            out.write(f"Order histories generated for {histories} SMEs.")
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
