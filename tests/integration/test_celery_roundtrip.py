"""A task goes through the configured broker (Redis in CI) to a real worker process and back
into the database (PostgreSQL in CI)."""

import os

import pytest

from outreach.models import WorkerHeartbeat
from outreach.tasks import record_worker_heartbeat
from tests.support import start_worker, stop, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_task_round_trip_through_a_real_worker_process(tmp_path):
    worker = start_worker(log_path=tmp_path / "worker.log")
    try:
        record_worker_heartbeat.delay(requested_by_pid=os.getpid())
        beat = wait_until(
            lambda: WorkerHeartbeat.objects.filter(requested_by_pid=os.getpid()).first(),
            timeout=60,
            what="the worker to record its heartbeat",
        )
        assert beat.pid != os.getpid()
        assert beat.pid > 0
    finally:
        assert stop(worker) == 0, (tmp_path / "worker.log").read_text()
