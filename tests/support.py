"""Helpers for tests that start real processes: free ports, waiting, and the environment a child
process needs to share this test session's database and broker."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    check: Callable[[], object],
    *,
    timeout: float = 30.0,
    every: float = 0.2,
    what: str = "condition",
) -> object:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except Exception as exc:
            last_error = exc
        else:
            if result:
                return result
        time.sleep(every)
    raise AssertionError(
        f"timed out after {timeout}s waiting for {what} (last error: {last_error})"
    )


def wait_for_http(url: str, *, timeout: float = 60.0) -> requests.Response:
    return wait_until(
        lambda: (r := requests.get(url, timeout=5, allow_redirects=False)).status_code < 500 and r,
        timeout=timeout,
        what=url,
    )


def clean_env(*drop: str) -> dict[str, str]:
    """This process's environment without what the test process sets for itself only."""
    removed = {"DJANGO_ALLOW_ASYNC_UNSAFE", *drop}
    return {k: v for k, v in os.environ.items() if k not in removed}


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a worker process that must use this test session's database."""
    env = clean_env()
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    env["LIAISON_DATA_DIR"] = str(settings.DATA_DIR)
    env.update(extra)
    return env


def start_redis(port: int, data_dir: Path, *, persistent: bool = False) -> subprocess.Popen:
    """A redis-server of this test's own on loopback (``persistent``: append-only file in
    ``data_dir``, so that a restart keeps the data, as a production Redis does)."""
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "yes" if persistent else "no",
            "--dir",
            str(data_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_until(
        lambda: (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            == "PONG"
        ),
        timeout=20,
        what="redis-server",
    )
    return proc


def start_pgbouncer(
    port: int, workdir: Path, *, pool_mode: str = "transaction"
) -> subprocess.Popen:
    """Debian's PgBouncer on loopback in front of this session's PostgreSQL, in ``pool_mode``."""
    db = connection.settings_dict
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "userlist.txt").write_text(f'"{db["USER"]}" "{db["PASSWORD"]}"\n')
    (workdir / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = md5\nauth_file = {workdir / 'userlist.txt'}\n"
        f"pool_mode = {pool_mode}\ndefault_pool_size = 4\n"
        "max_client_conn = 200\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
    )
    command = ["/usr/sbin/pgbouncer", str(workdir / "pgbouncer.ini")]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root
        import shutil

        for path in (workdir, *workdir.iterdir()):
            shutil.chown(path, "postgres")
        workdir.chmod(0o755)
        command[1:1] = ["-u", "postgres"]
    with open(workdir / "pgbouncer.log", "wb") as log:  # the child keeps its own copy
        proc = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def answers() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True

    wait_until(answers, timeout=20, what="pgbouncer")
    return proc


def start_worker(
    *,
    concurrency: int = 1,
    name: str = "test",
    extra_env: dict | None = None,
    log_path: Path | None = None,
    log_level: str = "WARNING",
) -> subprocess.Popen:
    """A real `celery worker` process on this session's database and broker."""
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        [
            str(Path(os.sys.executable)),
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-l",
            log_level,
            "--concurrency",
            str(concurrency),
            "-n",
            f"{name}-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=child_env(**(extra_env or {})),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if log_path:
        log.close()  # the child holds its own copy
    return proc


def stop(proc: subprocess.Popen, *, timeout: float = 20.0) -> int:
    import signal

    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode


@contextlib.contextmanager
def running_simulator(server_token: str):
    """The ESP simulator on a free loopback port in a thread: yields (base URL, outbox)."""
    from devtools.esp_simulator.server import serve

    port = free_port()
    httpd, outbox = serve("127.0.0.1", port, server_token=server_token)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/", outbox
    finally:
        httpd.shutdown()
        httpd.server_close()
        outbox.close()
