"""A campaign's audience: who is in it (segments + additions - exclusions, with consent and
without do-not-contact), where each message goes, in which language, and the freeze that writes
one Message row per email identity when the campaign is approved."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from config.db import stream
from crm.identity import email_digest
from crm.models import Person, PersonEmail, Segment
from crm.services.consent import valid_consent_exists
from crm.services.segments import (
    SegmentSpec,
    queryset_for_spec,
    resolve_segment_queryset,
    spec_from_segment,
)
from outreach.errors import ErrorCode
from outreach.models import (
    Campaign,
    Message,
)
from outreach.services import suppression


def audience_people(campaign: Campaign):
    """Segments + additions - exclusions, without erased or do-not-contact people and only with
    valid consent for the campaign's purpose; for a reminder by answer, only the guests of its
    answer event with that answer. One lazy queryset.

    A draft's audience is its segments as they are now; once submitted, it is the specification
    snapshotted at submission (``snapshot``), whatever happened to the segments since."""
    answer = {
        "answer_event": campaign.answer_event,
        "answer_filter": campaign.answer_filter,
        "not_answered_days": campaign.not_answered_days,
    }
    if campaign.audience_snapshot is None:
        return audience_of(
            segments=campaign.segments.all(),
            additions=campaign.additions.values("pk"),
            exclusions=campaign.exclusions.values("pk"),
            purpose=campaign.purpose,
            **answer,
        )
    snapshot = campaign.audience_snapshot
    return _audience(
        [queryset_for_spec(_spec_from_snapshot(s)) for s in snapshot["segments"]],
        additions=snapshot["additions"],
        exclusions=snapshot["exclusions"],
        purpose=campaign.purpose,
        **answer,
    )


def audience_of(
    *,
    segments,
    additions,
    exclusions,
    purpose: str,
    answer_event=None,
    answer_filter: str = "",
    not_answered_days: int | None = None,
):
    """The audience rule of ``audience_people`` for values not saved yet (the builder's live
    count): ``segments`` are Segment rows, ``additions``/``exclusions`` person ids or querysets.
    With an answer event and filter (reminders), only people with that answer to it."""
    return _audience(
        [resolve_segment_queryset(segment) for segment in segments],
        additions=additions,
        exclusions=exclusions,
        purpose=purpose,
        answer_event=answer_event,
        answer_filter=answer_filter,
        not_answered_days=not_answered_days,
    )


def _audience(
    segment_people: list,
    *,
    additions,
    exclusions,
    purpose: str,
    answer_event=None,
    answer_filter: str = "",
    not_answered_days: int | None = None,
):
    return (
        _candidates(
            segment_people,
            additions=additions,
            answer_event=answer_event,
            answer_filter=answer_filter,
            not_answered_days=not_answered_days,
        )
        .exclude(pk__in=exclusions)
        .filter(erased_at__isnull=True, do_not_contact=False)
        .filter(valid_consent_exists(purpose))
    )


def _candidates(
    segment_people: list,
    *,
    additions,
    answer_event=None,
    answer_filter: str = "",
    not_answered_days: int | None = None,
):
    """Everyone the audience is drawn from, before the exclusions and the rules (consent,
    do-not-contact, erasure) take people out."""
    q = Q(pk__in=additions)
    for people in segment_people:
        q |= Q(pk__in=people.values("pk"))
    people = Person.objects.filter(q)
    if answer_event is not None and answer_filter:
        from outreach.services.registration import people_by_answer

        people = people.filter(people_by_answer(answer_event, answer_filter, not_answered_days))
    return people


def audience_candidates(campaign: Campaign):
    """The people a campaign's audience is drawn from (segments + additions, the answer filter
    of a reminder), as ``audience_people`` reads them, before anyone is taken out; and the
    campaign's exclusions ("never send to") as ids or a subquery."""
    answer = {
        "answer_event": campaign.answer_event,
        "answer_filter": campaign.answer_filter,
        "not_answered_days": campaign.not_answered_days,
    }
    if campaign.audience_snapshot is None:
        segments = [resolve_segment_queryset(s) for s in campaign.segments.all()]
        return (
            _candidates(segments, additions=campaign.additions.values("pk"), **answer),
            campaign.exclusions.values("pk"),
        )
    snapshot = campaign.audience_snapshot
    segments = [queryset_for_spec(_spec_from_snapshot(s)) for s in snapshot["segments"]]
    return (
        _candidates(segments, additions=snapshot["additions"], **answer),
        snapshot["exclusions"],
    )


# --- the specification snapshotted at submission ------------------------------------------
_DATES = ("last_interaction_after", "last_interaction_before")


def snapshot(campaign: Campaign) -> dict:
    """The campaign's audience specification as it is now, self-contained (JSON): each
    segment's filters with all its static members inlined, the campaign's additions and
    exclusions. Resolving it later gives the same rule, whatever is edited meanwhile."""
    return {
        "segments": [_segment_snapshot(segment) for segment in campaign.segments.order_by("pk")],
        "additions": sorted(campaign.additions.values_list("pk", flat=True)),
        "exclusions": sorted(campaign.exclusions.values_list("pk", flat=True)),
    }


def _segment_snapshot(segment: Segment) -> dict:
    spec = spec_from_segment(segment)
    spec.segment_id = None
    spec.addition_ids = sorted(segment.additions.values_list("pk", flat=True))
    spec.exclusion_ids = sorted(segment.exclusions.values_list("pk", flat=True))
    data = dataclasses.asdict(spec)
    for name in _DATES:
        data[name] = data[name].isoformat() if data[name] else None
    return {"segment": {"id": segment.pk, "name": segment.name}, **data}


def _spec_from_snapshot(data: dict) -> SegmentSpec:
    names = {f.name for f in dataclasses.fields(SegmentSpec)}
    values = {k: v for k, v in data.items() if k in names}
    for name in _DATES:
        if values.get(name):
            values[name] = dt.date.fromisoformat(values[name])
    values["segment_id"] = None
    return SegmentSpec(**values)


def _primary_email(person_ref: str):
    return Subquery(
        PersonEmail.objects.filter(person=OuterRef(person_ref))
        .order_by("-is_primary", "id")
        .values("email")[:1]
    )


def audience_rows(campaign: Campaign, *, chunk_size: int = 5000) -> Iterator[dict]:
    """Who gets a message and where it goes: the assistant's address when the person asks for
    mail to go via their assistant. One query, read in chunks (a server-side cursor on
    PostgreSQL inside the freeze's transaction, also behind PgBouncer), so a million-person
    audience never sits in memory whole."""
    people = audience_people(campaign).annotate(
        own_email=_primary_email("pk"),
        assistant_email=_primary_email("assistant"),
    )
    for p in stream(
        people.values(
            "pk",
            "own_email",
            "assistant_email",
            "preferred_language",
            "time_zone",
            "send_via_assistant",
            "assistant_id",
            "assistant__preferred_language",
            "assistant__time_zone",
            "assistant__erased_at",
        ).order_by("pk"),
        chunk_size=chunk_size,
    ):
        use_assistant = (
            p["send_via_assistant"]
            and p["assistant_id"]
            and p["assistant__erased_at"] is None
            and p["assistant_email"]
        )
        if use_assistant:
            yield {
                "person_id": p["pk"],
                "via_assistant_id": p["assistant_id"],
                "email": p["assistant_email"],
                "language": p["assistant__preferred_language"] or p["preferred_language"],
                "time_zone": p["assistant__time_zone"] or p["time_zone"],
            }
        elif p["own_email"]:
            yield {
                "person_id": p["pk"],
                "via_assistant_id": None,
                "email": p["own_email"],
                "language": p["preferred_language"],
                "time_zone": p["time_zone"],
            }


def choose_language(campaign: Campaign, preferred: str) -> str | None:
    preferred = (preferred or "").lower()
    languages = [lang.lower() for lang in campaign.languages]
    if preferred in languages:
        return preferred
    base = preferred.split("-")[0]
    for lang in languages:
        if base and lang.split("-")[0] == base:
            return lang
    return campaign.fallback_language.lower() or None


def audience_count(campaign: Campaign) -> int:
    """Live count for the builder: people who would get a message (before suppression)."""
    return audience_people(campaign).count()


@transaction.atomic
def freeze_audience(campaign: Campaign, *, chunk_size: int = 5000) -> int:
    """One Message row per email identity. Returns the number of rows created.

    Suppressed addresses (for the campaign's purpose or all purposes) get no row; recipients
    whose language the campaign lacks block the freeze unless a fallback language is set (the
    rows already written are rolled back with the caller's transaction).

    Streamed: the audience is read and written ``chunk_size`` rows at a time, and the only
    thing kept for the whole audience is one 64-bit number per identity seen (to keep the first
    message per identity), so memory stays small at a million recipients.

    Logged by the transition that calls it (approve, or the worker's freeze)."""
    if Message.objects.filter(campaign=campaign).exists():
        return 0  # frozen already (safe to call twice)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # The audience is read through a server-side cursor, which PostgreSQL plans for the
        # first tenth of its rows (cursor_tuple_fraction): a per-row plan that took 11 s per
        # 5,000 rows. The freeze reads them all: plan for that.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
    blocked = suppression.suppressed_digests_for_purposes([campaign.purpose])
    missing_language: dict[str, int] = defaultdict(int)
    seen: set[int] = set()
    now = timezone.now()
    writer = _MessageWriter(campaign, due_at=now)
    chunk: list[dict] = []
    for row in audience_rows(campaign, chunk_size=chunk_size):
        digest = email_digest(row["email"])
        identity = int(digest[:16], 16)
        if digest in blocked or identity in seen:
            continue
        seen.add(identity)
        language = choose_language(campaign, row["language"])
        if language is None:
            missing_language[row["language"] or "?"] += 1
            continue
        chunk.append(
            {
                "public_id": uuid.uuid4(),
                "person": row["person_id"],
                "via_assistant": row["via_assistant_id"],
                "email": row["email"],
                "email_digest": digest,
                "language": language,
                "time_zone": row["time_zone"] or "",
            }
        )
        if len(chunk) >= chunk_size:
            writer.write(chunk)
            chunk = []
    if missing_language:
        raise ValidationError(
            _(
                "Recipients read languages this campaign is not written in (%(languages)s) and "
                "there is no fallback language."
            )
            % {"languages": ", ".join(f"{k}: {v}" for k, v in sorted(missing_language.items()))},
            code=ErrorCode.MISSING_LANGUAGE,
        )
    writer.write(chunk)
    campaign.frozen_at = now
    campaign.save(update_fields=["frozen_at", "updated_at"])
    return writer.written


class _MessageWriter:
    """Writes frozen rows: one COPY per chunk on PostgreSQL, else one executemany.

    Building a model instance per recipient made bulk_create spend 22 s of a 100,000-recipient
    freeze in Django's per-field preparation, inside the approval request. Here only the
    columns that differ per row are prepared per row; every other column takes the model
    field's default, prepared once, so a field added to Message later is filled too."""

    VARYING = frozenset(
        {"public_id", "person", "via_assistant", "email", "email_digest", "language", "time_zone"}
    )

    def __init__(self, campaign: Campaign, *, due_at: dt.datetime) -> None:
        self.fields = [f for f in Message._meta.concrete_fields if not f.primary_key]
        fixed: dict[str, object] = {"campaign": campaign.pk, "due_at": due_at}
        self.values = {}
        for field in self.fields:
            if field.name in self.VARYING:
                continue
            value = fixed[field.name] if field.name in fixed else field.get_default()
            self.values[field.name] = field.get_db_prep_save(value, connection)
        self.public_id = Message._meta.get_field("public_id")
        self.table = connection.ops.quote_name(Message._meta.db_table)
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.written = 0

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        data = []
        for row in rows:
            row["public_id"] = self.public_id.get_db_prep_save(row["public_id"], connection)
            data.append(
                tuple(
                    row[f.name] if f.name in self.VARYING else self.values[f.name]
                    for f in self.fields
                )
            )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {self.table} ({self.columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for record in data:
                        copy.write_row(record)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, data)
        self.written += len(rows)
