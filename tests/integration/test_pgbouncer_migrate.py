"""``manage.py migrate`` through PgBouncer in transaction pooling mode, on an empty database:
every migration (Django's, Wagtail's, wagtail-localize's, ours) and every post-migrate step
(roles, the site's pages) runs with each transaction on whichever server connection the pool
gives it."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest
from django.db import connection

from tests.support import ROOT, child_env, free_port, start_pgbouncer, stop

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PgBouncer pools PostgreSQL connections; CI runs this on PostgreSQL",
    ),
]


def admin_dsn() -> str:
    db = connection.settings_dict
    return (
        f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} "
        f"password={db['PASSWORD']} dbname=postgres"
    )


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_pooled_migrate"
    with psycopg.connect(admin_dsn(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin_dsn(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str, url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=child_env(DATABASE_URL=url, DATABASE_POOLING="transaction"),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_migrate_runs_through_transaction_pooling_on_an_empty_database(empty_database, tmp_path):
    db = connection.settings_dict
    port = free_port()
    pgbouncer = start_pgbouncer(port, tmp_path / "pgbouncer")
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{port}/{empty_database}"
    try:
        migrated = manage("migrate", "--noinput", url=url)
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        # Nothing left to apply, and the database answers through the pool.
        check = manage("migrate", "--check", url=url)
        assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
    finally:
        stop(pgbouncer)
    with psycopg.connect(admin_dsn().replace("dbname=postgres", f"dbname={empty_database}")) as c:
        roles = {r for (r,) in c.execute("SELECT name FROM auth_group")}
        pages = c.execute("SELECT count(*) FROM wagtailcore_page").fetchone()[0]
    assert roles  # the post-migrate step created the staff roles
    assert pages >= 1
