from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from site_cms.services import demo as site_demo
from site_cms.services.site_setup import ensure_site_structure


class Command(BaseCommand):
    help = "Load the demonstration data (idempotent: running it again adds nothing twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing unless the database is new (no user accounts yet).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("The database already has data; demo data not loaded.")
            return
        from crm.services import demo as crm_demo
        from outreach.services import demo as outreach_demo

        crm_demo.load_demo_data()
        outreach_demo.load_demo_data()
        ensure_site_structure()
        site_demo.load_demo_data()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
