"""ESP tracking events: recorded once, then applied to the messages with a status precedence.

The webhook view (anymail's, for whichever ESP is configured) fires anymail's ``tracking``
signal; our receiver only inserts ``TrackingEvent`` rows (``ignore_conflicts`` on ESP + event id,
so a replay changes nothing) and asks a worker to apply them. Applying is idempotent and
independent of arrival order: each timestamp keeps its earliest value and the delivery status
only ever moves up the precedence (a hard bounce is never overwritten by a later "delivered";
a soft bounce is, because the ESP kept trying and got through).
Hard bounces of a bad address, complaints and unsubscribes go on the suppression list; the
circuit breaker pauses a campaign whose complaint or hard-bounce rate passes its threshold.

Hard or soft: anymail normalises every ESP's reports to ``bounced`` / ``rejected`` (permanent)
and ``deferred`` (temporary). Where an ESP's own payload says more (Postmark's bounce ``Type``,
Resend's ``bounce.type``), its module under ``outreach/esp/`` decides (``failure_of``). For the
others: ``bounced`` is hard (suppressed when reject_reason is ``bounced``), ``rejected`` is hard
(suppressed when reject_reason is ``invalid`` or ``bounced``), ``deferred`` is soft."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterable
from functools import lru_cache

from anymail.signals import AnymailTrackingEvent, EventType
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from outreach import esp as esps
from outreach.esp import HARD, HARD_BAD_ADDRESS, SOFT, UNDECIDED, Failure
from outreach.models import (
    DELIVERY_PRECEDENCE,
    Campaign,
    CampaignStatus,
    DeliveryStatus,
    Message,
    SuppressionReason,
    TrackingEvent,
)

logger = logging.getLogger(__name__)

# anymail event type -> (our delivery status, the timestamp field it sets). Bounces, rejects and
# deferrals are classified per event (failure_of) into HARD_BOUNCE or SOFT_BOUNCE.
EVENT_EFFECTS: dict[str, tuple[str, str | None]] = {
    EventType.DELIVERED: (DeliveryStatus.DELIVERED, "delivered_at"),
    EventType.OPENED: (DeliveryStatus.OPENED, "opened_at"),
    EventType.CLICKED: (DeliveryStatus.CLICKED, "clicked_at"),
    EventType.UNSUBSCRIBED: (DeliveryStatus.UNSUBSCRIBED, "unsubscribed_at"),
    EventType.COMPLAINED: (DeliveryStatus.COMPLAINED, "complained_at"),
}
HARD_BOUNCE = (DeliveryStatus.BOUNCED, "bounced_at")
SOFT_BOUNCE = (DeliveryStatus.SOFT_BOUNCED, "soft_bounced_at")
# An open or click implies the message was delivered.
IMPLIES_DELIVERED = {EventType.OPENED, EventType.CLICKED, EventType.COMPLAINED}


FAILURE_EVENTS = {EventType.BOUNCED, EventType.REJECTED, EventType.DEFERRED}


def failure_of(esp: str, event_type: str, reject_reason: str, payload: dict) -> Failure | None:
    """Classify a stored event: a hard or soft delivery failure, or None for anything else."""
    if event_type not in FAILURE_EVENTS:
        return None
    esp_failure_of = getattr(esps.module_for(esp), "failure_of", None)
    if esp_failure_of is not None:
        failure = esp_failure_of(event_type, reject_reason, payload)
        if failure is not UNDECIDED:
            return failure
    if event_type == EventType.DEFERRED:
        return SOFT
    if event_type == EventType.BOUNCED:
        return HARD_BAD_ADDRESS if reject_reason == "bounced" else HARD
    return HARD_BAD_ADDRESS if reject_reason in ("invalid", "bounced") else HARD


def event_id_for(event: AnymailTrackingEvent) -> str:
    """The ESP's id where it has one (Postmark: bounces and complaints); else a digest of the
    raw payload, so the same payload posted twice is the same event."""
    if event.event_id:
        return str(event.event_id)[:100]
    raw = json.dumps(event.esp_event, sort_keys=True, default=str)
    return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()


_COLUMNS = (
    "esp",
    "event_id",
    "event_type",
    "esp_message_id",
    "message_public_id",
    "reject_reason",
    "occurred_at",
    "received_at",
    "payload",
    "error",
)


def _message_public_id(metadata: object) -> tuple[str, str]:
    """(the message's public id from the event's metadata, or "", and an error when the
    metadata is there but malformed). Only our own sends carry ``m``: a UUID."""
    raw = metadata.get("m") if isinstance(metadata, dict) else None
    if raw in (None, ""):
        return "", "" if isinstance(metadata, dict) or metadata is None else "metadata not a map"
    try:
        return str(uuid.UUID(str(raw))), ""
    except (ValueError, TypeError, AttributeError):
        return "", "metadata m is not a message id"


@lru_cache(maxsize=8)
def _insert_sql(row_count: int, vendor: str) -> str:
    """The statement for ``row_count`` rows, built once (a webhook stores one row per call)."""
    meta = TrackingEvent._meta
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    columns = ", ".join(quote(meta.get_field(name).column) for name in _COLUMNS)
    # Identifiers come from the model's meta, values are parameters.
    return (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES {', '.join([one] * row_count)} "
        f"ON CONFLICT ({quote('esp')}, {quote('event_id')}) DO NOTHING"
    )


def _insert_ignoring_duplicates(rows: list[TrackingEvent]) -> None:
    """One ``INSERT ... ON CONFLICT DO NOTHING`` statement, in autocommit: a single round trip
    per webhook call (bulk_create would add BEGIN/COMMIT). PostgreSQL and SQLite both speak it."""
    meta = TrackingEvent._meta
    fields = [meta.get_field(name) for name in _COLUMNS]
    sql = _insert_sql(len(rows), connection.vendor)
    params = [
        f.get_db_prep_save(getattr(row, f.attname), connection) for row in rows for f in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def record_events(esp_name: str, events: Iterable[AnymailTrackingEvent]) -> int:
    """Store events as received; duplicates are ignored. Returns how many were given."""
    now = timezone.now()
    rows = []
    for event in events:
        public_id, error = _message_public_id(event.metadata)
        rows.append(
            TrackingEvent(
                esp=esp_name.lower(),
                event_id=event_id_for(event),
                event_type=str(event.event_type or "unknown")[:20],
                esp_message_id=str(event.message_id or "")[:100],
                message_public_id=public_id,
                reject_reason=str(event.reject_reason or "")[:20],
                occurred_at=event.timestamp,
                received_at=now,
                payload=event.esp_event if isinstance(event.esp_event, dict) else {},
                error=error,
            )
        )
    if rows:
        try:
            _insert_ignoring_duplicates(rows)
        except (InterfaceError, OperationalError):
            # A persistent connection the database closed (restart, idle timeout): the webhook
            # path skips the health check, so reconnect once here. Safe to repeat: the insert
            # ignores an event already stored. Inside a transaction there is nothing to retry.
            if connection.in_atomic_block:
                raise
            connection.close()
            _insert_ignoring_duplicates(rows)
    return len(rows)


def apply_pending_events(*, limit: int = 2000) -> int:
    """Apply up to ``limit`` unapplied events; returns how many were applied. Safe to run in
    several workers at once (rows are claimed with skip_locked) and to run twice."""
    with transaction.atomic():
        events = list(
            TrackingEvent.objects.select_for_update(skip_locked=True)
            .filter(applied_at__isnull=True)
            .order_by("id")[:limit]
        )
        if not events:
            return 0
        # Rows stored before receipt validated them may hold anything: look up valid ids only.
        by_public = {e.message_public_id for e in events if _is_uuid(e.message_public_id)}
        by_esp = {e.esp_message_id for e in events if e.esp_message_id}
        messages = Message.objects.select_for_update().filter(
            Q(public_id__in=by_public) | Q(esp_message_id__in=by_esp)
        )
        by_key: dict[str, Message] = {}
        for m in messages.select_related("campaign"):
            by_key[str(m.public_id)] = m
            if m.esp_message_id:
                by_key[m.esp_message_id] = m
        changed: dict[int, Message] = {}
        fields: set[str] = set()
        failed: list[TrackingEvent] = []
        for event in events:
            try:
                # Its database writes (suppressions) run in their own savepoints: an event that
                # fails is marked with its error, and the others are applied.
                _apply_one(event, by_key, changed, fields)
            except Exception as exc:
                logger.exception("tracking event %s could not be applied", event.pk)
                event.error = f"not applied: {type(exc).__name__}"[:200]
                failed.append(event)
        if changed and fields:
            Message.objects.bulk_update(list(changed.values()), sorted(fields), batch_size=500)
        if failed:
            TrackingEvent.objects.bulk_update(failed, ["error"])
        TrackingEvent.objects.filter(pk__in=[e.pk for e in events]).update(
            applied_at=timezone.now()
        )
        campaign_ids = {m.campaign_id for m in changed.values()}
    for campaign_id in campaign_ids:
        check_circuit_breaker(campaign_id)
    return len(events)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return True


def _apply_one(
    event: TrackingEvent, by_key: dict[str, Message], changed: dict[int, Message], fields: set
) -> None:
    """Apply one event to its message in memory (saved in bulk by the caller); suppressions are
    written here."""
    from outreach.services import suppression

    message = by_key.get(event.message_public_id) or by_key.get(event.esp_message_id)
    failure = failure_of(event.esp, event.event_type, event.reject_reason, event.payload)
    if failure is not None:
        effect = HARD_BOUNCE if failure.hard else SOFT_BOUNCE
    else:
        effect = EVENT_EFFECTS.get(event.event_type)
    if message is None or effect is None:
        return
    status, stamp_field = effect
    when = event.occurred_at or event.received_at
    updates: dict[str, object] = {}
    if event.event_type in IMPLIES_DELIVERED and message.delivered_at is None:
        updates["delivered_at"] = when
    if stamp_field:
        current = getattr(message, stamp_field)
        if current is None or when < current:
            updates[stamp_field] = when
    if DELIVERY_PRECEDENCE[status] > DELIVERY_PRECEDENCE[message.delivery_status]:
        updates["delivery_status"] = status
    if failure is not None and failure.suppress:
        suppression.suppress(message.email_digest, SuppressionReason.HARD_BOUNCE, message=message)
    elif event.event_type == EventType.COMPLAINED:
        suppression.suppress(message.email_digest, SuppressionReason.COMPLAINT, message=message)
    elif event.event_type == EventType.UNSUBSCRIBED:
        suppression.suppress(
            message.email_digest,
            SuppressionReason.UNSUBSCRIBE,
            purpose=message.campaign.purpose,
            message=message,
        )
    # Only once everything above succeeded does the message change.
    for name, value in updates.items():
        setattr(message, name, value)
    fields.update(updates)
    changed[message.pk] = message


def apply_all_pending_events() -> int:
    total = 0
    while applied := apply_pending_events():
        total += applied
    return total


def campaign_health(campaign_id: int) -> dict[str, int]:
    """The circuit breaker's figures: delivered (a hard-bounced message is not, even when a
    Delivery event also arrived), hard bounces (``bounced_at`` is set by hard bounces only),
    soft bounces not yet delivered (for information), complaints."""
    figures = Message.objects.filter(campaign_id=campaign_id).aggregate(
        delivered=Count("pk", filter=Q(delivered_at__isnull=False, bounced_at__isnull=True)),
        hard_bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
        soft_bounced=Count("pk", filter=Q(delivery_status=DeliveryStatus.SOFT_BOUNCED)),
        complained=Count("pk", filter=Q(complained_at__isnull=False)),
    )
    return figures


def check_circuit_breaker(campaign_id: int) -> bool:
    """Pause a sending campaign whose complaints pass CAMPAIGN_MAX_COMPLAINT_RATE or hard bounces
    pass CAMPAIGN_MAX_BOUNCE_RATE of delivered messages (judged once CAMPAIGN_BREAKER_MIN_SAMPLE
    messages have a delivery or a hard bounce). Soft bounces never count: the ESP retries them.
    Returns True when it tripped now."""
    from outreach.services import campaigns

    campaign = Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).first()
    if campaign is None:
        return False
    f = campaign_health(campaign_id)
    sample = f["delivered"] + f["hard_bounced"]
    if sample < settings.CAMPAIGN_BREAKER_MIN_SAMPLE:
        return False
    delivered = max(f["delivered"], 1)
    complaint_rate = f["complained"] / delivered
    bounce_rate = f["hard_bounced"] / delivered
    if complaint_rate > settings.CAMPAIGN_MAX_COMPLAINT_RATE:
        why = f"complaints at {complaint_rate:.2%} of delivered"
    elif bounce_rate > settings.CAMPAIGN_MAX_BOUNCE_RATE:
        why = f"hard bounces at {bounce_rate:.2%} of delivered"
    else:
        return False
    campaigns.trip_circuit_breaker(campaign, reason=why)
    return True
