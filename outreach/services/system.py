"""Health of the background workers."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from outreach.models import WorkerHeartbeat

# Keep the table small: a heartbeat a minute for a day is plenty to see a pattern.
KEEP_FOR = timedelta(days=1)


def record_worker_heartbeat(*, requested_by_pid: int | None = None) -> WorkerHeartbeat:
    """Called inside a worker process: note that this worker is alive."""
    beat = WorkerHeartbeat.objects.create(
        hostname=socket.gethostname(), pid=os.getpid(), requested_by_pid=requested_by_pid
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - KEEP_FOR).delete()
    return beat


def request_worker_check() -> None:
    """Called from a web request: ask a worker to answer. Enqueued only after commit."""
    from outreach.tasks import record_worker_heartbeat as task

    pid = os.getpid()
    transaction.on_commit(lambda: task.delay(requested_by_pid=pid))


def last_heartbeat() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-seen_at").first()
