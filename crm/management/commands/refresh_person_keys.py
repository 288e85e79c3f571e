"""Recompute every person's search text and matching keys (after an upgrade that changed how
names are folded or matched, or after rows were written outside the services)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from crm.models import Person
from crm.services.people import refresh_search_text


class Command(BaseCommand):
    help = "Recompute every person's search text and duplicate-matching keys."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, batch: int, **options):
        done = 0
        last = 0
        while True:
            people = list(Person.objects.filter(pk__gt=last).order_by("pk")[:batch])
            if not people:
                break
            with transaction.atomic():
                for person in people:
                    refresh_search_text(person)
            last = people[-1].pk
            done += len(people)
            self.stdout.write(f"{done} people refreshed")
        self.stdout.write(self.style.SUCCESS(f"Done: {done} people."))
