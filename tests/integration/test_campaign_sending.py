"""The send ledger end to end: real worker processes (sharing this session's database and
broker), the ESP simulator over HTTP through anymail's Postmark backend."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time

import pytest
import requests
from django.db import connection

from outreach.models import Campaign, CampaignStatus, Message, MessageStatus
from outreach.services import campaigns, dispatch, sending
from tests.factories import approved_campaign, make_contacts_in_bulk
from tests.support import (
    ROOT,
    child_env,
    free_port,
    running_simulator,
    start_redis,
    start_worker,
    stop,
    wait_until,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def simulator():
    with running_simulator("sim-token") as running:
        yield running


def worker_env(url: str, **extra: str) -> dict[str, str]:
    env = {
        "ESP": "postmark",
        "ESP_API_KEY": "sim-token",
        "ESP_API_URL": url,
        "CAMPAIGN_SEND_RATE": "0",
        "CAMPAIGN_RETRY_BASE_SECONDS": "0.2",
        "CAMPAIGN_TASK_BUDGET_SECONDS": "20",
        "CAMPAIGN_WAVE_SECONDS": "5",
    }
    env.update(extra)
    return env


def start_campaign(count: int) -> Campaign:
    people = make_contacts_in_bulk(count)
    campaign = approved_campaign(people=people)
    campaigns.schedule(campaign, kind="now", acting_user=campaign.created_by)
    return campaign


def open_rows(campaign: Campaign) -> int:
    return Message.objects.filter(
        campaign=campaign, status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]
    ).count()


def keep_dispatching(campaign: Campaign, *, timeout: float, what: str) -> None:
    """What celery beat does, from the test process: sweep leases, wake the senders."""

    def done() -> bool:
        sending.sweep_expired_leases()
        dispatch.dispatch_due_campaigns()
        return open_rows(campaign) == 0

    wait_until(done, timeout=timeout, every=1.0, what=what)


def received_ids(outbox) -> collections.Counter:
    return collections.Counter(m["Metadata"]["m"] for m in outbox.snapshot())


def assert_each_sent_message_received_once(campaign: Campaign, outbox) -> None:
    counts = received_ids(outbox)
    assert [pid for pid, n in counts.items() if n > 1] == []
    sent = Message.objects.filter(campaign=campaign, status=MessageStatus.SENT)
    sent_ids = {str(pid) for pid in sent.values_list("public_id", flat=True)}
    assert sent_ids <= set(counts)
    esp_ids = {m["MessageID"] for m in outbox.snapshot()}
    assert set(sent.values_list("esp_message_id", flat=True)) <= esp_ids


def test_four_workers_send_each_message_exactly_once(simulator, tmp_path):
    url, outbox = simulator
    count = 20_000 if ON_POSTGRES else 2_000
    workers = [
        start_worker(name=f"send{i}", extra_env=worker_env(url), log_path=tmp_path / f"w{i}.log")
        for i in range(4)
    ]
    try:
        campaign = start_campaign(count)
        keep_dispatching(campaign, timeout=600, what="every message to be sent")
    finally:
        for w in workers:
            stop(w)
    counts = received_ids(outbox)
    assert len(counts) == count
    assert set(counts.values()) == {1}
    assert Message.objects.filter(campaign=campaign, status=MessageStatus.SENT).count() == count
    assert_each_sent_message_received_once(campaign, outbox)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.FINISHED


def test_sigkill_mid_batch_five_times_loses_nothing_and_sends_nothing_twice(simulator, tmp_path):
    url, outbox = simulator
    outbox.configure(latency_ms=150)
    env = worker_env(url, CAMPAIGN_BATCH_SIZE="10", CAMPAIGN_LEASE_SECONDS="4")
    campaign = start_campaign(600)
    for round_ in range(5):
        worker = start_worker(name=f"kill{round_}", extra_env=env, log_path=tmp_path / "k.log")
        try:
            dispatch.dispatch_due_campaigns()
            wait_until(
                lambda: Message.objects.filter(
                    campaign=campaign, status=MessageStatus.SENDING
                ).exists(),
                timeout=60,
                every=0.05,
                what="a batch in flight",
            )
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    outbox.configure(latency_ms=0)
    survivor = start_worker(name="survivor", extra_env=env, log_path=tmp_path / "s.log")
    try:
        keep_dispatching(campaign, timeout=300, what="the campaign to drain")
    finally:
        stop(survivor)
    statuses = collections.Counter(
        Message.objects.filter(campaign=campaign).values_list("status", flat=True)
    )
    assert set(statuses) <= {MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.UNKNOWN}
    assert statuses[MessageStatus.UNKNOWN] >= 1  # the killed batches are left for review
    assert_each_sent_message_received_once(campaign, outbox)


def test_twenty_percent_429_and_500_still_sends_everything_exactly_once(simulator, tmp_path):
    url, outbox = simulator
    outbox.configure(rate_429=0.1, rate_500=0.1, seed=4)
    env = worker_env(url, CAMPAIGN_BATCH_SIZE="25")
    workers = [
        start_worker(name=f"flaky{i}", extra_env=env, log_path=tmp_path / f"f{i}.log")
        for i in range(2)
    ]
    try:
        campaign = start_campaign(500)
        keep_dispatching(campaign, timeout=300, what="every message to be sent")
    finally:
        for w in workers:
            stop(w)
    assert outbox.faults_injected > 0
    counts = received_ids(outbox)
    assert len(counts) == 500
    assert set(counts.values()) == {1}
    assert Message.objects.filter(campaign=campaign, status=MessageStatus.SENT).count() == 500
    retried = Message.objects.filter(campaign=campaign, attempts__gt=1).count()
    assert retried > 0


@pytest.mark.skipif(
    not ON_POSTGRES, reason="the broker under test is Redis; CI runs this on PostgreSQL + Redis"
)
def test_campaign_completes_when_redis_restarts_mid_campaign(simulator, tmp_path):
    url, outbox = simulator
    outbox.configure(latency_ms=20)
    port = free_port()
    redis_proc = start_redis(port, tmp_path)
    redis_url = f"redis://127.0.0.1:{port}/0"
    env = worker_env(
        url,
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        CAMPAIGN_BATCH_SIZE="20",
        CAMPAIGN_SEND_RATE="400",
        CAMPAIGN_DISPATCH_INTERVAL="1",
    )
    workers = [
        start_worker(name=f"r{i}", extra_env=env, log_path=tmp_path / f"r{i}.log") for i in range(2)
    ]
    with open(tmp_path / "beat.log", "wb") as beat_log:
        beat = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "-l",
                "WARNING",
                "-s",
                str(tmp_path / "beat-schedule"),
            ],
            cwd=ROOT,
            env=child_env(**env),
            stdout=beat_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        campaign = start_campaign(3000)
        wait_until(
            lambda: (
                Message.objects.filter(campaign=campaign, status=MessageStatus.SENT).count() > 300
            ),
            timeout=120,
            what="sending to be under way",
        )
        os.killpg(redis_proc.pid, signal.SIGKILL)
        redis_proc.wait()
        time.sleep(2)
        redis_proc = start_redis(port, tmp_path)
        wait_until(lambda: open_rows(campaign) == 0, timeout=300, every=1.0, what="completion")
    finally:
        stop(beat)
        for w in workers:
            stop(w)
        os.killpg(redis_proc.pid, signal.SIGTERM)
        redis_proc.wait()
    assert_each_sent_message_received_once(campaign, outbox)
    statuses = collections.Counter(
        Message.objects.filter(campaign=campaign).values_list("status", flat=True)
    )
    # nothing lost: every row was sent, or is listed for review if its batch was cut off
    assert set(statuses) <= {MessageStatus.SENT, MessageStatus.UNKNOWN}
    assert statuses[MessageStatus.SENT] >= 3000 - 2 * 20  # at most one batch per worker in doubt
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.FINISHED


def test_simulator_webhooks_reach_liaison_and_update_messages(
    transactional_db, simulator, live_server, settings
):
    """The whole loop: send, the simulator posts Postmark webhooks, the events are applied."""
    url, outbox = simulator
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "hook:pw"}
    outbox.configure(
        webhook_url=f"{live_server.url}/anymail/postmark/tracking/",
        webhook_user="hook",
        webhook_password="pw",
        rate_open=1.0,
    )
    from django.core.mail import get_connection

    from outreach.services import tracking
    from outreach.services.esp import Sender

    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "POSTMARK_SERVER_TOKEN": "sim-token",
        "POSTMARK_API_URL": url,
    }
    assert get_connection().__class__.__module__ == "anymail.backends.postmark"
    campaign = start_campaign(20)
    ids, token = sending.claim_batch(50)
    sending.send_claimed(ids, token, Sender())
    wait_until(
        lambda: requests.get(url + "_sim/stats", timeout=5).json()["webhooks_posted"] >= 40,
        timeout=60,
        what="the webhooks",
    )
    tracking.apply_all_pending_events()
    opened = Message.objects.filter(campaign=campaign, opened_at__isnull=False).count()
    assert opened == 20
    assert Message.objects.filter(campaign=campaign, delivered_at__isnull=False).count() == 20


def test_a_timeout_after_the_request_left_is_unknown_and_never_resent(simulator, settings):
    """The simulator keeps the batch but answers too late: the outcome is unknown."""
    url, outbox = simulator
    outbox.configure(rate_timeout=1.0, timeout_seconds=3)
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "POSTMARK_SERVER_TOKEN": "sim-token",
        "POSTMARK_API_URL": url,
        "REQUESTS_TIMEOUT": 1,
    }
    campaign = start_campaign(5)
    sending.send_due_messages(budget_seconds=5)
    statuses = set(Message.objects.filter(campaign=campaign).values_list("status", flat=True))
    assert statuses == {MessageStatus.UNKNOWN}
    assert len(outbox.snapshot()) == 5  # they did arrive: resending would have doubled them
    outbox.configure(rate_timeout=0.0)
    sending.sweep_expired_leases()
    dispatch.dispatch_due_campaigns()
    sending.send_due_messages(budget_seconds=2)
    assert len(outbox.snapshot()) == 5


def test_a_large_audience_is_frozen_by_a_worker_process_then_sent_once(
    simulator, tmp_path, settings
):
    """Approval hands a large audience's freeze to a worker (over the real broker); the worker
    freezes it, and the campaign then sends as any other."""
    from tests.factories import approver, make_campaign

    url, outbox = simulator
    settings.CAMPAIGN_FREEZE_IN_REQUEST_MAX = 100
    worker = start_worker(name="freeze", extra_env=worker_env(url), log_path=tmp_path / "f.log")
    try:
        campaign = make_campaign(people=make_contacts_in_bulk(300))
        campaigns.submit(campaign, acting_user=campaign.created_by)
        campaign = campaigns.approve(campaign, acting_user=approver())
        assert campaign.status == CampaignStatus.APPROVING

        def frozen() -> bool:
            campaign.refresh_from_db()
            return campaign.status == CampaignStatus.APPROVED

        # on SQLite the filesystem broker may hold other tests' tasks ahead of this one
        wait_until(frozen, timeout=300, every=0.5, what="the worker to freeze the audience")
        assert Message.objects.filter(campaign=campaign).count() == 300
        campaigns.schedule(campaign, kind="now", acting_user=campaign.created_by)
        keep_dispatching(campaign, timeout=120, what="every message to be sent")
    finally:
        stop(worker)
    counts = received_ids(outbox)
    assert len(counts) == 300
    assert set(counts.values()) == {1}
    assert_each_sent_message_received_once(campaign, outbox)
