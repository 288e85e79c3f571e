"""A real worker process keeps working when its Redis broker restarts while it runs an
acknowledged-late task (see config/broker_restart.py for the upstream bug this covers)."""

from __future__ import annotations

import collections
import re
import shutil
import subprocess

import pytest
import redis

from config.celery import app
from outreach.models import Message, MessageStatus
from outreach.services import campaigns
from outreach.tasks import send_due_messages
from tests.factories import approved_campaign, make_contacts_in_bulk
from tests.integration.test_campaign_sending import (
    open_rows,
    received_ids,
    start_campaign,
    worker_env,
)
from tests.support import free_port, running_simulator, start_redis, start_worker, stop, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        shutil.which("redis-server") is None,
        reason="needs redis-server to start and restart (.ci/services.sh installs it)",
    ),
]


def enqueue_sender(broker_url: str) -> str:
    with app.connection_for_write(broker_url) as connection:
        return send_due_messages.apply_async(connection=connection).id


def test_worker_survives_a_redis_restart_and_its_running_task_completes_once(tmp_path):
    data_dir = tmp_path / "redis"
    data_dir.mkdir()
    port = free_port()
    broker_url = f"redis://127.0.0.1:{port}/0"
    redis_proc = start_redis(port, data_dir, persistent=True)
    log_path = tmp_path / "worker.log"
    with running_simulator("sim-token") as (url, outbox):
        env = worker_env(
            url,
            REDIS_URL=broker_url,
            CELERY_BROKER_URL=broker_url,
            CAMPAIGN_SEND_RATE="10",  # 60 messages take about six seconds: time to restart
            CAMPAIGN_TASK_BUDGET_SECONDS="120",  # one task sends the whole campaign
            LOG_LEVEL="INFO",
        )
        worker = start_worker(
            name="restart", concurrency=2, extra_env=env, log_path=log_path, log_level="INFO"
        )
        try:
            campaign = start_campaign(60)
            task_id = enqueue_sender(broker_url)
            wait_until(
                lambda: (
                    Message.objects.filter(campaign=campaign, status=MessageStatus.SENT).count()
                    >= 10
                ),
                timeout=60,
                what="the sender task to be under way",
            )
            # A restart as `docker restart` or systemd does it: shut down (data kept), start again.
            subprocess.run(["redis-cli", "-p", str(port), "shutdown"], capture_output=True)
            redis_proc.wait(timeout=20)
            redis_proc = start_redis(port, data_dir, persistent=True)

            wait_until(lambda: open_rows(campaign) == 0, timeout=120, what="the campaign")
            assert worker.poll() is None, log_path.read_text()

            # The worker still takes new work from the restarted broker.
            later = approved_campaign(people=make_contacts_in_bulk(3, domain="later.example.org"))
            campaigns.schedule(later, kind="now", acting_user=later.created_by)
            enqueue_sender(broker_url)
            wait_until(lambda: open_rows(later) == 0, timeout=60, what="a task after the restart")
            assert worker.poll() is None, log_path.read_text()
            counts = received_ids(outbox)
        finally:
            stop(worker)
            stop(redis_proc)

    log = log_path.read_text()
    assert "Unrecoverable error" not in log, log
    # The task that was running during the restart ran once: received once, never restored
    # for a second run, and acknowledged (nothing left for Redis to hand out again).
    assert len(re.findall(rf"send_due_messages\[{task_id}\] received", log)) == 1, log
    assert len(re.findall(rf"send_due_messages\[{task_id}\] succeeded", log)) == 1, log
    assert set(counts.values()) == {1}
    assert len(counts) == 63
    statuses = collections.Counter(
        Message.objects.filter(campaign=campaign).values_list("status", flat=True)
    )
    assert statuses == {MessageStatus.SENT: 60}
    redis_proc = start_redis(port, data_dir, persistent=True)
    try:
        client = redis.Redis.from_url(broker_url)
        assert client.hlen("unacked") == 0
        assert client.llen("celery") == 0
    finally:
        stop(redis_proc)
