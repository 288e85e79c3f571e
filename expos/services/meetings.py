"""Matchmaking verbs: each side marks a request (must / would / no), unanswered requests
expire, staff force or lock meetings, and the scheduler places the accepted requests into the
expo's slots and tables (expos.scheduling on CP-SAT), keeping locked meetings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from expos import matching, scheduling
from expos.models import (
    HallWalk,
    Interpreter,
    Mark,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    MeetingTable,
    RequestStatus,
)

S = RequestStatus


def _status_after_marks(row: MeetingRequest) -> str:
    if row.forced:
        return S.ACCEPTED
    if Mark.NO in (row.buyer_mark, row.exhibitor_mark):
        return S.DECLINED
    if row.buyer_mark and row.exhibitor_mark:
        return S.ACCEPTED
    return S.PENDING


@transaction.atomic
def mark(request: MeetingRequest, *, side: str, value: str, acting_user=None) -> MeetingRequest:
    """Record the buyer's or the exhibitor's mark; accepted once both answered and neither said
    no. An expired request cannot be marked."""
    row = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if side not in ("buyer", "exhibitor") or value not in Mark.values:
        raise ValidationError(_("Unknown side or mark."), code="invalid")
    if row.status == S.EXPIRED:
        raise ValidationError(_("This meeting request has expired."), code="invalid_state")
    setattr(row, f"{side}_mark", value)
    row.status = _status_after_marks(row)
    row.save(update_fields=[f"{side}_mark", "status"])
    log(row, "expos.request.mark", user=acting_user, data={"side": side, "mark": value})
    return row


@transaction.atomic
def force(request: MeetingRequest, *, acting_user) -> MeetingRequest:
    """Staff decide the meeting happens whatever the marks say."""
    row = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    row.forced = True
    row.status = S.ACCEPTED
    row.save(update_fields=["forced", "status"])
    log(row, "expos.request.force", user=acting_user)
    return row


def expire_requests(now=None) -> int:
    """Pending requests past their expiry become expired (safe to run twice)."""
    now = now or timezone.now()
    return MeetingRequest.objects.filter(status=S.PENDING, expires_at__lte=now).update(
        status=S.EXPIRED
    )


def _minutes(moment, origin) -> int:
    return int((moment - origin).total_seconds() // 60)


def build_problem(event) -> tuple[scheduling.Problem, dict]:
    """The scheduling problem of an expo's accepted requests, and the rows by id."""
    slots = list(MeetingSlot.objects.filter(event=event).order_by("starts_at", "id"))
    if not slots:
        raise ValidationError(_("The expo has no meeting slots."), code="no_slots")
    origin = slots[0].starts_at
    tables = list(MeetingTable.objects.filter(event=event).order_by("id"))
    requests = list(
        MeetingRequest.objects.filter(event=event, status=S.ACCEPTED)
        .select_related("buyer__registration", "exhibitor", "meeting")
        .prefetch_related("buyer__available_slots")
        .order_by("id")
    )
    participants: dict[int, scheduling.Participant] = {}
    items = []
    for row in requests:
        buyer_key = row.buyer_id * 2  # buyers even, exhibitors odd: one id space
        exhibitor_key = row.exhibitor_id * 2 + 1
        slots_of_buyer = frozenset(s.pk for s in row.buyer.available_slots.all()) or None
        participants[buyer_key] = scheduling.Participant(buyer_key, slots_of_buyer)
        participants.setdefault(exhibitor_key, scheduling.Participant(exhibitor_key))
        meeting = getattr(row, "meeting", None)
        spot = (meeting.slot_id, meeting.table_id) if meeting else None
        items.append(
            scheduling.Request(
                row.pk,
                buyer_key,
                exhibitor_key,
                matching.priority(
                    tier=row.buyer.tier,
                    buyer_mark=row.buyer_mark,
                    exhibitor_mark=row.exhibitor_mark,
                    forced=row.forced,
                ),
                matching.interpretation(row.buyer.languages, row.exhibitor.languages),
                locked=spot if meeting and meeting.locked else None,
                previous=spot,
            )
        )
    interpreters = [
        scheduling.Interpreter(
            i.pk,
            frozenset(x.lower().split("-")[0] for x in i.languages),
            frozenset(i.available_slots.values_list("pk", flat=True)) or None,
        )
        for i in Interpreter.objects.filter(event=event).order_by("id")
    ]
    walking = {(w.hall_a, w.hall_b): w.minutes for w in HallWalk.objects.filter(event=event)}
    problem = scheduling.Problem(
        [
            scheduling.Slot(s.pk, _minutes(s.starts_at, origin), _minutes(s.ends_at, origin))
            for s in slots
        ],
        [scheduling.Table(t.pk, t.hall) for t in tables],
        participants,
        items,
        interpreters,
        walking,
    )
    return problem, {r.pk: r for r in requests}


@transaction.atomic
def lock(meeting: Meeting, *, locked: bool, acting_user) -> Meeting:
    """Lock a meeting where it is (the scheduler keeps it on every re-run), or unlock it."""
    row = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if row.locked != locked:
        row.locked = locked
        row.save(update_fields=["locked"])
        log(row, "expos.meeting.lock", user=acting_user, data={"locked": locked})
    return row


@transaction.atomic
def run_scheduler(event, *, acting_user=None, work_limit: float = 20.0) -> scheduling.Result:
    """Place the expo's accepted requests: locked meetings stay, the others are placed again
    (kept where they were when possible), and the requests left out get their reasons."""
    problem, rows = build_problem(event)
    try:
        result = scheduling.schedule(problem, work_limit=work_limit)
    except scheduling.LockedConflictError as exc:
        raise ValidationError(str(exc), code="locked_conflict") from exc
    Meeting.objects.filter(request__event=event, locked=False).delete()
    kept = set(
        Meeting.objects.filter(request__event=event, locked=True).values_list(
            "request_id", flat=True
        )
    )
    Meeting.objects.bulk_create(
        Meeting(
            request_id=p.request, slot_id=p.slot, table_id=p.table, interpreter_id=p.interpreter
        )
        for p in result.placements.values()
        if p.request not in kept
    )
    for rid, row in rows.items():
        reasons = result.unplaced.get(rid, [])
        if row.unplaced_reasons != reasons:
            row.unplaced_reasons = reasons
            row.save(update_fields=["unplaced_reasons"])
    log(
        event,
        "expos.schedule",
        user=acting_user,
        data={"placed": len(result.placements), "unplaced": len(result.unplaced)},
    )
    return result
