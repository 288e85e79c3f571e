"""Liaison behind PgBouncer in transaction pooling mode (DATABASE_POOLING=transaction): a real
worker process that reaches PostgreSQL only through PgBouncer freezes a campaign's audience
(server-side cursor inside its transaction) and sends it, each message once."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.db import connection

from outreach.models import CampaignStatus, Message, MessageStatus
from outreach.services import campaigns
from tests.factories import approver, make_campaign, make_contacts_in_bulk
from tests.integration.test_campaign_sending import (
    assert_each_sent_message_received_once,
    keep_dispatching,
    received_ids,
    worker_env,
)
from tests.support import (
    ROOT,
    child_env,
    free_port,
    running_simulator,
    start_pgbouncer,
    start_worker,
    stop,
    wait_until,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PgBouncer pools PostgreSQL connections; CI runs this on PostgreSQL",
    ),
]


@pytest.fixture
def pooled_url(tmp_path):
    """The session's test database, reached through a PgBouncer in transaction pooling mode."""
    db = connection.settings_dict
    port = free_port()
    pgbouncer = start_pgbouncer(port, tmp_path / "pgbouncer")
    yield f"postgres://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{port}/{db['NAME']}"
    stop(pgbouncer)


READ_IN_CHUNKS = """
import json, os
import psycopg
from django.db import connection, transaction
from config.db import stream
from crm.models import Person


def another_client_takes_a_server():
    # Its open transaction holds the server connection our last statement ran on, if free.
    other = psycopg.connect(os.environ["POOLED_DSN"])
    other.execute("SELECT 1")
    return other


people = Person.objects.order_by("pk")
rows = people.values_list("pk", flat=True).iterator(chunk_size=5)
next(rows)
other = another_client_takes_a_server()
iterated = 1 + sum(1 for _ in rows)
other.close()
with transaction.atomic():
    rows = stream(people.values("pk"), chunk_size=5)
    next(rows)
    other = another_client_takes_a_server()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        open_cursors = cursor.fetchone()[0]
    streamed = 1 + sum(1 for _ in rows)
    other.close()
print(json.dumps({"iterated": iterated, "streamed": streamed, "cursors": open_cursors}))
"""


def test_reading_in_chunks_works_behind_transaction_pooling(pooled_url):
    """Outside a transaction Django's chunked reads use a WITH HOLD cursor that lives on one
    server connection; behind transaction pooling the next statement may run on another one
    (here: another client holds the first). DATABASE_POOLING=transaction makes them plain
    reads. Inside a transaction, which keeps its server connection, the audience freeze still
    streams through a server-side cursor."""
    make_contacts_in_bulk(30)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", READ_IN_CHUNKS],
        cwd=ROOT,
        env=child_env(
            DATABASE_URL=pooled_url, DATABASE_POOLING="transaction", POOLED_DSN=pooled_url
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts == {"iterated": 30, "streamed": 30, "cursors": 1}


def test_a_worker_behind_transaction_pooling_freezes_and_sends_a_campaign(
    pooled_url, tmp_path, settings
):
    settings.CAMPAIGN_FREEZE_IN_REQUEST_MAX = 10  # the worker freezes, through PgBouncer
    with running_simulator("sim-token") as (url, outbox):
        env = worker_env(
            url, DATABASE_URL=pooled_url, DATABASE_POOLING="transaction", CAMPAIGN_BATCH_SIZE="25"
        )
        worker = start_worker(
            name="pooled", concurrency=2, extra_env=env, log_path=tmp_path / "worker.log"
        )
        try:
            campaign = make_campaign(people=make_contacts_in_bulk(200))
            campaigns.submit(campaign, acting_user=campaign.created_by)
            campaign = campaigns.approve(campaign, acting_user=approver())
            assert campaign.status == CampaignStatus.APPROVING

            def frozen() -> bool:
                campaign.refresh_from_db()
                return campaign.status == CampaignStatus.APPROVED

            wait_until(frozen, timeout=300, every=0.5, what="the worker to freeze")
            assert Message.objects.filter(campaign=campaign).count() == 200
            campaigns.schedule(campaign, kind="now", acting_user=campaign.created_by)
            keep_dispatching(campaign, timeout=180, what="every message to be sent")
        finally:
            stop(worker)
        counts = received_ids(outbox)
    log = (tmp_path / "worker.log").read_text()
    assert "Traceback" not in log, log
    assert len(counts) == 200
    assert set(counts.values()) == {1}
    assert_each_sent_message_received_once(campaign, outbox)
    assert not Message.objects.filter(campaign=campaign).exclude(status=MessageStatus.SENT)
