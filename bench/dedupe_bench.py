"""Duplicate detection benchmark: candidates for one new contact, and a full review-queue scan.

    DATABASE_URL=postgres://liaison:liaison@127.0.0.1:5432/liaison_1 \
        .venv/bin/python bench/dedupe_bench.py [--people 1000000] [--probes 200] [--drop]

Works in its own database (<DATABASE_URL's name>_dedupe_bench, created and migrated if
missing; kept for the next run unless --drop). People are generated in Python (40 % Chinese
names from common surnames, 45 % Latin names with accents and umlauts, 15 % Cyrillic; a city
and a current organization each; about 1 % entered a second time in another script, order or
spelling) and written with COPY: people, emails, mobiles, affiliations and their matching keys,
computed by crm.services.dedupe.probe_keys exactly as the person services store them.

Measures, in the same run:
  1. likely duplicates of one new contact (crm.services.dedupe.likely_duplicates), median and
     95th percentile over --probes contacts (half of them re-entries of an existing person in
     another script or order), and how many re-entries each method finds;
     peer: Django `icontains` over the four name fields (what ModelAdmin search would do);
  2. the full review-queue scan (crm.services.dedupe.scan_for_duplicates) in a child process:
     wall time and the child's peak memory;
     peer: a naive rapidfuzz pairwise scan (rapidfuzz.fuzz.ratio on every pair of a sample of
     --sample people), extrapolated quadratically to the whole table.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import crm_bench  # noqa: E402  (the shared database set-up)

CN_FAMILY = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
CN_FAMILY += ["欧阳", "司马", "诸葛", "上官"]
CN_GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉玲建国峰琳婷雪慧晶宇"
    "浩凯健俊帆鑫波斌宁欣彬"
)
CN_CITIES = [
    "宁波",
    "上海",
    "北京",
    "杭州",
    "广州",
    "深圳",
    "南京",
    "苏州",
    "温州",
    "绍兴",
    "台州",
]
LATIN_FAMILY = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernández",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Dubois",
    "Lefèvre",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Leroy",
    "Roux",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De",
    "Luca",
    "Mancini",
    "Costa",
    "Giordano",
    "Rizzo",
    "Lombardi",
    "Moretti",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Larsen",
    "Sørensen",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
]
LATIN_GIVEN = [
    "Anna",
    "Hans",
    "Jürgen",
    "Maria",
    "Peter",
    "Thomas",
    "Michael",
    "Andreas",
    "Stefan",
    "Christian",
    "Sabine",
    "Petra",
    "Monika",
    "Ursula",
    "Klaus",
    "Wolfgang",
    "Helga",
    "John",
    "James",
    "Robert",
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "David",
    "William",
    "Richard",
    "Joseph",
    "Charles",
    "Susan",
    "Jessica",
    "Sarah",
    "Karen",
    "Hélène",
    "Amélie",
    "François",
    "Léa",
    "Chloé",
    "Giulia",
    "Francesca",
    "Marco",
    "Luca",
    "Matteo",
    "Sofia",
    "José",
    "Lucía",
    "Ángel",
    "Zoë",
    "Björn",
    "Åsa",
    "Søren",
    "Łukasz",
    "Agnieszka",
]
CY_FAMILY = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
]
CY_GIVEN = [
    "Александр",
    "Сергей",
    "Дмитрий",
    "Андрей",
    "Алексей",
    "Максим",
    "Иван",
    "Михаил",
    "Ольга",
    "Елена",
    "Наталья",
    "Анна",
    "Татьяна",
    "Мария",
    "Ирина",
    "Екатерина",
    "Юрий",
    "Павел",
    "Николай",
    "Владимир",
]
LATIN_CITIES = [
    "Berlin",
    "Hamburg",
    "München",
    "Köln",
    "Frankfurt",
    "Stuttgart",
    "Düsseldorf",
    "Leipzig",
    "Paris",
    "Lyon",
    "Marseille",
    "Milano",
    "Roma",
    "Torino",
    "Madrid",
    "Barcelona",
    "London",
    "Manchester",
    "Warszawa",
    "Kraków",
    "København",
    "Stockholm",
    "Göteborg",
    "Oslo",
    "Wien",
    "Zürich",
    "Genève",
    "Amsterdam",
    "Rotterdam",
    "Bruxelles",
    "Praha",
    "Budapest",
    "Lisboa",
    "Porto",
]
CY_CITIES = ["Москва", "Санкт-Петербург", "Казань", "Новосибирск", "Екатеринбург"]
ORGANIZATIONS = 20_000


def ensure_database(base_url: str) -> str:
    return crm_bench.ensure_database(base_url, suffix="_dedupe_bench")


setup_django = crm_bench.setup_django
drop_database = crm_bench.drop_database


def cache_name_functions() -> None:
    """Names repeat across a million people: memoise crm.names (copies, since callers extend
    the sets). The keys are the same; only generation gets faster."""
    from crm import names

    for fname in ("structured_name_keys", "full_name_keys", "han_keys"):
        cached = lru_cache(maxsize=500_000)(getattr(names, fname))

        def wrapper(*args, _cached=cached, **kwargs):
            return set(_cached(*args, **kwargs))

        setattr(names, fname, wrapper)
    for fname in ("family_key", "place_key", "latin_name"):
        setattr(names, fname, lru_cache(maxsize=500_000)(getattr(names, fname)))


def random_person(rng: random.Random, index: int) -> dict:
    from anyascii import anyascii

    from crm import names

    roll = rng.random()
    if roll < 0.40:
        family = rng.choice(CN_FAMILY)
        given = "".join(rng.choice(CN_GIVEN) for _ in range(rng.choice((1, 2, 2))))
        return {
            "family_name": family,
            "given_name": given,
            "full_name_native": family + given,
            "name_latin": names.latin_name(family, given),
            "city": rng.choice(CN_CITIES),
            "country": "CN",
        }
    if roll < 0.85:
        family, given = rng.choice(LATIN_FAMILY), rng.choice(LATIN_GIVEN)
        return {
            "family_name": family,
            "given_name": given,
            "full_name_native": f"{given} {family}",
            "name_latin": "",
            "city": rng.choice(LATIN_CITIES),
            "country": "DE",
        }
    family, given = rng.choice(CY_FAMILY), rng.choice(CY_GIVEN)
    return {
        "family_name": family,
        "given_name": given,
        "full_name_native": f"{given} {family}",
        "name_latin": anyascii(f"{given} {family}"),
        "city": rng.choice(CY_CITIES),
        "country": "RU",
    }


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def reentry(rng: random.Random, original: dict) -> dict:
    """The same person typed again: another script, order or spelling; same city."""
    from crm import names

    copy = dict(original)
    if names.has_han(original["family_name"]):
        if rng.random() < 0.5:  # only the pinyin, given name first
            latin = original["name_latin"].split(" ", 1)
            copy.update(family_name="", given_name="", full_name_native="")
            copy["name_latin"] = " ".join(reversed(latin))
        else:  # traditional characters
            for name in ("family_name", "given_name", "full_name_native"):
                copy[name] = _s2t().convert(original[name])
    elif original["country"] == "RU":
        copy.update(family_name="", given_name="", full_name_native="")
        copy["name_latin"] = original["name_latin"].upper()
    else:
        family = original["family_name"].translate(
            str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", "é": "e", "è": "e"})
        )
        copy.update(family_name=family, full_name_native=f"{family}, {original['given_name']}")
    return copy


def generate(people: int, seed: int = 7) -> list[tuple[int, dict]]:
    """Write `people` people (idempotent for a size); return the re-entries' originals."""
    from django.db import connection

    from crm.models import Organization, Person
    from crm.services import dedupe

    rng = random.Random(seed)
    if Person.objects.count() == people:
        print(f"{people:,} people already generated.", flush=True)
        return []
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE crm_personmatchkey, crm_duplicatecandidate, crm_personmerge, "
            "crm_personemail, crm_personphone, crm_affiliation, crm_person, crm_organization "
            "RESTART IDENTITY CASCADE"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO crm_organization (name, name_en, name_zh, acronym, kind, country, city,
                website, phone, notes, search_text, created_at, updated_at)
            SELECT 'Organization ' || g, '', '', '', 'enterprise', '', '', '', '', '',
                   'organization ' || g, now(), now()
            FROM generate_series(1, %s) AS g
            """,
            [ORGANIZATIONS],
        )
    org_ids = list(Organization.objects.values_list("pk", flat=True))
    print(f"Generating {people:,} people and their matching keys...", flush=True)
    person_cols = (
        "family_name, given_name, name_order, full_name_native, name_chinese, name_latin, "
        "honorific, job_title, preferred_language, time_zone, country, city, "
        "send_via_assistant, is_diaspora, ancestral_home, vip_level, do_not_contact, "
        "restricted, notes, source, search_text, created_at, updated_at"
    )
    chunk = 50_000
    originals: list[dict] = []
    written = 0
    keys_seconds = 0.0
    while written < people:
        size = min(chunk, people - written)
        rows = []
        for i in range(size):
            pk = written + i + 1
            if originals and rng.random() < 0.01:
                original = rng.choice(originals)
                person = reentry(rng, original)
                person["org"] = original["org"]
            else:
                person = random_person(rng, pk)
                person["org"] = rng.choice(org_ids)
                if len(originals) < 50_000:
                    originals.append(person)
            person["pk"] = pk
            rows.append(person)
        buffers = {name: io.StringIO() for name in ("person", "email", "phone", "aff", "key")}
        for p in rows:
            fields = [
                p["family_name"],
                p["given_name"],
                "auto",
                p["full_name_native"],
                "",
                p["name_latin"],
                "",
                "Director",
                "en",
                "UTC",
                p["country"],
                p["city"],
                "f",
                "f",
                "",
                "0",
                "f",
                "f",
                "",
                "bench",
                "",
                "2026-01-01 00:00:00+00",
                "2026-01-01 00:00:00+00",
            ]
            buffers["person"].write("\t".join(fields) + "\n")
            email = f"person{p['pk']}@example{p['pk'] % 100}.com"
            mobile = f"+86138{p['pk']:08d}"
            buffers["email"].write(f"{p['pk']}\t{email}\t{email}\tt\t\n")
            buffers["phone"].write(f"{p['pk']}\t{mobile}\tmobile\tt\t\n")
            buffers["aff"].write(f"{p['pk']}\t{p['org']}\tDirector\t\t\\N\t\\N\tt\n")
            t0 = time.perf_counter()
            keys = dedupe.probe_keys(
                dedupe.Probe(
                    family_name=p["family_name"],
                    given_name=p["given_name"],
                    full_names=[p["full_name_native"], "", p["name_latin"]],
                    emails=[email],
                    phones=[(mobile, "mobile")],
                    city=p["city"],
                    organization_ids=[p["org"]],
                )
            )
            keys_seconds += time.perf_counter() - t0
            for key in keys:
                clean = key.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")
                buffers["key"].write(f"{p['pk']}\t{clean}\n")
        with connection.cursor() as cursor:
            for table, cols, name in (
                ("crm_person", person_cols, "person"),
                (
                    "crm_personemail",
                    "person_id, email, email_normalized, is_primary, label",
                    "email",
                ),
                ("crm_personphone", "person_id, number, kind, is_primary, extension", "phone"),
                (
                    "crm_affiliation",
                    "person_id, organization_id, position, department, start_date, end_date, "
                    "is_primary",
                    "aff",
                ),
                ("crm_personmatchkey", "person_id, key", "key"),
            ):
                with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    copy.write(buffers[name].getvalue())
        written += size
        print(
            f"  {written:,} people ({time.perf_counter() - started:.0f} s, "
            f"keys {keys_seconds:.0f} s)",
            flush=True,
        )
    with connection.cursor() as cursor:
        for table in ("crm_person", "crm_personmatchkey", "crm_affiliation"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(
        f"Generated {people:,} people in {time.perf_counter() - started:.0f} s "
        f"({people / keys_seconds:,.0f} people/s for the matching keys).",
        flush=True,
    )
    return []


def probes(n: int, seed: int = 11):
    """Half re-entries of existing people (from the database), half new people."""
    from crm.models import Affiliation, Person
    from crm.services import dedupe

    rng = random.Random(seed)
    total = Person.objects.count()
    result = []
    for i in range(n):
        if i % 2 == 0:
            pk = rng.randint(1, total)
            p = Person.objects.filter(pk=pk).values().first()
            org = Affiliation.objects.filter(person_id=pk).values_list("organization_id", flat=True)
            original = {**p, "org": org.first()}
            typed = reentry(rng, original)
            result.append(
                (
                    pk,
                    dedupe.Probe(
                        family_name=typed["family_name"],
                        given_name=typed["given_name"],
                        full_names=[typed["full_name_native"], typed["name_latin"]],
                        city=typed["city"],
                        organization_ids=[original["org"]] if original["org"] else [],
                    ),
                    typed,
                )
            )
        else:
            typed = random_person(rng, -i)
            result.append(
                (
                    None,
                    dedupe.Probe(
                        family_name=typed["family_name"],
                        given_name=typed["given_name"],
                        full_names=[typed["full_name_native"], typed["name_latin"]],
                        city=typed["city"],
                    ),
                    typed,
                )
            )
    return result


def icontains_peer(typed: dict):
    from django.db.models import Q

    from crm.models import Person

    q = Q()
    for value in (typed["family_name"], typed["name_latin"], typed["full_name_native"]):
        if value:
            for field in ("family_name", "full_name_native", "name_latin", "given_name"):
                q |= Q(**{f"{field}__icontains": value})
    if not q:
        return []
    return list(Person.objects.filter(q).values_list("pk", flat=True)[:10])


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM; ru_maxrss would include the parent's, which Linux
    keeps across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_scan_child(bench_url: str) -> None:
    """In a child process: the full scan; prints its time and counts."""
    setup_django(bench_url)
    from crm.models import DuplicateCandidate
    from crm.services import dedupe

    DuplicateCandidate.objects.all().delete()
    print(f"  scan process before the scan (Django loaded): {peak_rss_mb():.0f} MB", flush=True)
    started = time.perf_counter()

    def progress(result):
        print(
            f"  scan: {result.blocks:,} blocks, {result.pairs_compared:,} pairs, "
            f"{result.candidates:,} candidates ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )

    result = dedupe.scan_for_duplicates(progress=progress)
    elapsed = time.perf_counter() - started
    print(f"  scan process peak (VmHWM): {peak_rss_mb():.0f} MB", flush=True)
    print(
        f"SCAN {elapsed:.1f} {result.blocks} {result.pairs_compared} {result.candidates} "
        f"{result.skipped_blocks} {DuplicateCandidate.objects.count()}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--sample", type=int, default=2000, help="naive scan peer's sample")
    parser.add_argument("--peer-probes", type=int, default=30, help="contacts the peer looks up")
    parser.add_argument("--drop", action="store_true", help="drop the bench database afterwards")
    parser.add_argument("--scan-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark is PostgreSQL's).")
    if args.scan_child:
        run_scan_child(base_url)
        return
    bench_url = ensure_database(base_url)
    setup_django(bench_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    cache_name_functions()
    generate(args.people)

    from crm.models import Person, PersonMatchKey
    from crm.services import dedupe

    total = Person.objects.count()
    print(f"\n{total:,} people, {PersonMatchKey.objects.count():,} matching keys.\n", flush=True)

    # 1. Candidates for one new contact ---------------------------------------------------------
    cases = probes(args.probes)
    for _pk, probe, _typed in cases[:10]:  # warm-up
        dedupe.likely_duplicates(probe)
    ours, peer, found_ours, found_peer, reentries, peer_reentries = [], [], 0, 0, 0, 0
    for index, (original, probe, typed) in enumerate(cases):
        probe.keys = set()
        t0 = time.perf_counter()
        matches = dedupe.likely_duplicates(probe)
        ours.append((time.perf_counter() - t0) * 1000)
        if original is not None:
            reentries += 1
            found_ours += original in {m.person.pk for m in matches}
        if index < args.peer_probes:  # the peer is slow: measured on the first contacts
            t0 = time.perf_counter()
            naive = icontains_peer(typed)
            peer.append((time.perf_counter() - t0) * 1000)
            if original is not None:
                peer_reentries += 1
                found_peer += original in naive
    med, p95 = statistics.median(ours), percentile(ours, 95)
    peer_med = statistics.median(peer)
    print(
        f"likely duplicates of one contact   median {med:7.1f} ms   p95 {p95:7.1f} ms   "
        f"over {len(ours)} contacts (target <= 50 ms)\n"
        f"  peer (Django icontains on 4 name fields, first {len(peer)} contacts): "
        f"median {peer_med:7.1f} ms   ratio {peer_med / med:6.1f}x\n"
        f"  re-entries found: ours {found_ours}/{reentries}, "
        f"icontains {found_peer}/{peer_reentries}",
        flush=True,
    )

    # 2. Full review-queue scan, in a child process (its own peak memory) -------------------------
    env = dict(os.environ, DATABASE_URL=bench_url)
    t0 = time.perf_counter()
    child = subprocess.run(
        [sys.executable, __file__, "--scan-child"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    for line in child.stdout.splitlines():
        if not line.startswith("SCAN"):
            print(line)
    scan_line = next((ln for ln in child.stdout.splitlines() if ln.startswith("SCAN")), None)
    if scan_line is None:
        print(child.stderr[-3000:])
        sys.exit("the scan failed")
    _tag, seconds, blocks, pairs, _found, skipped, queued = scan_line.split()
    print(
        f"full review-queue scan             {float(seconds):7.1f} s (process {wall:.0f} s)"
        f"   (target <= 600 s)\n"
        f"  {int(blocks):,} blocks ({int(skipped):,} over the cap), {int(pairs):,} pairs scored, "
        f"{int(queued):,} pairs queued",
        flush=True,
    )

    # Peer: naive pairwise rapidfuzz over a sample, extrapolated ---------------------------------
    from rapidfuzz import fuzz

    sample = list(
        Person.objects.order_by("?")
        .values_list("full_name_native", "name_latin")[: args.sample]
        .iterator()
    )
    names_ = [(native or latin).lower() for native, latin in sample]
    t0 = time.perf_counter()
    similar = 0
    for i, a in enumerate(names_):
        for b in names_[i + 1 :]:
            similar += fuzz.ratio(a, b) >= 85
    naive_seconds = time.perf_counter() - t0
    extrapolated = naive_seconds * (total / len(names_)) ** 2
    print(
        f"  peer (naive rapidfuzz.fuzz.ratio over all pairs of {len(names_):,}): "
        f"{naive_seconds:.2f} s, "
        f"extrapolated to {total:,}: {extrapolated / 3600:,.1f} h   "
        f"ratio {extrapolated / float(seconds):,.0f}x",
        flush=True,
    )
    if args.drop:
        from django.db import connections

        connections.close_all()
        drop_database(base_url, bench_url)


if __name__ == "__main__":
    main()
