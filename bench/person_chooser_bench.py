"""Person chooser benchmark: choosing people on an admin form with 1,000,000 people.

    DATABASE_URL=postgres://liaison:liaison@127.0.0.1:5432/liaison_1 \
        .venv/bin/python bench/person_chooser_bench.py [--people 1000000] [--peer-people 20000]

Uses bench/crm_bench.py's database (<DATABASE_URL's name>_bench, generated there if missing).
Measures (median of --repeat runs after a warm-up):
  1. the campaign edit page (the full Wagtail request, as a campaign manager) with 5 people
     chosen as additions and 2 as exclusions: time and size;
  2. the "Also send to" field alone, rendered by crm.admin.widgets.PersonChooser over all people,
     against the peer measured in the same run: Django's plain SelectMultiple (what the form
     used before) over only --peer-people people (all of them would take minutes);
  3. the lookup endpoint (/admin/crm/people/lookup/?q=) for a name in Chinese and in Latin
     script, a partial email and a phone number.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crm_bench import ensure_database, generate, median_ms, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--peer-people", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark is PostgreSQL's).")
    setup_django(ensure_database(base_url))

    from django import forms
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.utils import translation

    from crm.admin.widgets import PersonChooser
    from crm.models import Person
    from crm.services.roles import CAMPAIGN_MANAGER, ensure_roles
    from outreach.models import Campaign

    call_command("migrate", verbosity=0)
    generate(args.people)
    translation.activate("en")
    manager, _created = get_user_model().objects.get_or_create(
        username="bench-campaign-manager", defaults={"is_staff": True}
    )
    manager.groups.add(ensure_roles()[CAMPAIGN_MANAGER])
    campaign, _created = Campaign.objects.update_or_create(
        name="bench: person chooser",
        defaults={
            "created_by": manager,
            "languages": ["en"],
            "from_name": "Bench",
            "from_email": "bench@example.org",
        },
    )
    chosen = list(Person.objects.filter(restricted=False).order_by("pk")[:7])
    campaign.additions.set(chosen[:5])
    campaign.exclusions.set(chosen[5:])
    client = Client()
    client.force_login(manager)
    total = Person.objects.count()
    print(f"\n{total:,} people; median of {args.repeat} runs after one warm-up.\n", flush=True)

    # 1. The campaign edit page -----------------------------------------------------------------
    url = f"/admin/snippets/outreach/campaign/edit/{campaign.pk}/"

    def edit_page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response.content

    ms, body = median_ms(edit_page, args.repeat)
    print(
        f"campaign edit page (full request)  {ms:9.1f} ms   {len(body) / 1024:8.1f} KB   "
        f"{body.count(b'<option'):,} <option>s",
        flush=True,
    )

    # 2. The field alone: the chooser over everyone vs a plain select over --peer-people -------
    values = [str(p.pk) for p in chosen[:5]]

    def render(widget, queryset):
        class Form(forms.Form):
            additions = forms.ModelMultipleChoiceField(queryset=queryset, widget=widget)

        return str(Form(initial={"additions": values})["additions"])

    ours_ms, ours = median_ms(lambda: render(PersonChooser(), Person.objects.all()), args.repeat)
    peer_people = Person.objects.order_by("pk")[: args.peer_people]
    peer_ms, peer = median_ms(lambda: render(forms.SelectMultiple(), peer_people), 1)
    print(
        f"field, PersonChooser, {total:,} people   {ours_ms:9.1f} ms   {len(ours) / 1024:8.1f} KB"
        f"\nfield, peer (SelectMultiple), {args.peer_people:,} people   {peer_ms:9.1f} ms   "
        f"{len(peer) / 1024:8.1f} KB   ratio {peer_ms / ours_ms:7.1f}x time, "
        f"{len(peer) / len(ours):7.1f}x size",
        flush=True,
    )

    # 3. The lookup endpoint -----------------------------------------------------------------
    phone = Person.objects.filter(phones__isnull=False).values_list("phones__number", flat=True)[0]
    email = Person.objects.filter(emails__isnull=False).values_list("emails__email", flat=True)[0]
    for label, term in [
        ("Chinese name", "王伟"),
        ("Latin name", "juergen mueller"),
        ("email (partial)", email.split("@")[0]),
        ("phone", str(phone)),
    ]:

        def lookup(term=term):
            response = client.get("/admin/crm/people/lookup/", {"q": term})
            assert response.status_code == 200, response.status_code
            return response.json()

        ms, data = median_ms(lookup, args.repeat)
        print(
            f"lookup: {label:<26} {ms:9.1f} ms   {len(data['results'])} results"
            f"{' (more match)' if data['more'] else ''}",
            flush=True,
        )


if __name__ == "__main__":
    main()
