"""Public site throughput and latency, against a bare `wagtail start` site measured in the same run.

    .venv/bin/python bench/site_bench.py [--seconds 6] [--workers 2]

What it does, all on this machine and bounded in time (8 runs of --seconds each):
1. Generates a bare Wagtail project with `wagtail start` in a temporary directory, migrates it
   (SQLite) and serves its default home page with gunicorn.
2. Prepares Liaison in a temporary data directory (migrate + demo content; SQLite unless
   DATABASE_URL is set, file cache unless REDIS_URL is set) and serves it with the same gunicorn
   settings, first with the page cache on, then with it off (PAGE_CACHE_SECONDS=0).
3. Drives each with `wrk` (Debian package) or, if wrk is missing, a small Python load generator,
   and prints requests/s, p50/p95/p99 latency and the ratios to the bare site.

Targets (issue 5): event page and news index from cache >= 1,000 requests/s; uncached p95 <= 60 ms.
The numbers are printed, never asserted: they depend on the machine and its other load.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), errors))
end
"""


@dataclass
class Result:
    label: str
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    connections: int

    def line(self) -> str:
        return (
            f"{self.label:<44} {self.requests_per_second:>9.0f} req/s   p50 {self.p50_ms:6.1f} ms"
            f"   p95 {self.p95_ms:6.1f} ms   p99 {self.p99_ms:6.1f} ms   c={self.connections}"
            f"{'   ERRORS ' + str(self.errors) if self.errors else ''}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], *, cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


class Server:
    """gunicorn in its own process group; stopped (group and all) on exit."""

    def __init__(self, app: str, *, cwd: Path, env: dict[str, str], workers: int, threads: int):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                app,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--log-level",
                "warning",
            ],
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def measure(label: str, url: str, *, seconds: int, connections: int, script: Path | None) -> Result:
    # Warm up (fills the page cache, loads templates, opens database connections).
    for _ in range(20):
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            response.read()
    if script is not None:
        output = subprocess.run(
            [
                "wrk",
                "-t",
                str(min(2, connections)),  # wrk needs a connection per thread
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "-s",
                str(script),
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        line = next(row for row in output.splitlines() if row.startswith("RESULT "))
        requests, duration_us, p50, p95, p99, errors = (int(v) for v in line.split()[1:])
        return Result(
            label,
            requests / (duration_us / 1e6),
            p50 / 1e3,
            p95 / 1e3,
            p99 / 1e3,
            errors,
            connections,
        )
    return python_load(label, url, seconds=seconds, connections=connections)


def python_load(label: str, url: str, *, seconds: int, connections: int) -> Result:
    """Fallback when wrk is not installed: keep-alive HTTP/1.1 clients in threads."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine: list[float] = []
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors += 1
            except OSError:
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return Result(
        label + " (python client)",
        len(latencies) / elapsed,
        cuts[49] * 1e3,
        cuts[94] * 1e3,
        cuts[98] * 1e3,
        errors,
        connections,
    )


def prepare_bare_wagtail(tmp: Path) -> tuple[Path, dict[str, str]]:
    project_dir = tmp / "bare"
    project_dir.mkdir()
    run([str(BIN / "wagtail"), "start", "barebench", str(project_dir)], cwd=tmp, env=os.environ)
    (project_dir / "barebench" / "settings" / "local.py").write_text(
        "DEBUG = False\nALLOWED_HOSTS = ['127.0.0.1', 'localhost']\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "barebench.settings.dev"
    env["PYTHONPATH"] = str(project_dir)
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=project_dir, env=env)
    return project_dir, env


def prepare_liaison(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "0",
            "LIAISON_DATA_DIR": str(tmp / "liaison"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env)
    run([PYTHON, "manage.py", "load_demo_data"], cwd=ROOT, env=env)
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=6, help="load per measurement (max 15)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16, help="for throughput")
    parser.add_argument(
        "--latency-connections",
        type=int,
        default=1,
        help="for uncached p95: one visitor at a time, so the figure is the page's own latency",
    )
    parser.add_argument(
        "--loaded-connections", type=int, default=4, help="uncached again, under this load"
    )
    args = parser.parse_args()
    seconds = max(1, min(args.seconds, 15))

    with tempfile.TemporaryDirectory(prefix="liaison-bench-") as tmp_name:
        tmp = Path(tmp_name)
        script = None
        if shutil.which("wrk"):
            script = tmp / "report.lua"
            script.write_text(WRK_SCRIPT)
        print(
            f"Load generator: {'wrk' if script else 'python threads'}; gunicorn "
            f"{args.workers} workers x {args.threads} threads (gthread); {seconds} s per run",
            flush=True,
        )
        print("Preparing a bare `wagtail start` site ...", flush=True)
        bare_dir, bare_env = prepare_bare_wagtail(tmp)
        print("Preparing Liaison with its demo content ...", flush=True)
        liaison_env = prepare_liaison(tmp)

        results: dict[str, Result] = {}
        server_args = {"workers": args.workers, "threads": args.threads}
        with Server("barebench.wsgi", cwd=bare_dir, env=bare_env, **server_args) as bare:
            wait_for(bare.base + "/")
            for conns in (args.connections, args.latency_connections, args.loaded_connections):
                results[f"bare-{conns}"] = measure(
                    "bare wagtail start: home page",
                    bare.base + "/",
                    seconds=seconds,
                    connections=conns,
                    script=script,
                )

        cached_env = dict(liaison_env, PAGE_CACHE_SECONDS="600")
        with Server("config.wsgi", cwd=ROOT, env=cached_env, **server_args) as site:
            wait_for(site.base + "/en/")
            for name, path in (("event", "/en/events/wsmc/"), ("news", "/en/news/")):
                results[f"cached-{name}"] = measure(
                    f"Liaison {path} from cache",
                    site.base + path,
                    seconds=seconds,
                    connections=args.connections,
                    script=script,
                )

        uncached_env = dict(liaison_env, PAGE_CACHE_SECONDS="0")
        with Server("config.wsgi", cwd=ROOT, env=uncached_env, **server_args) as site:
            wait_for(site.base + "/en/")
            for name, path in (("event", "/en/events/wsmc/"), ("news", "/en/news/")):
                for suffix, conns in (
                    ("", args.latency_connections),
                    ("-loaded", args.loaded_connections),
                ):
                    results[f"uncached-{name}{suffix}"] = measure(
                        f"Liaison {path} uncached",
                        site.base + path,
                        seconds=seconds,
                        connections=conns,
                        script=script,
                    )

    print()
    for result in results.values():
        print(result.line())
    bare = results[f"bare-{args.connections}"]
    bare_latency = results[f"bare-{args.latency_connections}"]
    print()
    for name in ("event", "news"):
        cached = results[f"cached-{name}"]
        uncached = results[f"uncached-{name}"]
        verdict_cached = "ok" if cached.requests_per_second >= 1000 else "BELOW TARGET"
        verdict_uncached = "ok" if uncached.p95_ms <= 60 else "ABOVE TARGET"
        print(
            f"{name:>5}: cached {cached.requests_per_second:.0f} req/s = "
            f"{cached.requests_per_second / bare.requests_per_second:.2f}x the bare Wagtail home "
            f"page (target >= 1000 req/s: {verdict_cached}); uncached p95 {uncached.p95_ms:.1f} ms"
            f" = {uncached.p95_ms / bare_latency.p95_ms:.2f}x the bare site's p95 at "
            f"c={args.latency_connections} (target <= 60 ms: {verdict_uncached})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
