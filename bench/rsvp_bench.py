"""RSVP submissions under load, against a bare Django view measured in the same run.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/rsvp_bench.py \
        [--invitations 2000] [--capacity 500] [--clients 16]

The hour after 100,000 invitations land, compressed: `--invitations` guests each open their RSVP
page (GET) and accept (POST) through gunicorn as in docker-compose.yml (3 processes x 4 threads),
on PostgreSQL, with `--clients` concurrent client threads. The peer is a bare Django view (same
settings and middleware) that validates a two-field form and inserts one row, served the same way
and loaded the same way. Printed: submissions/s, p50/p95 latency, the ratio of Liaison's cost per
submission to the peer's, and the oversold count (accepted places beyond capacity: must be 0).
Settings are the test settings with production's connection lifetime and per-process menu and
event-title caches (bench/rsvp_peer_settings.py). Works in a database of its own
(`<name>_rsvp_bench`, created anew each run). Mail goes to
Django's console backend silenced (the confirmation task is queued to the broker, as in
production; no worker runs, so sending is not measured here — see campaign_bench for that).
Targets: >= 300 submissions/s, p95 <= 150 ms, at most 2x the peer's cost; 0 oversold. Figures
depend on the machine and its other load; nothing is asserted."""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.campaign_bench import free_port, spawn, stop, wait_http  # noqa: E402


def fresh_database(base_url: str) -> str:
    from urllib.parse import urlparse, urlunparse

    import psycopg

    parsed = urlparse(base_url)
    name = parsed.path.lstrip("/") + "_rsvp_bench"
    maintenance = urlunparse(parsed._replace(path="/postgres"))  # the named one may not exist
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path="/" + name))


def gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    args = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}"]
    args += ["-w", "3", "-k", "gthread", "--threads", "4", "--preload"]
    return spawn(args, env, log)


def load(port: int, requests: list[tuple[str, str, bytes | None]], clients: int) -> dict:
    """Send each (method, path, body) once, from `clients` threads on kept-alive connections."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    queue = list(reversed(requests))

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while True:
            with lock:
                if not queue:
                    break
                method, path, body = queue.pop()
            headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status in (200, 302)
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            mine.append(time.perf_counter() - started)
            if not ok:
                with lock:
                    failures[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "count": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "failures": failures[0],
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invitations", type=int, default=2000)
    parser.add_argument("--capacity", type=int, default=500)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL): the benchmark needs it.")
    os.environ["DATABASE_URL"] = fresh_database(os.environ["DATABASE_URL"])
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.rsvp_peer_settings",
        PYTHONUNBUFFERED="1",
        PAGE_CACHE_SECONDS="0",
    )
    os.environ.update(env)
    logs = ROOT / "var" / "bench"
    logs.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print("Migrating the bench database ...", flush=True)
    call_command("migrate", verbosity=0)
    from site_cms.services.site_setup import ensure_site_structure

    ensure_site_structure()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_peer_answer (id bigserial primary key,"
            " name varchar(200) not null, email varchar(254) not null, created_at timestamptz)"
        )

    from django.urls import reverse
    from django.utils import timezone

    from crm.identity import email_digest
    from outreach.models import Campaign, Event, Message, Registration
    from outreach.services.tokens import make_rsvp_token
    from tests.factories import make_contacts_in_bulk

    print(f"Creating {args.invitations} invitations ...", flush=True)
    event = Event.objects.create(
        name="Bench forum",
        code="bench-forum",
        kind="forum",
        starts_at=timezone.now() + timezone.timedelta(days=30),
        ends_at=timezone.now() + timezone.timedelta(days=30, hours=8),
        status="announced",
        capacity=args.capacity,
    )
    campaign = Campaign.objects.create(
        name="Bench", event=event, from_name="Bench", from_email="bench@example.org"
    )
    people = make_contacts_in_bulk(args.invitations, domain="rsvp-bench.example.org")
    Message.objects.bulk_create(
        [
            Message(
                campaign=campaign,
                person=p,
                email=f"guest{i}@rsvp-bench.example.org",
                email_digest=email_digest(f"guest{i}@rsvp-bench.example.org"),
                language="en",
                due_at=timezone.now(),
                status="sent",
            )
            for i, p in enumerate(people)
        ],
        batch_size=2000,
    )
    paths = [
        reverse("outreach_rsvp", args=[make_rsvp_token("m", m.public_id)])
        for m in Message.objects.filter(campaign=campaign).only("public_id")
    ]
    connection.close()

    results = {}
    for label, pages in (
        ("Liaison RSVP", [(p, b"answer=accept") for p in paths]),
        (
            "bare Django view",
            [
                ("/bench-peer/", urlencode({"name": f"Guest {i}", "email": f"g{i}@x.org"}).encode())
                for i in range(len(paths))
            ],
        ),
    ):
        port = free_port()
        web = gunicorn(env, port, logs / f"rsvp-{label.split()[0].lower()}.log")
        try:
            wait_http(f"http://127.0.0.1:{port}/bench-peer/")
            warm = [("GET", "/bench-peer/", None)] * 60
            load(port, warm, args.clients)
            if label.startswith("Liaison"):
                results["page views"] = load(
                    port, [("GET", path, None) for path, _b in pages], args.clients
                )
            results[label] = load(
                port, [("POST", path, body) for path, body in pages], args.clients
            )
        finally:
            stop(web)

    accepted = sum(
        Registration.objects.filter(event=event, status="accepted").values_list("places", flat=True)
    )
    waitlisted = Registration.objects.filter(event=event, status="waitlisted").count()
    print()
    print(
        f"RSVP benchmark: {args.invitations} invitations, capacity {args.capacity}, "
        f"{args.clients} client threads, gunicorn 3 processes x 4 threads, PostgreSQL"
    )
    for label, r in results.items():
        print(
            f"  {label:18} {r['count']:6d} requests  {r['per_second']:7.1f}/s  "
            f"p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms  failures {r['failures']}"
        )
    ours, peer = results["Liaison RSVP"], results["bare Django view"]
    print(f"  cost per submission vs the bare view: {peer['per_second'] / ours['per_second']:.2f}x")
    print(
        f"  accepted places {accepted} of {args.capacity}, waitlisted {waitlisted}, "
        f"oversold {max(accepted - args.capacity, 0)}"
    )


if __name__ == "__main__":
    main()
