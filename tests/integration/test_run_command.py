"""The README's run command, exactly as a newcomer types it, on embedded defaults."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time

import pytest
import requests
from django.conf import settings

from tests.support import ROOT, free_port, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _log_in(session: requests.Session, base: str, username: str, password: str) -> None:
    page = session.get(f"{base}/admin/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Referer": f"{base}/admin/login/"},
        timeout=10,
    )
    assert answer.url.rstrip("/").endswith("/admin"), "login did not reach the dashboard"


def test_make_run_serves_admin_and_site_and_runs_tasks_in_a_worker(tmp_path):
    port, outbox_port = free_port(), free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(LIAISON_DATA_DIR=str(tmp_path), PORT=str(port), OUTBOX_PORT=str(outbox_port))
    log_path = tmp_path / "run.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            ["make", "run"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://localhost:{port}"
    try:
        wait_until(
            lambda: "Liaison is running" in log_path.read_text(errors="replace"),
            timeout=240,
            what="the run command to start",
        )
        output = log_path.read_text(errors="replace")
        username, password = re.search(r"Demo staff login: (\S+) / (\S+)", output).groups()
        for code, _name in settings.LANGUAGES:
            assert f"{base}/{code}/" in output, f"the public URL for {code} is not printed"
        assert f"{base}/admin/" in output

        wait_until(
            lambda: requests.get(f"{base}/admin/login/", timeout=5).status_code == 200,
            timeout=60,
            what="the admin login page",
        )
        for code, _name in settings.LANGUAGES:
            page = requests.get(f"{base}/{code}/", timeout=10)
            assert page.status_code == 200, code
            assert f'<html lang="{code}"' in page.text, code

        session = requests.Session()
        session.headers["Accept-Language"] = "en"  # the admin otherwise defaults to Chinese
        _log_in(session, base, username, password)
        dashboard = session.get(f"{base}/admin/", timeout=10)
        outbox_url = f"http://127.0.0.1:{outbox_port}/"
        assert outbox_url in dashboard.text, "the admin menu does not link the outbox"
        assert "Outbox" in requests.get(outbox_url, timeout=10).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', dashboard.text).group(1)
        asked = session.post(
            f"{base}/admin/system/worker-check/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}/admin/"},
            timeout=10,
        )
        assert asked.status_code == 200

        def answered():
            with sqlite3.connect(tmp_path / "liaison.sqlite3") as db:
                return db.execute(
                    "SELECT pid, requested_by_pid FROM outreach_workerheartbeat "
                    "WHERE requested_by_pid IS NOT NULL"
                ).fetchone()

        worker_pid, web_pid = wait_until(answered, timeout=60, what="the worker to run the task")
        assert worker_pid != web_pid, "the task ran inside the web process, not in the worker"
        # The admin speaks the office's language (LIAISON_ADMIN_LANGUAGE, zh-hans by default).
        dashboard = session.get(f"{base}/admin/", timeout=10).text
        assert "后台任务进程最近一次响应于" in dashboard
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's group
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    assert "Liaison stopped." in log_path.read_text(errors="replace")
    time.sleep(0.5)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base}/admin/login/", timeout=3)
    leftover = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True)
    assert leftover.stdout.strip() == "", "processes were left running after Ctrl-C"
