"""Campaign sending benchmark: Liaison's pipeline against django-post_office and a naive loop.

Real pipeline: PostgreSQL, Redis (broker, rate limiter), 2 Celery worker processes, the ESP
simulator (Postmark API) at 20 ms latency in its own process; every contender sends through
anymail's Postmark backend to the same simulator, personalised per recipient.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/campaign_bench.py

Prints messages/s of each, the ratios, the workers' peak RSS, and how fast tracking webhooks are
absorbed (events/s, with a check that none was lost): gunicorn as in docker-compose.yml, loaded
by `wrk` (Debian package; one unique Postmark event per request for 8 s; Python client threads
posting --events events when wrk is missing). Sizes: --size (Liaison), --peer-size
(post_office), --naive-size. The peers are slower by design, so they send fewer messages; rates
are compared, all measured in the same run.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOKEN = "bench-token"
HOOK_SECRET = "bench:hook-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def group_peak_rss_mb(pgid: int) -> float:
    """Largest peak resident set (VmHWM) of any process in the process group, in MB."""
    peak = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            for line in Path(f"/proc/{entry}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except (OSError, ValueError, IndexError):
            continue
    return peak / 1024


def wait_http(url: str, timeout: float = 30) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def spawn(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    with open(log, "wb") as fh:
        return subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--peer-size", type=int, default=2_000)
    parser.add_argument("--naive-size", type=int, default=300)
    parser.add_argument(
        "--events", type=int, default=10_000, help="webhook events (only without wrk)"
    )
    parser.add_argument("--latency-ms", type=float, default=20)
    parser.add_argument(
        "--freeze-in-worker",
        action="store_true",
        help="approve as for a large audience: a worker freezes it (its peak RSS is printed;"
        " the senders' peak then includes it, VmHWM being a high-water mark)",
    )
    parser.add_argument(
        "--skip-peers",
        action="store_true",
        help="measure only Liaison and the webhooks (quick iterations; no ratios printed)",
    )
    args = parser.parse_args()
    if not (
        os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
    ):
        raise SystemExit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the benchmark needs both.")

    # A database of its own, new each run: the figures do not depend on earlier runs, and the
    # developer's data in DATABASE_URL's database is never touched.
    os.environ["DATABASE_URL"] = fresh_database(os.environ["DATABASE_URL"])
    logs = ROOT / "var" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    sim_port = free_port()
    sim_url = f"http://127.0.0.1:{sim_port}/"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        ESP="postmark",
        ESP_API_KEY=TOKEN,
        ESP_API_URL=sim_url,
        ANYMAIL_WEBHOOK_SECRET=HOOK_SECRET,
        CAMPAIGN_SEND_RATE="0",
        CAMPAIGN_SENDERS="2",
        CAMPAIGN_BATCH_SIZE="500",
        PYTHONUNBUFFERED="1",
    )
    os.environ.update(env)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    procs: list[subprocess.Popen] = []
    sim = spawn(
        [
            sys.executable,
            "-m",
            "devtools.esp_simulator",
            "--port",
            str(sim_port),
            "--server-token",
            TOKEN,
            "--latency-ms",
            str(args.latency_ms),
        ],
        env,
        logs / "simulator.log",
    )
    procs.append(sim)
    try:
        wait_http(sim_url + "_sim/stats")
        results = run(args, env, sim_url, logs, procs)
    finally:
        for proc in reversed(procs):
            stop(proc)
    print_report(args, results)


def fresh_database(base_url: str) -> str:
    """``<name>_campaign_bench`` on the same server, dropped and created again."""
    from urllib.parse import urlparse, urlunparse

    import psycopg

    parsed = urlparse(base_url)
    name = parsed.path.lstrip("/") + "_campaign_bench"
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path="/" + name))


def run(args, env, sim_url, logs, procs) -> dict:
    import requests
    from django.db import connection

    from outreach.models import CampaignStatus, Message, MessageStatus
    from outreach.services import campaigns
    from tests.factories import approver, make_campaign, make_contacts_in_bulk

    requests.post(sim_url + "_sim/reset", timeout=5)
    if args.skip_peers:
        args.peer_size = args.naive_size = 0
    total = args.size + args.peer_size + args.naive_size
    print(f"Creating {total} contacts ...", flush=True)
    people = make_contacts_in_bulk(total, domain="bench.example.org")
    ours, peer, naive = (
        people[: args.size],
        people[args.size : args.size + args.peer_size],
        people[args.size + args.peer_size :],
    )
    results: dict = {}

    # --- Liaison: freeze, then 2 worker processes send --------------------------------------
    workers = []
    for i in range(2):
        log = logs / f"worker{i}.log"
        workers.append(
            spawn(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-l",
                    "INFO",
                    "--concurrency",
                    "1",
                    "-n",
                    f"bench{i}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                env,
                log,
            )
        )
        procs.append(workers[-1])
    for i in range(2):
        deadline = time.monotonic() + 60
        while b"ready" not in (logs / f"worker{i}.log").read_bytes():
            if time.monotonic() > deadline:
                raise SystemExit(f"worker {i} did not start; see {logs}/worker{i}.log")
            time.sleep(0.2)
    print(f"Liaison: {len(ours)} messages, 2 worker processes ...", flush=True)
    campaign = make_campaign(people=ours, name="Bench Liaison")
    campaigns.submit(campaign, acting_user=campaign.created_by)
    if args.freeze_in_worker:
        from django.conf import settings

        settings.CAMPAIGN_FREEZE_IN_REQUEST_MAX = 0
    t_freeze = time.perf_counter()  # approval freezes the audience: that is what is timed
    campaign = campaigns.approve(campaign, acting_user=approver())
    if campaign.status == CampaignStatus.APPROVING and args.freeze_in_worker:
        # one of the two workers freezes (the task approve() handed over); watch its memory
        while campaign.status == CampaignStatus.APPROVING:
            time.sleep(0.2)
            campaign.refresh_from_db()
        results["freeze_worker_rss_mb"] = max(group_peak_rss_mb(w.pid) for w in workers)
    elif campaign.status == CampaignStatus.APPROVING:
        # above CAMPAIGN_FREEZE_IN_REQUEST_MAX a worker freezes: run its half here, timed too
        campaign = campaigns.finish_approval(campaign.pk)
    results["freeze_s"] = time.perf_counter() - t_freeze
    connection.close()
    t0 = time.perf_counter()
    campaigns.schedule(campaign, kind="now", acting_user=campaign.created_by)
    open_states = [MessageStatus.QUEUED, MessageStatus.SENDING]
    peak = 0.0
    while Message.objects.filter(campaign=campaign, status__in=open_states).exists():
        peak = max(peak, *(group_peak_rss_mb(w.pid) for w in workers))
        time.sleep(0.2)
    elapsed = time.perf_counter() - t0
    peak = max(peak, *(group_peak_rss_mb(w.pid) for w in workers))
    sent = Message.objects.filter(campaign=campaign, status=MessageStatus.SENT).count()
    stats = requests.get(sim_url + "_sim/stats", timeout=5).json()
    results["liaison"] = {"sent": sent, "seconds": elapsed, "rate": sent / elapsed}
    results["received"] = stats["received"]
    results["worker_peak_rss_mb"] = peak
    for w in workers:
        stop(w)

    if args.skip_peers:
        results["webhooks"] = run_webhooks(args.events, campaign, env, logs, procs)
        return results

    # --- django-post_office: enqueue personalised mail, send with 2 processes --------------
    print(f"django-post_office: {len(peer)} messages, 2 processes ...", flush=True)
    results["post_office"] = run_post_office(peer, campaign)

    # --- naive loop: send() per person -------------------------------------------------------
    print(f"naive loop: {len(naive)} messages ...", flush=True)
    results["naive"] = run_naive(naive, campaign)

    # --- tracking webhooks -------------------------------------------------------------------
    print("webhooks ...", flush=True)
    results["webhooks"] = run_webhooks(args.events, campaign, env, logs, procs)
    return results


def personalised(campaign, person, message_stub):
    from django.utils import translation

    from outreach.services import rendering

    content = campaign.contents.all()[0]
    with translation.override(message_stub.language):
        return rendering.build_email(campaign, content, message_stub)


def _stubs(campaign, people):
    from django.utils import timezone

    from crm.identity import email_digest
    from outreach.models import Message

    stubs = []
    for person in people:
        email = person.emails.all()[0].email
        stubs.append(
            Message(
                campaign=campaign,
                person=person,
                email=email,
                email_digest=email_digest(email),
                language="en",
                due_at=timezone.now(),
            )
        )
    return stubs


def run_post_office(people, campaign) -> dict:
    from django.db import connection
    from post_office import mail
    from post_office.models import STATUS, Email

    from crm.models import Person

    people = list(Person.objects.filter(pk__in=[p.pk for p in people]).prefetch_related("emails"))
    t0 = time.perf_counter()
    kwargs_list = []
    for stub in _stubs(campaign, people):
        email = personalised(campaign, stub.person, stub)
        kwargs_list.append(
            {
                "recipients": email.to,
                "sender": email.from_email,
                "subject": email.subject,
                "message": email.body,
                "html_message": email.alternatives[0][0],
                "headers": email.extra_headers,
            }
        )
    for start in range(0, len(kwargs_list), 1000):
        mail.send_many(kwargs_list[start : start + 1000])
    connection.close()
    while Email.objects.filter(status__in=[STATUS.queued, STATUS.requeued]).exists():
        mail.send_queued(processes=2)
        connection.close()
    elapsed = time.perf_counter() - t0
    sent = Email.objects.filter(status=STATUS.sent).count()
    return {"sent": sent, "seconds": elapsed, "rate": sent / elapsed}


def run_naive(people, campaign) -> dict:
    from crm.models import Person

    people = list(Person.objects.filter(pk__in=[p.pk for p in people]).prefetch_related("emails"))
    t0 = time.perf_counter()
    sent = 0
    for stub in _stubs(campaign, people):
        sent += personalised(campaign, stub.person, stub).send()
    elapsed = time.perf_counter() - t0
    return {"sent": sent, "seconds": elapsed, "rate": sent / elapsed}


WEBHOOK_WRK_SCRIPT = """
-- One unique Postmark event per request: thread i of n posts lines i, i+n, i+2n, ...
local payloads = {}
for line in io.lines(os.getenv("HOOK_PAYLOADS")) do payloads[#payloads + 1] = line end
local threads, counter, stride = {}, 0, tonumber(os.getenv("HOOK_THREADS"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = os.getenv("HOOK_AUTH")

setup = function(thread)
  thread:set("first", #threads)
  threads[#threads + 1] = thread
end

init = function(args) counter = first end

request = function()
  local body = payloads[(counter % #payloads) + 1]
  counter = counter + stride
  return wrk.format(nil, nil, nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


def webhook_payloads(campaign) -> list[bytes]:
    """Postmark Delivery and Open payloads for the campaign's messages: two unique events per
    message, in Postmark's real format (the simulator posts the same shapes)."""
    from outreach.models import Message

    rows = Message.objects.filter(campaign=campaign).values_list(
        "public_id", "esp_message_id", "email"
    )
    payloads = []
    for record_type in ("Delivery", "Open"):
        for public_id, esp_id, email in rows:
            event = {
                "RecordType": record_type,
                "MessageStream": "outbound",
                "MessageID": esp_id,
                "Recipient": email,
                "Metadata": {"m": str(public_id)},
                "Tag": "",
                "ServerID": 1,
            }
            if record_type == "Delivery":
                event.update(DeliveredAt="2027-01-01T10:00:00Z", Details="smtp;250 OK")
            else:
                event.update(
                    ReceivedAt="2027-01-01T10:05:00Z",
                    FirstOpen=True,
                    Platform="Desktop",
                    UserAgent="Bench",
                )
            payloads.append(json.dumps(event).encode())
    return payloads


def run_webhooks(count: int, campaign, env, logs, procs, *, seconds: float = 8) -> dict:
    """Tracking webhooks into gunicorn (3 processes x 4 threads, as in docker-compose.yml).

    An ESP posts one event per request from its own machines, so the load comes from `wrk` (C,
    Debian package; 2 threads, 32 kept-alive connections, ``seconds`` long), each request a
    different event; without wrk, Python client threads post ``count`` events. Lost = events
    answered 200 that are not stored."""
    import shutil
    import tempfile

    from outreach.models import Message, TrackingEvent
    from outreach.services import tracking

    port = free_port()
    web = spawn(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "3",
            "-k",
            "gthread",
            "--threads",
            "4",
            "--preload",
            # no access log: "--access-logfile /dev/null" still formatted a line per request
        ],
        env,
        logs / "web.log",
    )
    procs.append(web)
    wait_http(f"http://127.0.0.1:{port}/admin/login/")
    payloads = webhook_payloads(campaign)
    auth = "Basic " + base64.b64encode(HOOK_SECRET.encode()).decode()
    url = f"http://127.0.0.1:{port}/anymail/postmark/tracking/"
    # Warm every gunicorn process (imports, database connection) with events that are stored
    # and then deleted, so the measured events are all new.
    warm = [
        json.dumps({"RecordType": "Delivery", "MessageID": f"warm-{i}", "Recipient": "w@x"})
        for i in range(60)
    ]
    for body in warm:
        requests_post(url, body.encode(), auth)
    TrackingEvent.objects.all().delete()

    if shutil.which("wrk"):
        tool = "wrk, 2 threads, 32 connections"
        with tempfile.TemporaryDirectory() as tmp:
            lines = Path(tmp) / "payloads.jsonl"
            lines.write_bytes(b"\n".join(payloads) + b"\n")
            script = Path(tmp) / "hooks.lua"
            script.write_text(WEBHOOK_WRK_SCRIPT)
            out = subprocess.run(
                ["wrk", "-t", "2", "-c", "32", "-d", f"{seconds:.0f}s", "-s", str(script), url],
                capture_output=True,
                text=True,
                check=True,
                env={
                    **os.environ,
                    "HOOK_PAYLOADS": str(lines),
                    "HOOK_THREADS": "2",
                    "HOOK_AUTH": auth,
                },
            ).stdout
        line = next(row for row in out.splitlines() if row.startswith("RESULT "))
        requests, duration_us, status_errors, socket_errors, p50, p99 = map(int, line.split()[1:])
        posted = requests
        accepted = requests - status_errors - socket_errors
        elapsed = duration_us / 1e6
        if posted > len(payloads):
            raise SystemExit(f"wrk posted {posted} events but only {len(payloads)} are unique")
    else:
        tool = "python threads, 24 connections"
        posted, accepted, elapsed = _post_with_threads(url, payloads[:count], auth)
        p50 = p99 = 0
    # Requests still in flight when wrk stopped finish on the server: count once it is quiet.
    stored = -1
    while stored != (now := TrackingEvent.objects.filter(esp="postmark").count()):
        stored = now
        time.sleep(1)
    t1 = time.perf_counter()
    tracking.apply_all_pending_events()
    applied_s = time.perf_counter() - t1
    delivered = Message.objects.filter(campaign=campaign, delivered_at__isnull=False).count()
    stop(web)
    return {
        "tool": tool,
        "posted": posted,
        "accepted": accepted,
        "stored": stored,
        "delivered": delivered,
        "seconds": elapsed,
        "rate": accepted / elapsed,
        "p50_ms": p50 / 1e3,
        "p99_ms": p99 / 1e3,
        "apply_rate": stored / applied_s if applied_s else 0,
    }


def requests_post(url: str, body: bytes, auth: str) -> int:
    import urllib.request

    request = urllib.request.Request(  # noqa: S310 - loopback
        url, data=body, headers={"Content-Type": "application/json", "Authorization": auth}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status


def _post_with_threads(url: str, payloads: list[bytes], auth: str) -> tuple[int, int, float]:
    import http.client
    import threading
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    local = threading.local()
    headers = {"Content-Type": "application/json", "Authorization": auth}

    def post(body: bytes) -> int:
        """As an ESP does: one event per request, over a kept-alive connection."""
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            conn.request("POST", parts.path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            return 1 if response.status == 200 else 0
        except (OSError, http.client.HTTPException):
            conn.close()
            local.conn = None
            return 0

    t0 = time.perf_counter()
    with ThreadPoolExecutor(24) as pool:
        accepted = sum(pool.map(post, payloads))
    return len(payloads), accepted, time.perf_counter() - t0


def print_report(args, r: dict) -> None:
    ours, hooks = r["liaison"], r["webhooks"]
    po = r.get("post_office") or {"sent": 0, "seconds": 0.0, "rate": float("nan")}
    naive = r.get("naive") or {"sent": 0, "seconds": 0.0, "rate": float("nan")}
    print()
    print(f"Campaign sending to the ESP simulator at {args.latency_ms:.0f} ms latency")
    print(f"  audience freeze ({args.size} recipients): {r['freeze_s']:.2f} s")
    print(
        f"  Liaison (2 worker processes)  {ours['sent']:>7} msgs in {ours['seconds']:7.2f} s"
        f" = {ours['rate']:8.1f} msgs/s   (simulator received {r['received']})"
    )
    print(
        f"  django-post_office (2 procs)  {po['sent']:>7} msgs in {po['seconds']:7.2f} s"
        f" = {po['rate']:8.1f} msgs/s"
    )
    print(
        f"  naive send() per person       {naive['sent']:>7} msgs in {naive['seconds']:7.2f} s"
        f" = {naive['rate']:8.1f} msgs/s"
    )
    print(f"  ratio Liaison / django-post_office: {ours['rate'] / po['rate']:.1f}x")
    print(f"  ratio Liaison / naive loop:         {ours['rate'] / naive['rate']:.1f}x")
    print(f"  worker peak RSS: {r['worker_peak_rss_mb']:.0f} MB")
    if "freeze_worker_rss_mb" in r:
        print(f"  worker peak RSS after freezing the audience: {r['freeze_worker_rss_mb']:.0f} MB")
    print()
    print(
        f"Tracking webhooks (Postmark payloads, one event per request; gunicorn 3 processes x 4"
        f" threads; load from {hooks['tool']})"
    )
    print(
        f"  absorbed {hooks['accepted']}/{hooks['posted']} in {hooks['seconds']:.2f} s"
        f" = {hooks['rate']:.0f} events/s (p50 {hooks['p50_ms']:.1f} ms, p99"
        f" {hooks['p99_ms']:.1f} ms); stored {hooks['stored']}, applied at"
        f" {hooks['apply_rate']:.0f} events/s; messages now with a delivery time"
        f" (an open implies one): {hooks['delivered']}"
    )
    # Every event is unique, so an answered event missing from the table is a lost one; rows
    # beyond the answered ones were in flight when wrk stopped (their answers were not read).
    lost = max(0, hooks["accepted"] - hooks["stored"])
    in_flight = max(0, hooks["stored"] - hooks["accepted"])
    print(
        f"  events answered 200 but not stored (lost): {lost};"
        f" in flight at wrk's stop and stored too: {in_flight}"
    )


if __name__ == "__main__":
    main()
