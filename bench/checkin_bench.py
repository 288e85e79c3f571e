"""Door benchmark: check-in at an event of 10,000 guests with 1,000,000 people in the CRM.

    DATABASE_URL=postgres://liaison:liaison@127.0.0.1:5432/liaison_1 \
        .venv/bin/python bench/checkin_bench.py [--people 1000000] [--guests 10000]

Works in crm_bench's database (<DATABASE_URL's name>_bench: people generated there once with
set-based SQL and kept for re-runs). Liaison runs under gunicorn (3 processes x 4 threads, as in
docker-compose) on PostgreSQL. Measured, each beside a named peer in the same run:

  1. scan to confirmed: one scan per request to the sync endpoint (verify, lock the registration,
     check for an earlier entry, insert), p50/p95 over --scans requests — peer: a bare Django
     view under the same gunicorn settings that parses the same JSON and inserts one CheckIn row
     (bench/door_peer.py), no lock and no checks;
  2. an offline queue of 1,000 scans synced in one upload — peer: the bare view inserting the
     1,000 rows with one bulk_create;
  3. the door's name search: the guest list (10,000 guests) in Chromium, the screen's own search
     over precomputed keys, p95 of 60 queries — peer: the same queries folding each guest's names
     at query time (what a list without keys costs);
  4. the walk-in duplicate check against the CRM (1,000,000 people) through gunicorn, p95 —
     peer: Django admin's default `icontains` search over the name fields, in-process;
  5. a batch of --badges badges in 7 scripts (time, peak memory of the process) — peer: fpdf2's
     built-in Helvetica without shaping, Latin names only, the same layout.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import crm_bench  # noqa: E402
from bench.campaign_bench import free_port, spawn, stop, wait_http  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def prepare(guests: int):
    """The bench event with `guests` confirmed registrations; no check-ins yet."""
    from django.db import connection

    from crm.models import Person
    from outreach.models import CheckIn, Event, Registration
    from outreach.models.registrations import RegistrationStatus

    event, _ = Event.objects.get_or_create(
        code="door-bench",
        defaults={
            "name": "Door bench forum",
            "kind": "forum",
            "starts_at": "2027-05-01T09:00:00+08:00",
            "ends_at": "2027-05-01T18:00:00+08:00",
            "time_zone": "Asia/Shanghai",
            "status": "announced",
        },
    )
    CheckIn.objects.filter(event=event).delete()
    have = Registration.objects.filter(event=event).count()
    if have < guests:
        taken = Registration.objects.filter(event=event).values("person_id")
        people = Person.objects.exclude(pk__in=taken).order_by("pk").values_list("pk", flat=True)
        Registration.objects.bulk_create(
            [
                Registration(event=event, person_id=pk, status=RegistrationStatus.ACCEPTED)
                for pk in people[: guests - have]
            ],
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return event, list(
        Registration.objects.filter(event=event).order_by("pk").values_list("public_id", flat=True)
    )


def login_cookies() -> dict:
    """A superuser's session and a CSRF cookie, as a browser would hold them."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user, _ = get_user_model().objects.get_or_create(
        username="door-bench", defaults={"is_superuser": True, "is_staff": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend")
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {settings.SESSION_COOKIE_NAME: session.session_key, "csrftoken": secrets.token_hex(16)}


def scans_for(public_ids, start: int, count: int) -> list[dict]:
    return [
        {
            "scan_id": str(uuid.uuid4()),
            "registration": str(public_ids[start + i]),
            "attendee": 0,
            "gate": "1",
            "device": "bench",
        }
        for i in range(count)
    ]


def post(session, url: str, scans: list[dict], cookies: dict) -> float:
    started = time.perf_counter()
    response = session.post(
        url,
        data=json.dumps({"scans": scans}),
        headers={"Content-Type": "application/json", "X-CSRFToken": cookies["csrftoken"]},
        cookies=cookies,
        timeout=120,
    )
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code} {response.text[:300]}")
    return elapsed


SEARCH_JS = """([guests, queries, folding]) => {
  const fold = (t) => (t || "").normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "")
      .toLowerCase().replace(/[\\s\\-'’.·]/g, "");
  const times = [];
  for (const q of queries) {
    const key = fold(q);
    const started = performance.now();
    const found = [];
    for (const g of guests) {
      const hay = folding ? fold(g.name) + " " + fold(g.latin_name) : g.search;
      if (hay.includes(key)) { found.push(g); if (found.length >= 20) break; }
    }
    times.push(performance.now() - started);
  }
  return times;
}"""


def door_search(manifest: dict) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    names = [g["latin_name"] or g["name"] for g in manifest["guests"][::170]]
    queries = [n.replace(" ", "").lower()[:6] for n in names][:30] + ["zzzz-none"] * 30
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content("<html><body>door</body></html>")
        ours = page.evaluate(SEARCH_JS, [manifest["guests"], queries, False])
        peer = page.evaluate(SEARCH_JS, [manifest["guests"], queries, True])
        browser.close()
    return ours, peer


BADGE_SCRIPT = r"""
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
sys.path.insert(0, os.getcwd())
import django
django.setup()
count, mode = int(sys.argv[1]), sys.argv[2]
names = [("王伟", "Wang Wei", "zh-hans"), ("محمد بن راشد", "Mohammed bin Rashid", "ar"),
         ("山田太郎", "Yamada Taro", "ja"), ("김민준", "Kim Min-jun", "ko"),
         ("Сергей Иванов", "Sergey Ivanov", "ru"), ("สมชาย ใจดี", "Somchai Jaidee", "th"),
         ("Jürgen Müller", "Jurgen Muller", "de")]
started = time.perf_counter()
if mode == "liaison":
    from outreach.badges import Badge, render_badges
    pdf = render_badges(
        Badge(native_name=n, latin_name=l, organization="Ningbo Forum", language=lang,
              tier_label="A", qr_payload="LC1:" + "A" * 138, event_title="WSMC 2027")
        for i in range(count) for (n, l, lang) in [names[i % len(names)]])
else:
    import io, segno
    from fpdf import FPDF
    pdf = FPDF(unit="mm", format=(105, 148))
    for i in range(count):
        n, l, lang = names[i % len(names)]
        pdf.add_page(); pdf.set_font("helvetica", "B", 30)
        pdf.cell(89, 16, l, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=12); pdf.cell(89, 7, "Ningbo Forum", align="C")
        buffer = io.BytesIO()
        segno.make("LC1:" + "A" * 138, error="m").save(buffer, kind="png", scale=6)
        pdf.image(buffer, x=31, y=84, w=42)
    pdf = bytes(pdf.output())
# VmHWM, not ru_maxrss: Linux carries the forking parent's peak into a child's ru_maxrss across
# exec, so a bench holding 300 MB would be charged to the badge process.
with open("/proc/self/status") as status:
    peak_mb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
print(time.perf_counter() - started, peak_mb, len(pdf))
"""


def badges(count: int, mode: str, env: dict) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", BADGE_SCRIPT, str(count), mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--guests", type=int, default=10_000)
    parser.add_argument("--scans", type=int, default=500)
    parser.add_argument("--queue", type=int, default=1_000)
    parser.add_argument("--badges", type=int, default=500)
    args = parser.parse_args()
    if args.scans * 2 + args.queue * 2 > args.guests:
        raise SystemExit("--guests must be at least 2 x (--scans + --queue)")

    base = os.environ["DATABASE_URL"]
    bench_url = crm_bench.ensure_database(base)
    crm_bench.setup_django(bench_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"People: making sure there are {args.people:,} ...", flush=True)
    crm_bench.generate(args.people)
    event, public_ids = prepare(args.guests)
    cookies = login_cookies()

    import requests

    env = dict(os.environ)
    env.update(
        DATABASE_URL=bench_url,
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_CONN_MAX_AGE="60",
    )
    env.pop("REDIS_URL", None)
    logs = Path(os.environ.get("BENCH_LOGS", ROOT / "var" / "checkin-bench"))
    logs.mkdir(parents=True, exist_ok=True)
    procs = []
    try:
        ports = {}
        for name, settings_module in (
            ("liaison", "config.settings.dev"),
            ("peer", "bench.door_peer"),
        ):
            port = ports[name] = free_port()
            procs.append(
                spawn(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "config.wsgi:application",
                        "-b",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "3",
                        "--threads",
                        "4",
                    ],
                    {**env, "DJANGO_SETTINGS_MODULE": settings_module},
                    logs / f"{name}.log",
                )
            )
            wait_http(f"http://127.0.0.1:{port}/admin/login/", timeout=180)
        http = requests.Session()
        ours_url = f"http://127.0.0.1:{ports['liaison']}/admin/checkin/{event.pk}/sync/"
        peer_url = f"http://127.0.0.1:{ports['peer']}/bench/checkin/{event.pk}/"
        for url in (ours_url, peer_url):  # warm both: connections, caches
            post(http, url, scans_for(public_ids, 0, 1), cookies)

        print(f"1. scan to confirmed, {args.scans} requests each ...", flush=True)
        ours = [post(http, ours_url, [s], cookies) for s in scans_for(public_ids, 1, args.scans)]
        offset = 1 + args.scans
        peer = [
            post(http, peer_url, [s], cookies) for s in scans_for(public_ids, offset, args.scans)
        ]
        offset += args.scans
        print(f"2. a queue of {args.queue} scans in one upload ...", flush=True)
        queue_ours = post(http, ours_url, scans_for(public_ids, offset, args.queue), cookies)
        offset += args.queue
        queue_peer = post(http, peer_url, scans_for(public_ids, offset, args.queue), cookies)

        print("3. the door's name search over the guest list, in Chromium ...", flush=True)
        started = time.perf_counter()
        manifest = http.get(
            f"http://127.0.0.1:{ports['liaison']}/admin/checkin/{event.pk}/manifest.json",
            cookies=cookies,
            timeout=120,
        ).json()
        manifest_ms = (time.perf_counter() - started) * 1000
        search_ours, search_peer = door_search(manifest)

        print(f"4. walk-in duplicate check against {args.people:,} people ...", flush=True)
        lookups = ["王伟", "wang wei", "müller", "Иванов", "sato hanako", "garcia"] * 5
        walk_in_url = (
            f"http://127.0.0.1:{ports['liaison']}/admin/checkin/{event.pk}/walk-in/matches/"
        )
        walk = []
        for q in lookups:
            started = time.perf_counter()
            http.get(walk_in_url, params={"q": q}, cookies=cookies, timeout=60).raise_for_status()
            walk.append((time.perf_counter() - started) * 1000)
        from django.db.models import Q

        from crm.models import Person

        icontains = []
        for q in lookups[:12]:
            started = time.perf_counter()
            condition = Q()
            for name in ("family_name", "given_name", "full_name_native", "name_latin"):
                condition |= Q(**{f"{name}__icontains": q})
            list(Person.objects.filter(condition)[:8])
            icontains.append((time.perf_counter() - started) * 1000)
    finally:
        for proc in procs:
            stop(proc)

    print(f"5. {args.badges} badges in 7 scripts ...", flush=True)
    badge_s, badge_mb = badges(args.badges, "liaison", env)
    plain_s, plain_mb = badges(args.badges, "peer", env)

    def line(label, ours_value, peer_value, unit, target):
        ratio = ours_value / peer_value if peer_value else float("inf")
        print(
            f"  {label:<44} {ours_value:10.1f} {unit:<4} peer {peer_value:9.1f} {unit:<4} "
            f"x{ratio:5.2f}   target {target}"
        )

    print(f"\nDoor benchmark: {args.people:,} people, {len(public_ids):,} guests, gunicorn 3x4")
    line("scan to confirmed p50", statistics.median(ours), statistics.median(peer), "ms", "")
    line("scan to confirmed p95", pct(ours, 0.95), pct(peer, 0.95), "ms", "<= 100 ms")
    line(f"queue of {args.queue} scans synced", queue_ours, queue_peer, "ms", "<= 5,000 ms")
    print(
        f"  guest list for the device: {len(manifest['guests']):,} guests in {manifest_ms:.0f} ms"
    )
    line(
        "door name search p95 (Chromium)",
        pct(search_ours, 0.95),
        pct(search_peer, 0.95),
        "ms",
        "<= 100 ms",
    )
    line("walk-in duplicate check p95", pct(walk, 0.95), pct(icontains, 0.95), "ms", "<= 1,000 ms")
    line(f"{args.badges} badges, seconds", badge_s, plain_s, "s", "<= 60 s")
    line(f"{args.badges} badges, peak memory", badge_mb, plain_mb, "MB", "<= 300 MB")


if __name__ == "__main__":
    main()
