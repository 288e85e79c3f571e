"""CRM benchmark: 1,000,000 people in PostgreSQL.

    DATABASE_URL=postgres://liaison:liaison@127.0.0.1:5432/liaison_1 \
        .venv/bin/python bench/crm_bench.py [--people 1000000] [--repeat 7] [--drop]

Works in its own database (<DATABASE_URL's name>_bench, created and migrated if missing; kept
for the next run unless --drop). People, emails, phones and consents are generated with
set-based SQL (INSERT ... SELECT FROM generate_series), names in 8 scripts.

Measures (median of --repeat runs, warm cache):
  1. a 4-filter segment count (country, language, VIP level, valid consent) -
     crm.services.segments.resolve_segment_queryset(...).count()
  2. the first page of the admin people listing (the full Wagtail request, as an officer)
  3. search by phone, email and name: the listing's search (ids from the trigram index, capped
     at 1,000, then the first page in name order and the count), and the full admin request
and prints the query plans' index use. Peers, measured in the same run on the same data:
  - search: Django admin's default search, `icontains` over the name fields, the emails and the
    phones (joins + DISTINCT), the way ModelAdmin.search_fields would do it;
  - segment: per-row Python filtering of the same four conditions over all people.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAMILY = [
    # (family, given, full native name, latin) in 8 scripts
    ("王", "伟", "王伟", "Wang Wei"),
    ("李", "娜", "李娜", "Li Na"),
    ("张", "敏", "张敏", "Zhang Min"),
    ("陈", "静", "陈静", "Chen Jing"),
    ("Müller", "Jürgen", "Jürgen Müller", "Juergen Mueller"),
    ("Schäfer", "Anja", "Anja Schäfer", "Anja Schaefer"),
    ("Lefèvre", "Hélène", "Hélène Lefèvre", "Helene Lefevre"),
    ("Smith", "John", "John Smith", "John Smith"),
    ("García", "María", "María García", "Maria Garcia"),
    ("Иванов", "Сергей", "Сергей Иванов", "Sergei Ivanov"),
    ("Смирнова", "Ольга", "Ольга Смирнова", "Olga Smirnova"),
    ("الهاشمي", "محمد", "محمد الهاشمي", "Mohammed Al-Hashimi"),
    ("田中", "太郎", "田中太郎", "Tanaka Taro"),
    ("佐藤", "花子", "佐藤花子", "Sato Hanako"),
    ("김", "민준", "김민준", "Kim Min-jun"),
    ("Παπαδόπουλος", "Νίκος", "Νίκος Παπαδόπουλος", "Nikos Papadopoulos"),
    ("כהן", "דוד", "דוד כהן", "David Cohen"),
]
COUNTRIES = ["CN", "DE", "FR", "US", "ES", "RU", "AE", "JP", "JP", "KR", "GR", "IL", "GB", "IT"]
LANGUAGES = [
    "zh-hans",
    "de",
    "en",
    "en",
    "en",
    "ru",
    "ar",
    "ja",
    "ja",
    "en",
    "en",
    "en",
    "en",
    "en",
]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def ensure_database(base_url: str, suffix: str = "_bench") -> str:
    """``<name><suffix>`` on the same server, created if missing (kept for re-runs)."""
    import psycopg

    parsed = urlparse(base_url)
    name = parsed.path.lstrip("/") + suffix
    with psycopg.connect(base_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path="/" + name))


def drop_database(base_url: str, bench_url: str) -> None:
    import psycopg

    name = urlparse(bench_url).path.lstrip("/")
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def generate(people: int) -> None:
    """Set-based generation; idempotent for a given size."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from crm.identity import fold_text
    from crm.models import Consent, Person, PersonPhone
    from crm.services.roles import OFFICER, ensure_roles

    if (
        Person.objects.count() == people
        and PersonPhone.objects.count() == people
        and Consent.objects.exists()
    ):
        print(f"{people:,} people already generated.")
        return
    started = time.perf_counter()
    User = get_user_model()
    groups = ensure_roles()
    owners = []
    for index in range(20):
        user, _created = User.objects.get_or_create(
            username=f"bench-officer-{index}", defaults={"is_staff": True}
        )
        user.groups.add(groups[OFFICER])
        owners.append(user.pk)
    families = [f[0] for f in FAMILY]
    givens = [f[1] for f in FAMILY]
    natives = [f[2] for f in FAMILY]
    latins = [f[3] for f in FAMILY]
    folded = [
        " | ".join(
            dict.fromkeys(
                fold_text(x)
                for x in (f[0], f[1], f"{f[1]} {f[0]}", f[2], f[3], f[3].replace(" ", ""))
            )
        )
        for f in FAMILY
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE crm_consent, crm_personemail, crm_personphone, crm_person_sectors, "
            "crm_taggedperson, crm_affiliation, crm_person RESTART IDENTITY CASCADE"
        )
        print("Generating people...", flush=True)
        # Names cycle with a multiplier so that name, country and language are not in lockstep.
        cursor.execute(
            """
            INSERT INTO crm_person (
                family_name, given_name, name_order, full_name_native, name_chinese, name_latin,
                honorific, job_title, preferred_language, time_zone, country, city,
                send_via_assistant, is_diaspora, ancestral_home, vip_level, owner_id,
                do_not_contact, restricted, notes, source, search_text, created_at, updated_at)
            SELECT
                (%(families)s::text[])[1 + (g * 7) %% %(n_names)s],
                (%(givens)s::text[])[1 + (g * 7) %% %(n_names)s],
                'given_first',
                (%(natives)s::text[])[1 + (g * 7) %% %(n_names)s],
                '',
                (%(latins)s::text[])[1 + (g * 7) %% %(n_names)s] || ' ' || g,
                '', 'Director',
                (%(languages)s::text[])[1 + g %% %(n_countries)s],
                'UTC',
                (%(countries)s::text[])[1 + g %% %(n_countries)s],
                'City ' || (g %% 500),
                false, g %% 25 = 0, '',
                CASE WHEN g %% 20 = 0 THEN 3 WHEN g %% 7 = 0 THEN 2
                     WHEN g %% 3 = 0 THEN 1 ELSE 0 END,
                (%(owners)s::bigint[])[1 + g %% 20],
                g %% 97 = 0, g %% 1000 = 0, '', 'bench',
                (%(folded)s::text[])[1 + (g * 7) %% %(n_names)s] || ' ' || g
                    || ' | person' || g || '@example' || (g %% 100) || '.com'
                    || ' | 86138' || lpad(g::text, 8, '0'),
                now(), now()
            FROM generate_series(1, %(people)s) AS g
            """,
            {
                "families": families,
                "givens": givens,
                "natives": natives,
                "latins": latins,
                "folded": folded,
                "languages": LANGUAGES,
                "countries": COUNTRIES,
                "owners": owners,
                "n_names": len(FAMILY),
                "n_countries": len(COUNTRIES),
                "people": people,
            },
        )
        print("Generating emails, phones, consents...", flush=True)
        cursor.execute(
            """
            INSERT INTO crm_personemail (person_id, email, email_normalized, is_primary, label)
            SELECT id, 'Person' || id || '@Example' || (id %% 100) || '.com',
                   'person' || id || '@example' || (id %% 100) || '.com', true, ''
            FROM crm_person
            """,
            [],
        )
        cursor.execute(
            """
            INSERT INTO crm_personphone (person_id, number, kind, is_primary, extension)
            SELECT id, '+86138' || lpad(id::text, 8, '0'), 'mobile', true, '' FROM crm_person
            """
        )
        cursor.execute(
            """
            INSERT INTO crm_consent (person_id, purpose, channel, legal_basis, source,
                                     notice_version, given_at, withdrawn_at)
            SELECT id, 'event_invitations', 'email', 'consent', 'bench', '2025-01',
                   now() - interval '100 days',
                   CASE WHEN id %% 50 = 0 THEN now() - interval '1 day' END
            FROM crm_person WHERE id %% 10 <> 0
            """,
            [],
        )
        print("VACUUM ANALYZE...", flush=True)
    with connection.cursor() as cursor:
        for table in ("crm_person", "crm_personemail", "crm_personphone", "crm_consent"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"Generated {people:,} people in {time.perf_counter() - started:.0f} s.")


def median_ms(fn, repeat: int) -> tuple[float, object]:
    fn()  # warm-up
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def explain(queryset) -> list[str]:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    return [line.strip() for line in plan if "Index" in line or "Seq Scan" in line]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--drop", action="store_true", help="drop the bench database afterwards")
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark is PostgreSQL's).")
    bench_url = ensure_database(base_url)
    setup_django(bench_url)

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    generate(args.people)

    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.test import Client
    from django.utils import translation

    from crm.identity import fold_text
    from crm.models import Consent, Person, Segment
    from crm.services.roles import count_visible_people, visible_people
    from crm.services.search import search_people, search_people_for_listing
    from crm.services.segments import resolve_segment_queryset

    translation.activate("en")
    officer = get_user_model().objects.get(username="bench-officer-0")
    client = Client()
    client.force_login(officer)
    segment, _created = Segment.objects.update_or_create(
        name="bench: 4 filters",
        defaults={
            "countries": ["DE"],
            "languages": ["de"],
            "min_vip_level": 1,
            "consent_purpose": "event_invitations",
        },
    )
    total = Person.objects.count()
    results = []

    def report(name, ours_ms, peer_name=None, peer_ms=None, plan=None, note=""):
        line = f"{name:<34} {ours_ms:9.1f} ms"
        if peer_ms is not None:
            line += f"   peer ({peer_name}): {peer_ms:9.1f} ms   ratio {peer_ms / ours_ms:7.1f}x"
        print(line + (f"   {note}" if note else ""), flush=True)
        for step in plan or []:
            print(f"    plan: {step}")
        results.append((name, ours_ms, peer_ms))

    print(f"\n{total:,} people; median of {args.repeat} runs after one warm-up.\n")

    # 1. Segment count ------------------------------------------------------------------------
    queryset = resolve_segment_queryset(segment)
    ours, count = median_ms(lambda: queryset.count(), args.repeat)

    def python_filter():
        consenting = set(
            Consent.objects.valid()
            .filter(purpose="event_invitations", channel="email")
            .values_list("person_id", flat=True)
            .iterator(chunk_size=50_000)
        )
        n = 0
        for pk, country, language, vip, dnc, erased in Person.objects.values_list(
            "pk", "country", "preferred_language", "vip_level", "do_not_contact", "erased_at"
        ).iterator(chunk_size=50_000):
            if (
                country == "DE"
                and language == "de"
                and vip >= 1
                and not dnc
                and erased is None
                and pk in consenting
            ):
                n += 1
        return n

    peer, peer_count = median_ms(python_filter, 1)
    assert peer_count == count, (peer_count, count)
    report(
        f"segment count (4 filters) = {count:,}",
        ours,
        "per-row Python filtering",
        peer,
        explain(queryset),
    )

    # 2. First admin listing page -------------------------------------------------------------
    def listing(q=None):
        response = client.get("/admin/snippets/crm/person/", {"q": q} if q else {})
        assert response.status_code == 200, response.status_code
        return response

    ours, _ = median_ms(listing, args.repeat)
    visible = visible_people(officer, Person.objects.all())
    query_ms, _ = median_ms(
        lambda: (
            list(visible.order_by("family_name", "given_name", "id")[:25]),
            count_visible_people(officer),  # the listing's count: two index-only counts
        ),
        args.repeat,
    )
    report(
        "admin listing, first page",
        ours,
        plan=explain(visible.order_by("family_name", "given_name", "id")[:25]),
        note=f"(whole Wagtail request; its page + count queries {query_ms:.0f} ms)",
    )

    # 3. Searches ----------------------------------------------------------------------------
    def naive(term):
        # What ModelAdmin.search_fields = [names..., "emails__email", "phones__number"] does.
        q = Q()
        for field in (
            "family_name",
            "given_name",
            "full_name_native",
            "name_latin",
            "emails__email",
            "phones__number",
        ):
            q |= Q(**{f"{field}__icontains": term})
        return visible_people(officer, Person.objects.filter(q)).distinct()

    probe = total // 2 + 1
    searches = [
        ("search by phone", "138 " + f"{probe:08d}"[:4] + " " + f"{probe:08d}"[4:]),
        ("search by email", f"Person{probe}@EXAMPLE{probe % 100}.com"),
        ("search by name", f"{fold_text('Müller').upper()}"),
    ]

    def page_and_count(qs):
        ordered = qs.order_by("family_name", "given_name", "id")
        return list(ordered[:25]), qs.count()

    for name, term in searches:
        visible = visible_people(officer, Person.objects.all())
        found = search_people(visible, term).count()

        def ours_search(term=term, visible=visible):
            # what the admin listing and the API do: ids from the trigram index (capped at
            # SEARCH_RESULT_CAP), then that page in name order, and the count
            listing_qs, _capped = search_people_for_listing(visible, term)
            return page_and_count(listing_qs)

        ours, _result = median_ms(ours_search, args.repeat)
        ours_qs = search_people(visible, term)
        peer_qs = naive(term)
        peer, (_page, peer_found) = median_ms(lambda qs=peer_qs: page_and_count(qs), 1)
        request_ms, _response = median_ms(lambda term=term: listing(term), args.repeat)
        report(
            f"{name} ({term!r}) -> {found:,}",
            ours,
            "Django admin icontains",
            peer,
            explain(ours_qs.order_by().values("pk")[:1001]),  # the listing's first step
            note=f"(first page + count; whole admin request {request_ms:.0f} ms)",
        )
        assert found >= 1, name
        print(f"    the peer found {peer_found:,}")

    print("\nTargets: each <= 300 ms median, segment count <= 200 ms.")
    if args.drop:
        from django.db import connections

        connections.close_all()
        drop_database(base_url, bench_url)


if __name__ == "__main__":
    main()
