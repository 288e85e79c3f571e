"""Campaign sending benchmark: Liaison's pipeline against django-post_office and a naive loop.

Real pipeline: PostgreSQL, Redis (broker, rate limiter), 2 Celery worker processes, the ESP
simulator (Postmark API) at 20 ms latency in its own process; every contender sends through
anymail's Postmark backend to the same simulator, personalised per recipient.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/campaign_bench.py

Prints messages/s of each, the ratios, the workers' peak RSS, and how fast tracking webhooks are
absorbed (events/s, with a check that none was lost). Sizes: --size (Liaison), --peer-size
(post_office), --naive-size, --events. The peers are slower by design, so they send fewer
messages; rates are compared, all measured in the same run.
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
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--latency-ms", type=float, default=20)
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


def reset_data() -> None:
    from post_office.models import Email

    from crm.models import Person
    from outreach.models import Campaign, Suppression, TrackingEvent

    TrackingEvent.objects.all().delete()
    Suppression.objects.all().delete()
    for campaign in Campaign.objects.filter(name__startswith="Bench "):
        campaign.messages.all().delete()
        campaign.delete()
    Person.objects.filter(emails__email__endswith="@bench.example.org").delete()
    Email.objects.all().delete()


def run(args, env, sim_url, logs, procs) -> dict:
    import requests
    from django.db import connection

    from outreach.models import Message, MessageStatus
    from outreach.services import campaigns
    from tests.factories import approved_campaign, make_contacts_in_bulk

    reset_data()
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
    t_freeze = time.perf_counter()
    campaign = approved_campaign(people=ours, name="Bench Liaison")
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
    print(f"webhooks: {args.events} events ...", flush=True)
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

    from crm.services.identity import email_digest
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


def run_webhooks(count: int, campaign, env, logs, procs) -> dict:
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
    rows = list(
        Message.objects.filter(campaign=campaign).values_list(
            "public_id", "esp_message_id", "email"
        )[:count]
    )
    payloads = [
        json.dumps(
            {
                "RecordType": "Delivery",
                "MessageStream": "outbound",
                "MessageID": esp_id,
                "Recipient": email,
                "DeliveredAt": "2027-01-01T10:00:00Z",
                "Details": "smtp;250 OK",
                "Metadata": {"m": str(public_id)},
                "Tag": "",
                "ServerID": 1,
            }
        ).encode()
        for public_id, esp_id, email in rows
    ]
    auth = "Basic " + base64.b64encode(HOOK_SECRET.encode()).decode()
    import http.client
    import threading

    local = threading.local()
    headers = {"Content-Type": "application/json", "Authorization": auth}

    def post(body: bytes) -> int:
        """As an ESP does: one event per request, over a kept-alive connection."""
        for _attempt in range(5):
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("POST", "/anymail/postmark/tracking/", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    return 1
            except (OSError, http.client.HTTPException):
                conn.close()
                local.conn = None
            time.sleep(0.1)
        return 0

    t0 = time.perf_counter()
    with ThreadPoolExecutor(24) as pool:
        accepted = sum(pool.map(post, payloads))
    elapsed = time.perf_counter() - t0
    stored = TrackingEvent.objects.filter(esp="postmark").count()
    t1 = time.perf_counter()
    tracking.apply_all_pending_events()
    applied_s = time.perf_counter() - t1
    delivered = Message.objects.filter(campaign=campaign, delivered_at__isnull=False).count()
    stop(web)
    return {
        "posted": len(payloads),
        "accepted": accepted,
        "stored": stored,
        "delivered": delivered,
        "seconds": elapsed,
        "rate": accepted / elapsed,
        "apply_rate": stored / applied_s if applied_s else 0,
    }


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
    print()
    print(
        "Tracking webhooks (Postmark Delivery payloads; gunicorn 3 processes x 4 threads;"
        " 24 client threads)"
    )
    print(
        f"  absorbed {hooks['accepted']}/{hooks['posted']} in {hooks['seconds']:.2f} s"
        f" = {hooks['rate']:.0f} events/s; stored {hooks['stored']}, applied at"
        f" {hooks['apply_rate']:.0f} events/s; messages marked delivered: {hooks['delivered']}"
    )
    lost = hooks["posted"] - hooks["stored"]
    print(f"  events lost: {lost}")


if __name__ == "__main__":
    main()
