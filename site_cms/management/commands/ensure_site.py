from django.core.management.base import BaseCommand

from site_cms.services.site_setup import ensure_site_structure


class Command(BaseCommand):
    help = "Create the locale and home page of every configured language that does not have one."

    def handle(self, *args, **options):
        ensure_site_structure()
