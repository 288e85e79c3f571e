"""One Celery beat in the whole deployment, however many are started.

With Redis as the broker, beat runs RedBeat's scheduler (``CELERY_BEAT_SCHEDULER``): the beat
that holds the lock ``liaison-beat::lock`` in the broker's Redis sends the periodic tasks and
renews the lock on every loop (at least every ``BEAT_LOOP_SECONDS``); it releases it when it
stops. Any other beat waits for the lock without sending anything (standby) and takes over when
the lock is released, or has lapsed ``BEAT_LOCK_SECONDS`` after its holder died. RedBeat itself
logs the wait only at debug level; this module says it at warning level, once, as the standby
beat starts, so that an operator who started a second beat by mistake sees why it is idle.

Without Redis (the embedded development mode, one machine) beat keeps its schedule in a file
and has no lock: ``make run`` starts exactly one."""

from __future__ import annotations

import logging

from celery.signals import beat_init

logger = logging.getLogger("liaison.beat")


def name_redbeat_settings(sender=None, source=None, **kwargs) -> None:
    """Connected to the app's ``on_after_configure``. RedBeat asks whether its Redis settings
    were given by their bare names (``redbeat_redis_url``), which the ``CELERY_`` namespace of
    the Django settings hides; without them it falls back to the broker's transport options (a
    visibility timeout is no Redis client option) and logs a deprecation warning."""
    names = ("redbeat_redis_url", "redbeat_redis_options")
    given = {n: source.get(f"CELERY_{n.upper()}") for n in names}
    source.update({n: v for n, v in given.items() if v is not None})


def lock_holder(scheduler) -> bytes | None:
    """The token under which another beat holds the lock, or None when the lock is free."""
    from redbeat.schedulers import get_redis

    return get_redis(scheduler.app).get(scheduler.lock_key)


@beat_init.connect
def announce_standby(sender=None, **kwargs) -> None:
    """Runs before RedBeat's own ``beat_init`` handler, which blocks until the lock is ours."""
    scheduler = getattr(sender, "scheduler", None)
    if not getattr(scheduler, "lock_key", None):
        return
    try:
        held = lock_holder(scheduler) is not None
    except Exception:  # Redis unreachable: RedBeat's own acquire waits for it and says so
        logger.exception("beat: cannot read the single-beat lock %s", scheduler.lock_key)
        return
    if held:
        logger.warning(
            "beat: another Celery beat is running (it holds the lock %s). This beat stands by "
            "and sends nothing; it takes over when that one stops, or %ss after it stopped "
            "renewing the lock. Only one beat may send the periodic tasks.",
            scheduler.lock_key,
            scheduler.lock_timeout,
        )
