"""`make run`: prepare the database, then run the web server, a Celery worker, Celery beat and
(when no real ESP is configured) the ESP simulator that serves as the development outbox.

Every process is started in its own process group; Ctrl-C (or SIGTERM) stops them all, and if one
of them dies the others are stopped too, so nothing is left running behind the user's back.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    env.setdefault("PYTHONUNBUFFERED", "1")
    host = env.get("HOST", "127.0.0.1")
    port = env.get("PORT", "8000")
    env.setdefault("SITE_URL", f"http://{'localhost' if host == '127.0.0.1' else host}:{port}")
    outbox_port = env.get("OUTBOX_PORT", "8025")
    use_simulator = not env.get("ESP")
    if use_simulator:
        env.setdefault("OUTBOX_URL", f"http://127.0.0.1:{outbox_port}/")
        # The outbox posts tracking webhooks back (delivered, opened, clicked, a few bounces),
        # authenticated like a real ESP's, so the campaign funnel moves in the demo.
        env.setdefault("ANYMAIL_WEBHOOK_SECRET", f"outbox:{secrets.token_urlsafe(16)}")

    data_dir = Path(env.get("LIAISON_DATA_DIR", ROOT / "var"))
    data_dir.mkdir(parents=True, exist_ok=True)
    env["LIAISON_DATA_DIR"] = str(data_dir)

    print("Preparing the database ...", flush=True)
    manage("migrate", "--no-input", "-v", "0", env=env)
    manage("load_demo_data", "--if-empty", env=env)
    manage("ensure_site", env=env)
    manage("ensure_demo_staff", env=env)

    commands: dict[str, list[str]] = {}
    webhook_user, _sep, webhook_password = env.get("ANYMAIL_WEBHOOK_SECRET", "").partition(":")
    if use_simulator:
        commands["outbox"] = [
            PYTHON,
            "-m",
            "devtools.esp_simulator",
            "--port",
            outbox_port,
            "--journal",
            str(data_dir / "outbox.jsonl"),
            "--webhook-url",
            f"http://{host}:{port}/anymail/postmark/tracking/",
            "--webhook-user",
            webhook_user,
            "--webhook-password",
            webhook_password,
            *("--rate-bounce", "0.02", "--rate-soft-bounce", "0.03", "--rate-complaint", "0.005"),
            *("--rate-open", "0.6", "--rate-click", "0.3"),
        ]
    commands["web"] = [PYTHON, "manage.py", "runserver", f"{host}:{port}", "--noreload"]
    commands["worker"] = [
        PYTHON,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "-l",
        "INFO",
        "--concurrency",
        env.get("WORKER_CONCURRENCY", "2"),
        "-n",
        "worker@%h",
    ]
    commands["beat"] = [PYTHON, "-m", "celery", "-A", "config", "beat", "-l", "INFO"]

    procs: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop_all(*_args: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop_all)
    signal.signal(signal.SIGTERM, stop_all)

    for name, cmd in commands.items():
        procs[name] = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)

    base = env["SITE_URL"]
    languages = [
        code.strip()
        for code in env.get("LIAISON_LANGUAGES", "zh-hans,en,de,ja,ru,ar").split(",")
        if code.strip()
    ]
    print("\nLiaison is running. Ctrl-C stops everything.", flush=True)
    print(f"  Staff admin:   {base}/admin/", flush=True)
    for code in languages:
        print(f"  Public site:   {base}/{code}/", flush=True)
    if use_simulator:
        print(f"  Outbox:        {env['OUTBOX_URL']}", flush=True)
    print(f"  (login printed above; also in {data_dir / 'demo-login.txt'})\n", flush=True)

    exit_code = 0
    try:
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    print(
                        f"{name} stopped (exit {proc.returncode}); stopping the rest.", flush=True
                    )
                    exit_code = 1
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        print("Liaison stopped.", flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
