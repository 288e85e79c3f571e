"""The send ledger at work: claim due rows, render, send, record. Any number of worker
processes may run ``send_due_messages`` at once; rows are claimed with
``select_for_update(skip_locked=True)`` and every state change is conditional on the claim.

At most once: a row is handed to the ESP only while it is SENDING under this worker's claim;
its outcome is written right after. A worker that dies in between leaves the row SENDING; when
its lease expires the sweeper marks it UNKNOWN, which is never sent again without a person's
decision.

Idempotency keys. Every email carries a key derived from the row (``idempotency_key``): the same
on every automatic retry, a new one after a person's "resend" decision (an explicit decision to
send again). Backends that send it (``outreach/esp/``: Resend) say how long the ESP
honours it; with such an ESP an AMBIGUOUS attempt (the request left, the answer did not come
back) is retried automatically under the same key, and the ESP answers the repeat with the first
response instead of sending again. That holds only while the ESP remembers the key: the time the
first ambiguous attempt was handed over is kept in ``ambiguous_since``, and a row whose key may
have expired (or that is about to go out through an ESP without keys) becomes UNKNOWN instead of
being sent, as before. Expired leases stay UNKNOWN whatever the ESP (a vanished worker is for a
person to look at)."""

from __future__ import annotations

import logging
import os
import random
import socket
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Prefetch, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from crm.models import Affiliation
from outreach.models import Campaign, CampaignContent, CampaignStatus, Message, MessageStatus
from outreach.services import ratelimit, rendering, suppression
from outreach.services.esp import Outcome, Sender, SendResult

logger = logging.getLogger(__name__)
WORKER = f"{socket.gethostname()}:{os.getpid()}"


def sending_campaign_ids() -> list[int]:
    return list(Campaign.objects.filter(status=CampaignStatus.SENDING).values_list("pk", flat=True))


def claim_batch(size: int, *, campaign_ids: list[int] | None = None) -> tuple[list[int], uuid.UUID]:
    """Claim up to ``size`` due QUEUED rows of sending campaigns; mark them SENDING with a
    lease. Returns (ids, claim token).

    Rows are claimed one campaign at a time, in random campaign order (so workers spread over
    concurrent campaigns): with ``campaign_id = X`` the earliest due rows come straight off the
    partial index ``outreach_msg_due_idx`` (campaign, due_at, id). A single query over several
    campaigns (``IN (...)``) cannot use that order and sorts every queued row instead: 96 ms
    per claim at 100,000 queued rows, growing with the campaign."""
    token = uuid.uuid4()
    campaign_ids = sending_campaign_ids() if campaign_ids is None else list(campaign_ids)
    if not campaign_ids or size <= 0:
        return [], token
    random.shuffle(campaign_ids)
    now = timezone.now()
    lease_until = now + timedelta(seconds=settings.CAMPAIGN_LEASE_SECONDS)
    ids: list[int] = []
    with transaction.atomic():
        for campaign_id in campaign_ids:
            found = list(
                Message.objects.select_for_update(skip_locked=True)
                .filter(campaign_id=campaign_id, status=MessageStatus.QUEUED, due_at__lte=now)
                .order_by("due_at", "id")
                .values_list("pk", flat=True)[: size - len(ids)]
            )
            ids += found
            if len(ids) >= size:
                break
        if not ids:
            return [], token
        # Conditional on QUEUED: on SQLite (no row locks) a concurrent claimer loses here.
        Message.objects.filter(pk__in=ids, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SENDING,
            claim_token=token,
            lease_until=lease_until,
            attempts=F("attempts") + 1,
        )
    claimed = list(
        Message.objects.filter(pk__in=ids, claim_token=token, status=MessageStatus.SENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return claimed, token


def release(ids: list[int], token: uuid.UUID) -> int:
    """Give claimed rows back untouched (nothing was handed to the ESP)."""
    if not ids:
        return 0
    return Message.objects.filter(
        pk__in=ids, claim_token=token, status=MessageStatus.SENDING
    ).update(
        status=MessageStatus.QUEUED,
        claim_token=None,
        lease_until=None,
        attempts=F("attempts") - 1,
    )


def idempotency_key(message: Message) -> str:
    """The ESP idempotency key of a message: opaque (its public id, no personal data), stable
    across automatic retries, new after each "resend" decision."""
    key = f"liaison-message/{message.public_id}"
    return f"{key}/resend-{message.resend_count}" if message.resend_count else key


def backoff_seconds(attempt: int) -> float:
    base = float(settings.CAMPAIGN_RETRY_BASE_SECONDS)
    return min(300.0, base * (2 ** max(0, attempt - 1))) * (0.5 + random.random())


def _mark_sent(sent: list[tuple[Message, SendResult]], token: uuid.UUID, now) -> int:
    """SENT with each row's ESP message id, in one statement (WITH ... VALUES, UPDATE ... FROM;
    both PostgreSQL and SQLite >= 3.33 speak it). A row swept to UNKNOWN while we were slow is still
    ours (same claim): the ESP took it, so it becomes SENT."""
    table = connection.ops.quote_name(Message._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(sent))
    sql = (
        f"WITH v(mid, esp) AS (VALUES {values}) "  # noqa: S608
        f"UPDATE {table} SET status = %s, sent_at = %s, lease_until = NULL, last_error = '', "
        f"esp_message_id = v.esp FROM v "
        f"WHERE {table}.id = v.mid AND {table}.claim_token = %s AND {table}.status IN (%s, %s)"
    )
    params: list = []
    for message, result in sent:
        params += [message.pk, result.esp_message_id]
    params += [
        MessageStatus.SENT,
        Message._meta.get_field("sent_at").get_db_prep_value(now, connection),
    ]
    field = Message._meta.get_field("claim_token")
    params += [
        field.get_db_prep_value(token, connection),
        MessageStatus.SENDING,
        MessageStatus.UNKNOWN,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount >= 0:
            return cursor.rowcount
        # Python's sqlite3 does not count rows for a statement that starts with WITH.
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]


def _record(
    rows: list[Message],
    results: list[SendResult],
    token: uuid.UUID,
    *,
    sender: Sender | None = None,
    handed_at=None,
) -> dict[str, int]:
    """Write the outcomes of one batch, each update conditional on our claim. ``sender`` and
    ``handed_at`` (when the batch was handed to the ESP) decide whether an ambiguous outcome
    may be retried under the same idempotency key."""
    now = timezone.now()
    handed_at = handed_at or now
    sent = [(m, r) for m, r in zip(rows, results, strict=True) if r.outcome is Outcome.SENT]
    tally = {o.value: 0 for o in Outcome}
    mine = Message.objects.filter(claim_token=token)
    if sent:
        tally["sent"] = _mark_sent(sent, token, now)
    by_reason: dict[tuple[Outcome, str, bool], list[Message]] = {}
    for message, result in zip(rows, results, strict=True):
        if result.outcome is not Outcome.SENT:
            key = (result.outcome, result.reason, result.key_conflict)
            by_reason.setdefault(key, []).append(message)
    for (outcome, reason, key_conflict), group in by_reason.items():
        ids = [m.pk for m in group]
        active = mine.filter(pk__in=ids, status=MessageStatus.SENDING)
        # FAILED promises "never sent": not for a row an earlier attempt may have delivered.
        in_doubt = [m.pk for m in group if m.ambiguous_since is not None]
        if outcome is Outcome.PERMANENT:
            if in_doubt:
                tally["ambiguous"] += active.filter(pk__in=in_doubt).update(
                    status=MessageStatus.UNKNOWN,
                    last_error=f"an earlier attempt's outcome is unknown; then: {reason}",
                    lease_until=None,
                )
            tally["permanent"] += active.exclude(pk__in=in_doubt).update(
                status=MessageStatus.FAILED, last_error=reason, lease_until=None
            )
        elif outcome is Outcome.AMBIGUOUS:
            retry, unknown = [], []
            for message in group:
                since = message.ambiguous_since or handed_at
                honoured = sender is not None and sender.key_still_honoured(since, now)
                if (
                    honoured
                    and not key_conflict
                    and message.attempts < settings.CAMPAIGN_MAX_ATTEMPTS
                ):
                    retry.append(message)
                else:
                    unknown.append(message)
            if unknown:
                tally["ambiguous"] += active.filter(pk__in=[m.pk for m in unknown]).update(
                    status=MessageStatus.UNKNOWN,
                    last_error=reason,
                    lease_until=None,
                    ambiguous_since=Coalesce(F("ambiguous_since"), Value(handed_at)),
                )
            for message in retry:
                # The ESP may have it: the retry carries the same key, so the ESP drops a repeat.
                tally["ambiguous"] += active.filter(pk=message.pk).update(
                    status=MessageStatus.QUEUED,
                    due_at=now + timedelta(seconds=backoff_seconds(message.attempts)),
                    last_error=reason,
                    claim_token=None,
                    lease_until=None,
                    ambiguous_since=Coalesce(F("ambiguous_since"), Value(handed_at)),
                )
        else:
            give_up = [m.pk for m in group if m.attempts >= settings.CAMPAIGN_MAX_ATTEMPTS]
            retry = [m for m in group if m.attempts < settings.CAMPAIGN_MAX_ATTEMPTS]
            if give_up:
                gave_up = f"gave up after {settings.CAMPAIGN_MAX_ATTEMPTS} attempts: {reason}"
                active.filter(pk__in=give_up).exclude(pk__in=in_doubt).update(
                    status=MessageStatus.FAILED, last_error=gave_up, lease_until=None
                )
                active.filter(pk__in=give_up).filter(pk__in=in_doubt).update(
                    status=MessageStatus.UNKNOWN,
                    last_error=f"an earlier attempt's outcome is unknown; then {gave_up}",
                    lease_until=None,
                )
            for message in retry:
                # Each row its own backoff (jittered), so retries spread out.
                active.filter(pk=message.pk).update(
                    status=MessageStatus.QUEUED,
                    due_at=now + timedelta(seconds=backoff_seconds(message.attempts)),
                    last_error=reason,
                    claim_token=None,
                    lease_until=None,
                )
            tally["transient"] += len(group)
    return tally


# Only the columns rendering and recording read (see rendering.merge_values, salutations): a
# Person row is wide, and loading whole rows was a quarter of a sender's time.
_PERSON_COLUMNS = (
    "family_name",
    "given_name",
    "name_order",
    "name_latin",
    "name_chinese",
    "full_name_native",
    "honorific",
    "gender",
    "owner",
)
_MESSAGE_COLUMNS = (
    "campaign_id",
    "person",
    "via_assistant",
    "email",
    "email_digest",
    "language",
    "time_zone",
    "public_id",
    "resend_count",
    "ambiguous_since",
    "attempts",
    "status",
    "claim_token",
    "person__owner__email",
    *(f"person__{name}" for name in _PERSON_COLUMNS),
    *(f"via_assistant__{name}" for name in _PERSON_COLUMNS),
)
_AFFILIATION_COLUMNS = (
    "person",
    "organization",
    "position",
    "end_date",
    "is_primary",
    "start_date",
    "organization__name",
    "organization__name_en",
)


def send_claimed(
    ids: list[int], token: uuid.UUID, sender: Sender, *, tokens: int = 0
) -> dict[str, int]:
    """Render and send the rows this worker claimed, then record each outcome. ``tokens``:
    send-rate tokens taken for these rows; those of rows not handed to the ESP are given back."""
    rows = list(
        Message.objects.filter(pk__in=ids, claim_token=token, status=MessageStatus.SENDING)
        .select_related("person", "person__owner", "via_assistant")
        .only(*_MESSAGE_COLUMNS)
        .prefetch_related(
            Prefetch(
                "person__affiliations",
                queryset=Affiliation.objects.select_related("organization").only(
                    *_AFFILIATION_COLUMNS
                ),
            )
        )
        .order_by("pk")
    )
    # One instance per campaign, shared by its rows (not one copy per joined row).
    campaigns = Campaign.objects.select_related("event").in_bulk({m.campaign_id for m in rows})
    for message in rows:
        message.campaign = campaigns[message.campaign_id]
    handed_over = False
    try:
        # Paused or cancelled since the claim: give the rows back.
        stopped = [m.pk for m in rows if m.campaign.status != CampaignStatus.SENDING]
        if stopped:
            release(stopped, token)
            rows = [m for m in rows if m.pk not in set(stopped)]
        # Suppression is consulted again at send time.
        blocked = suppression.suppressed_digests(
            [m.email_digest for m in rows], {c.purpose for c in campaigns.values()}
        )
        purposes_blocked = {
            m.pk
            for m in rows
            if m.email_digest in blocked
            and suppression.is_suppressed(m.email_digest, m.campaign.purpose)
        }
        if purposes_blocked:
            Message.objects.filter(pk__in=purposes_blocked, claim_token=token).update(
                status=MessageStatus.SKIPPED,
                last_error="suppressed at send time",
                lease_until=None,
            )
            rows = [m for m in rows if m.pk not in purposes_blocked]
        # An earlier attempt may have reached the ESP: send again only under a key it still
        # honours (else it is for a person to decide, as with any ESP without keys).
        now = timezone.now()
        in_doubt = [
            m.pk
            for m in rows
            if m.ambiguous_since is not None
            and not sender.key_still_honoured(m.ambiguous_since, now)
        ]
        if in_doubt:
            Message.objects.filter(
                pk__in=in_doubt, claim_token=token, status=MessageStatus.SENDING
            ).update(
                status=MessageStatus.UNKNOWN,
                last_error="an earlier attempt may have reached the ESP, which no longer "
                "recognises a repeat: outcome unknown",
                lease_until=None,
            )
            rows = [m for m in rows if m.pk not in set(in_doubt)]
        contents = {
            (c.campaign_id, c.language): c
            for c in CampaignContent.objects.filter(campaign_id__in=list(campaigns)).select_related(
                "campaign"
            )
        }
        emails, ready, failed = [], [], []
        for message in rows:
            content = contents.get((message.campaign_id, message.language))
            try:
                if content is None:
                    raise LookupError(f"no content in {message.language}")
                with translation.override(message.language):
                    email = rendering.build_email(message.campaign, content, message)
                email.idempotency_key = idempotency_key(message)
                emails.append(email)
                ready.append(message)
            except Exception as exc:  # nothing was sent: a rendering fault fails this row only
                logger.exception("message %s could not be rendered", message.pk)
                failed.append((message, SendResult(Outcome.PERMANENT, reason=f"render: {exc}")))
        handed_over = True
        ratelimit.give_back(tokens - len(emails))
        handed_at = timezone.now()
        results = sender.send(emails)
        tally = _record(
            ready + [m for m, _r in failed],
            results + [r for _m, r in failed],
            token,
            sender=sender,
            handed_at=handed_at,
        )
        tally["skipped"] = len(purposes_blocked)
        tally["ambiguous"] += len(in_doubt)
        return tally
    except BaseException:
        if not handed_over:
            release([m.pk for m in rows], token)
            ratelimit.give_back(tokens)
        raise


def sweep_expired_leases() -> int:
    """SENDING rows whose lease expired (their worker died or hung): UNKNOWN, for review."""
    return Message.objects.filter(
        status=MessageStatus.SENDING, lease_until__lt=timezone.now()
    ).update(
        status=MessageStatus.UNKNOWN,
        last_error="lease expired while sending: the worker stopped; outcome unknown",
        lease_until=None,
    )


def next_due_in(campaign_ids: list[int]) -> float | None:
    """Seconds until the next queued row of these campaigns is due (None when none is queued)."""
    due = (
        Message.objects.filter(campaign_id__in=campaign_ids, status=MessageStatus.QUEUED)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if due is None:
        return None
    return max(0.0, (due - timezone.now()).total_seconds())


def send_due_messages(*, budget_seconds: float | None = None) -> dict[str, int]:
    """Claim and send batches until nothing is due or the time budget is spent.
    Returns a tally, with ``more`` = 1 when work remains for another run."""
    from outreach.services.dispatch import finish_campaigns

    budget = settings.CAMPAIGN_TASK_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    size = int(settings.CAMPAIGN_BATCH_SIZE)
    total = {"sent": 0, "transient": 0, "permanent": 0, "ambiguous": 0, "skipped": 0, "more": 0}
    sender: Sender | None = None
    try:
        while time.monotonic() < deadline:
            campaign_ids = sending_campaign_ids()
            if not campaign_ids:
                break
            # Claim first, then take send-rate tokens for what was claimed: a sender that finds
            # nothing due takes none, so idle senders never drain the shared budget.
            ids, token = claim_batch(ratelimit.most_at_once(size), campaign_ids=campaign_ids)
            if not ids:
                wait = next_due_in(campaign_ids)
                if wait is None or wait > deadline - time.monotonic():
                    break
                time.sleep(min(wait, 1.0) + 0.01)
                continue
            tokens = ratelimit.acquire(len(ids), timeout=max(1.0, deadline - time.monotonic()))
            if tokens < len(ids):  # the budget ran out while waiting: keep only what may go
                release(ids[tokens:], token)
                ids = ids[:tokens]
                if not ids:
                    total["more"] = 1
                    break
            if sender is None:
                sender = Sender()
            for key, value in send_claimed(ids, token, sender, tokens=tokens).items():
                total[key] = total.get(key, 0) + value
        else:
            total["more"] = 1
    finally:
        if sender is not None:
            sender.close()
    finish_campaigns()
    return total
