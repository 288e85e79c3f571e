"""The global send-rate limit, shared by every worker process on every machine (per ESP account).

A token bucket: ``CAMPAIGN_SEND_RATE`` messages per second, bursts up to one second's worth.
With Redis (``REDIS_URL``) the bucket is one hash updated atomically by a Lua script; without it
(embedded mode), or while Redis does not answer, the bucket is a database row updated under a row
lock. A rate of 0 means no limit.

Senders claim rows first and then take tokens for the rows they hold (never for rows they might
find), and give back the tokens of claimed rows they did not hand to the ESP, so idle or stopped
senders leave the budget to those with work."""

from __future__ import annotations

import logging
import time
from functools import cache

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or t
tokens = math.min(burst, tokens + math.max(0, t - ts) * rate)
local granted = math.min(want, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(t))
redis.call('EXPIRE', KEYS[1], 3600)
return granted
"""


_GIVE_BACK = """
local burst = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
if tokens == nil then return 0 end
redis.call('HSET', KEYS[1], 'tokens', tostring(math.min(burst, tokens + n)))
return 1
"""


def bucket_key() -> str:
    return f"liaison:send-rate:{(settings.ESP or 'default').lower()}"


@cache
def _redis_script(source: str):
    import redis

    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30
    )
    return client.register_script(source)


def _take_redis(want: int, rate: float, burst: float) -> int:
    return int(_redis_script(_TAKE)(keys=[bucket_key()], args=[rate, burst, want]))


def _take_database(want: int, rate: float, burst: float) -> int:
    from outreach.models import SendRateBucket

    now = time.time()
    with transaction.atomic():
        bucket, _created = SendRateBucket.objects.select_for_update().get_or_create(
            key=bucket_key(), defaults={"tokens": burst, "updated": now}
        )
        tokens = min(burst, bucket.tokens + max(0.0, now - bucket.updated) * rate)
        granted = int(min(want, tokens))
        SendRateBucket.objects.filter(key=bucket.key).update(tokens=tokens - granted, updated=now)
    return granted


def _burst(rate: float) -> float:
    return max(rate, 1.0)


def most_at_once(size: int) -> int:
    """How many rows a sender should claim at once: no more than one full bucket, the most a
    single ``acquire`` grants."""
    rate = float(settings.CAMPAIGN_SEND_RATE)
    return size if rate <= 0 else max(1, min(size, int(_burst(rate))))


def take(want: int) -> int:
    """Take up to ``want`` tokens now; return how many were granted (maybe 0)."""
    rate = float(settings.CAMPAIGN_SEND_RATE)
    if rate <= 0:
        return want
    burst = _burst(rate)
    if settings.REDIS_URL:
        try:
            return _take_redis(want, rate, burst)
        except Exception as exc:  # Redis restarting or unreachable: keep limiting, in the DB
            logger.warning("send-rate limiter: Redis unavailable (%s), using the database", exc)
    return _take_database(want, rate, burst)


def acquire(want: int, *, timeout: float = 60.0) -> int:
    """Wait until ``want`` tokens are taken (or ``timeout`` passes); return how many were taken."""
    rate = float(settings.CAMPAIGN_SEND_RATE)
    if rate <= 0 or want <= 0:
        return want
    want = min(want, max(1, int(_burst(rate))))  # never ask for more than a full bucket
    taken = 0
    deadline = time.monotonic() + timeout
    while taken < want:
        taken += take(want - taken)
        if taken >= want or time.monotonic() > deadline:
            break
        time.sleep(min(1.0, max(0.005, (want - taken) / rate)))
    return taken


def give_back(count: int) -> None:
    """Return ``count`` tokens that were taken but not used (rows claimed and then not handed to
    the ESP), up to a full bucket."""
    rate = float(settings.CAMPAIGN_SEND_RATE)
    if rate <= 0 or count <= 0:
        return
    burst = _burst(rate)
    if settings.REDIS_URL:
        try:
            _redis_script(_GIVE_BACK)(keys=[bucket_key()], args=[burst, count])
            return
        except Exception as exc:  # Redis restarting: the database bucket is the one in use
            logger.warning("send-rate limiter: Redis unavailable (%s), using the database", exc)
    from django.db.models import F
    from django.db.models.functions import Least

    from outreach.models import SendRateBucket

    SendRateBucket.objects.filter(key=bucket_key()).update(tokens=Least(F("tokens") + count, burst))
