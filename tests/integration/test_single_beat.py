"""However many Celery beats are started, one sends the periodic tasks: real `celery beat`
processes against a Redis of this test's own (see config/single_beat.py)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from tests.support import ROOT, child_env, free_port, start_redis, stop, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("redis-server") is None,
        reason="needs redis-server of its own (.ci/services.sh installs it)",
    ),
]

LOCK = "liaison-beat:lock"
SENDING = "Scheduler: Sending due task"


def start_beat(broker_url: str, log_path: Path, **extra: str) -> subprocess.Popen:
    env = child_env(
        REDIS_URL=broker_url,
        CELERY_BROKER_URL=broker_url,
        BEAT_LOOP_SECONDS="1",
        BEAT_LOCK_SECONDS="4",
        CAMPAIGN_DISPATCH_INTERVAL="1",  # something to send every second
        **extra,
    )
    with open(log_path, "wb") as log:  # the child keeps its own copy
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "INFO"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def sent_by(log_path: Path) -> int:
    return log_path.read_text(errors="replace").count(SENDING)


def test_a_second_beat_stands_by_says_so_and_takes_over_when_the_first_dies(tmp_path):
    data_dir = tmp_path / "redis"
    data_dir.mkdir()
    port = free_port()
    broker_url = f"redis://127.0.0.1:{port}/0"
    redis_proc = start_redis(port, data_dir)
    client = redis.Redis(port=port)
    first_log, second_log = tmp_path / "beat1.log", tmp_path / "beat2.log"
    first = second = None
    try:
        first = start_beat(broker_url, first_log)
        wait_until(lambda: SENDING in first_log.read_text(), timeout=60, what="first beat sends")
        holder = client.get(LOCK)
        assert holder is not None

        second = start_beat(broker_url, second_log)
        wait_until(
            lambda: "another Celery beat is running" in second_log.read_text(),
            timeout=60,
            what="the second beat's standby message",
        )
        # The first keeps its lock and keeps sending (the worker heartbeat, due at start, and
        # the campaign dispatch every CAMPAIGN_DISPATCH_INTERVAL seconds); the second sends none.
        before = sent_by(first_log)
        wait_until(lambda: sent_by(first_log) > before, timeout=60, what="first beat sends more")
        assert client.get(LOCK) == holder
        assert sent_by(second_log) == 0

        # The first dies without releasing its lock: the second takes over once it lapses.
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        wait_until(lambda: sent_by(second_log) > 0, timeout=60, what="the second beat sends")
        assert "beat: Acquired lock" in second_log.read_text()
        assert client.get(LOCK) not in (None, holder)

        # Stopped properly, a beat releases its lock at once.
        stop(second)
        assert client.get(LOCK) is None
        assert not re.search(r"Traceback|ERROR", second_log.read_text())
    finally:
        for proc in (first, second):
            if proc is not None:
                stop(proc)
        client.close()
        stop(redis_proc)
