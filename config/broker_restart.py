"""Workers survive a restart of the Redis broker: a workaround for a Celery/kombu bug.

What goes wrong (Celery 5.7.0, kombu 5.7.0): when a worker loses the broker, its consumer calls
``Connection.collect()``, which detaches the kombu transport (``transport.client = None``), and
then ``Connection.close()`` (added upstream by celery/celery#10242, "close the broken connection",
for GH-9705). Closing the default channel restores its unacknowledged messages (acks-late tasks
still running), and kombu's Redis channel rebuilds its connection pool from the detached
transport: ``AttributeError: 'NoneType' object has no attribute 'hostname'`` in
``Channel._connparams``, the failure reported in celery/kombu#582. An AttributeError is not a
connection error, so the worker stops with "Unrecoverable error" instead of reconnecting.
The same detached channel later breaks the acknowledgement of the task that was running.

The workaround, two small pieces, both limited to the Redis transport:

* ``_connparams`` remembers the parameters a channel connected with and uses them once the
  transport is detached; without them it raises a connection error, which the consumer ignores
  while it reconnects. The closing channel can then restore what it must, and a task that was
  running during the outage is acknowledged normally when it finishes.
* ``Consumer`` (``CELERY_WORKER_CONSUMER``) keeps the messages of tasks that are still running out
  of that restore: they are acknowledged when they finish, so they run once. If the worker dies
  first, they stay in Redis's unacknowledged set and the visibility timeout hands them to another
  worker. Reserved messages that had not started are restored as before.

Remove this module when a Celery release no longer reproduces
tests/integration/test_broker_restart.py without it.
"""

from __future__ import annotations

import logging

from celery.worker import state
from celery.worker.consumer import Consumer as CeleryConsumer
from kombu.transport import redis as kombu_redis

logger = logging.getLogger(__name__)

_original_connparams = kombu_redis.Channel._connparams


def _connparams(self, asynchronous: bool = False) -> dict:
    transport = self.connection
    if transport is not None and transport.client is not None:
        params = _original_connparams(self, asynchronous)
        if not asynchronous:
            self._liaison_connparams = dict(params)
        return params
    saved = getattr(self, "_liaison_connparams", None)
    if saved is None or asynchronous:
        import redis

        raise redis.exceptions.ConnectionError("the broker connection was closed")
    return dict(saved)


kombu_redis.Channel._connparams = _connparams


class Consumer(CeleryConsumer):
    """Celery's consumer; on losing the broker, running tasks' messages are not restored."""

    def on_connection_error_after_connected(self, exc):
        for request in tuple(state.active_requests):
            message = request.message
            channel = getattr(message, "channel", None)
            qos = getattr(channel, "_qos", None)
            if (
                request.task.acks_late
                and not request.acknowledged
                and isinstance(qos, kombu_redis.QoS)
            ):
                # Still running: its acknowledgement will remove it from Redis's unacked set.
                qos._delivered.pop(message.delivery_tag, None)
        super().on_connection_error_after_connected(exc)
