"""Contact import throughput against django-import-export, and peak memory.

    DATABASE_URL=postgres://... .venv/bin/python bench/import_bench.py [--rows 100000]
        [--peer-rows 10000] [--memory-rows 1000000] [--memory-only]

Generates a messy CSV (15 countries' phone formats, national and international, several numbers
in some cells, full-width characters, 3 % duplicate rows with the address in another case, 2 %
invalid rows), then imports it into PostgreSQL twice, each in a child process on an empty CRM:

- Liaison: crm.services.imports (normalisation, validation, duplicate matching, chunked writes);
- django-import-export: a ModelResource for the same Person model that validates and stores the
  phones with the same helper (crm.phones.parse_phone) and matches duplicates by email
  identity, the way a project would write it; its first --peer-rows rows (it is slow).

Rows/s of each, the ratio, and each child's peak RSS (VmHWM) are printed; --memory-rows also
imports a file that large with Liaison and prints its peak RSS (memory must stay flat). The
database `<name>_import_bench` on the same server is created on first use and kept (migrating
takes a while); its people are removed before each measurement.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTRIES = [
    "CN",
    "DE",
    "US",
    "GB",
    "FR",
    "JP",
    "KR",
    "RU",
    "IN",
    "BR",
    "AE",
    "SG",
    "AU",
    "IT",
    "ES",
]
FAMILY = ["王", "李", "张", "刘", "陈", "杨", "欧阳", "司马", "黄", "周"]
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "小明", "建国"]
LATIN = [
    ("Hans", "Müller"),
    ("Anna", "von Trapp"),
    ("John", "Smith"),
    ("Marie", "Dubois"),
    ("Taro", "Tanaka"),
    ("Ivan", "Ivanov"),
    ("Priya", "Sharma"),
    ("Lucas", "Silva"),
    ("Omar", "Haddad"),
    ("Mei", "Tan"),
    ("Giulia", "Rossi"),
    ("Carlos", "García"),
    ("Ludwig", "van Beethoven"),
    ("Min-jun", "Kim"),
    ("Olivia", "Brown"),
]


def unique_mobile(region: str, serial: int, rng: random.Random) -> str:
    """A valid mobile number of `region`, different for each serial, in one of several national
    and international writings."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat as F

    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    national = str(example.national_number)
    number = None
    for width in (6, 5, 4):
        digits = national[:-width] + f"{serial % 10**width:0{width}d}"
        candidate = phonenumbers.parse(f"+{example.country_code}{digits}")
        if phonenumbers.is_valid_number(candidate):
            number = candidate
            break
    number = number or example
    style = rng.randrange(4)
    if style == 0:
        return phonenumbers.format_number(number, F.NATIONAL)
    if style == 1:
        return phonenumbers.format_number(number, F.INTERNATIONAL)
    if style == 2:
        return phonenumbers.format_number(number, F.E164)
    return phonenumbers.format_number(number, F.NATIONAL).replace(" ", "-")


HEADERS = [
    "姓名",
    "Last Name",
    "First Name",
    "手机",
    "E-mail Address",
    "Company",
    "国家/地区",
    "City",
    "备注",
]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    written: list[list[str]] = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for i in range(rows):
            roll = rng.random()
            if written and roll < 0.03:  # a duplicate: same person, address typed differently
                row = list(rng.choice(written[-5000:]))
                row[4] = row[4].upper()
                row[8] = "again"
            else:
                region = COUNTRIES[i % len(COUNTRIES)]
                serial = i // len(COUNTRIES)
                phone = unique_mobile(region, serial, rng)
                if rng.random() < 0.1:  # a second number in the same cell
                    phone += " / " + unique_mobile(region, serial + 500_000, rng)
                if region == "CN":
                    name, last, first = rng.choice(FAMILY) + rng.choice(GIVEN), "", ""
                else:
                    first, last = rng.choice(LATIN)
                    name = ""
                email = f"person{i}@example{i % 97}.org"
                if rng.random() < 0.05:
                    email = email.replace("@", "＠")  # full-width, from a Chinese input method
                row = [name, last, first, phone, email, f"Org {i % 500}", region, "City", ""]
                if roll > 0.98:  # invalid: a phone too short, or an address without domain
                    if rng.random() < 0.5:
                        row[3] = "12345"
                    row[4] = f"person{i}@"
                written.append(row)
            writer.writerow(row)


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_people() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE crm_person, crm_personemail, crm_personphone, crm_taggedperson,"
            " crm_affiliation, crm_organization, crm_contactimport, crm_importchange,"
            " crm_importissue, crm_personexternalid CASCADE"
        )


def child_liaison(path: Path) -> dict:
    from django.core.files import File

    from crm.services import imports

    reset_people()
    started = time.perf_counter()
    with path.open("rb") as handle:
        contact_import = imports.create_import(
            File(handle, name=path.name), acting_user=None, source="bench", policy="lenient"
        )
    imports.run_now(contact_import)
    seconds = time.perf_counter() - started
    contact_import.refresh_from_db()
    return {"seconds": seconds, "counts": contact_import.counts, "status": contact_import.status}


def peer_resource():
    from django.core.exceptions import ValidationError
    from import_export import fields, resources

    from crm.identity import normalize_email
    from crm.models import Person, PersonEmail, PersonPhone
    from crm.phones import parse_phone

    class PersonResource(resources.ModelResource):
        """What a project writes with django-import-export for the same data: the person's
        fields, the email and phones in their own tables, duplicates found by email identity."""

        name = fields.Field(column_name="姓名")
        family_name = fields.Field(attribute="family_name", column_name="Last Name")
        given_name = fields.Field(attribute="given_name", column_name="First Name")
        country = fields.Field(attribute="country", column_name="国家/地区")
        city = fields.Field(attribute="city", column_name="City")

        class Meta:
            model = Person
            fields = ("family_name", "given_name", "country", "city")
            import_id_fields = ()
            skip_unchanged = True

        def get_instance(self, instance_loader, row):
            identity = normalize_email(row.get("E-mail Address") or "")
            found = PersonEmail.objects.filter(email_normalized=identity).first()
            return found.person if found else None

        def before_import_row(self, row, **kwargs):
            email = row.get("E-mail Address") or ""
            if "@" not in email or email.endswith("@"):
                raise ValidationError(f"invalid email {email!r}")
            row["_phones"] = [
                parse_phone(part, row.get("国家/地区") or "CN")
                for part in (row.get("手机") or "").split("/")
                if part.strip()
            ]
            if row.get("姓名") and not row.get("Last Name"):
                row["Last Name"], row["First Name"] = row["姓名"][:1], row["姓名"][1:]

        def after_save_instance(self, instance, row, **kwargs):
            if kwargs.get("dry_run"):
                return
            identity = normalize_email(row["E-mail Address"])
            if not PersonEmail.objects.filter(email_normalized=identity).exists():
                PersonEmail.objects.create(
                    person=instance, email=row["E-mail Address"], is_primary=True
                )
            for number in row["_phones"]:
                PersonPhone.objects.get_or_create(person=instance, number=number)

    return PersonResource()


def child_peer(path: Path, rows: int) -> dict:
    import tablib

    reset_people()
    with path.open(encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(rows + 1)]
    dataset = tablib.Dataset().load("".join(lines), format="csv")
    resource = peer_resource()
    started = time.perf_counter()
    result = resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": len(dataset),
        "errors": len(result.invalid_rows) + len(result.row_errors()),
        "totals": {k: v for k, v in result.totals.items() if v},
    }


def run_child(kind: str, path: Path, rows: int) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.import_settings", PYTHONUNBUFFERED="1")
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--file", str(path), "--rows", str(rows)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"{kind} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure_database(base_url: str) -> str:
    from urllib.parse import urlparse, urlunparse

    import psycopg

    parsed = urlparse(base_url)
    name = parsed.path.lstrip("/") + "_import_bench"
    with psycopg.connect(base_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path="/" + name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--peer-rows", type=int, default=10_000)
    parser.add_argument("--memory-rows", type=int, default=0)
    parser.add_argument(
        "--memory-only", action="store_true", help="only the --memory-rows run, no comparison"
    )
    parser.add_argument("--child", choices=["liaison", "peer"])
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.child:
        import django

        django.setup()
        path = Path(args.file)
        result = child_liaison(path) if args.child == "liaison" else child_peer(path, args.rows)
        result["peak_rss_mb"] = round(peak_rss_mb(), 1)
        print(json.dumps(result))
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server.")
    os.environ["DATABASE_URL"] = ensure_database(os.environ["DATABASE_URL"])
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.import_settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    if not args.memory_only:
        compare(work, args)
    if args.memory_rows:
        big = work / f"contacts-{args.memory_rows}.csv"
        if not big.exists():
            generate(big, args.memory_rows)
        large = run_child("liaison", big, args.memory_rows)
        print(
            f"Liaison, {args.memory_rows} rows: {args.memory_rows / large['seconds']:.0f} rows/s,"
            f" peak RSS {large['peak_rss_mb']} MB ({big.stat().st_size / 1e6:.0f} MB file)"
            f" {large['counts']}"
        )


def compare(work: Path, args) -> None:
    path = work / f"contacts-{args.rows}.csv"
    if not path.exists():
        generate(path, args.rows)
    print(f"file: {path.name}, {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB")
    ours = run_child("liaison", path, args.rows)
    ours_rate = args.rows / ours["seconds"]
    print(
        f"Liaison:              {ours_rate:9.0f} rows/s  ({ours['seconds']:.1f} s, "
        f"peak RSS {ours['peak_rss_mb']} MB) {ours['counts']}"
    )
    peer_rows = min(args.peer_rows, args.rows)
    peer = run_child("peer", path, peer_rows)
    peer_rate = peer["rows"] / peer["seconds"]
    print(
        f"django-import-export: {peer_rate:9.0f} rows/s  ({peer['seconds']:.1f} s for the first "
        f"{peer['rows']} rows, peak RSS {peer['peak_rss_mb']} MB) {peer['totals']}"
    )
    print(f"ratio: {ours_rate / peer_rate:.1f}x")


if __name__ == "__main__":
    main()
