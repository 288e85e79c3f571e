"""Bulk writes through PostgreSQL's COPY (psycopg's `cursor.copy`), for the import's new rows.

COPY skips what makes `bulk_create` slow at import sizes (a model instance per row, every value
prepared by its field, one huge INSERT statement built and parsed per batch): rows are tuples of
database-ready values (str, int, bool, datetime, None; JSON written as text) streamed to the
server. Constraints and foreign keys are checked as for an INSERT; a violation raises Django's
IntegrityError (the import retries its chunk). Other databases (SQLite in development) get a
plain executemany with the same rows, so callers write one code path.

Ids: `reserve_ids` takes N values of the table's id sequence in one query, so a caller knows
its new rows' ids before writing them (COPY returns nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(model: type[Model], names: Sequence[str]) -> list[str]:
    """Column names of `names` (field names or attnames: "person" and "person_id" alike)."""
    return [model._meta.get_field(name).column for name in names]


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` new primary keys of `model`, in increasing order."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        pk = connection.ops.quote_name(model._meta.pk.column)
        # Names from the model's metadata, never from input.
        cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {_table(model)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def copy_rows(model: type[Model], names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write `rows` (one value per name in `names`) into `model`'s table; returns the count."""
    columns = _columns(model, names)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            rows = list(rows)
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {_table(model)} ({quoted}) VALUES ({placeholders})",  # noqa: S608
                rows,
            )
            return len(rows)
        statement = f"COPY {_table(model)} ({quoted}) FROM STDIN"
        with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count
