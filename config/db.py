"""Database access that must also work behind a connection pooler (PgBouncer).

With PgBouncer in *transaction* pooling mode (``DATABASE_POOLING=transaction``) each transaction
may run on another server connection, so nothing may outlive a transaction on the server:
Django's server-side cursors outside a transaction (``DECLARE ... WITH HOLD``, used by
``QuerySet.iterator()`` in autocommit mode) are turned off with Django's own
``DISABLE_SERVER_SIDE_CURSORS``; session ``SET``s, advisory locks, ``LISTEN`` and prepared
statements are not used (Django's psycopg 3 backend prepares none by default). Inside a
transaction the server connection is fixed, so a server-side cursor is safe there, and
:func:`stream` keeps using one where memory matters."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connections
from django.db.models import QuerySet


def stream(queryset: QuerySet, *, chunk_size: int) -> Iterator:
    """The queryset's rows, ``chunk_size`` at a time, never all in memory.

    Inside a transaction on PostgreSQL this reads through a server-side cursor (``DECLARE``
    without ``HOLD``, closed with the transaction) even when ``DISABLE_SERVER_SIDE_CURSORS`` is
    set for a transaction-pooling PgBouncer: a transaction keeps its server connection, so the
    cursor cannot land on another one. Anywhere else it is ``QuerySet.iterator()``."""
    connection = connections[queryset.db]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        yield from queryset._iterable_class(queryset, chunked_fetch=True, chunk_size=chunk_size)
    else:
        yield from queryset.iterator(chunk_size=chunk_size)
