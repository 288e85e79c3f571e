"""Check-in at the door: the guest list a door device keeps, the scans it uploads, walk-ins.

Verbs:
- `door_manifest(event)`: what a device needs to work offline for one event: confirmed guests
  and companions with only what the door shows, the registrations whose codes no longer admit,
  and the public key that verifies codes.
- `record_scans(event, scans, user=…)`: store a device's queue. Idempotent on each scan's id;
  the outcome is decided under a lock on the registration, so two devices scanning one code at
  the same moment record one entry and one conflict.
- `check_in_code(event, text, …)`: one scanned code, verified, then recorded as above.
- Attendance becomes a CRM interaction (`event_attendance`) once per guest and event.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from outreach import checkin_codes
from outreach.models import CheckIn, DoorAssignment, Event, Registration
from outreach.models.registrations import Companion, RegistrationStatus

ADMITS = frozenset({RegistrationStatus.ACCEPTED})
MAX_SCANS_PER_UPLOAD = 1000


class ScanError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def door_events(user) -> QuerySet[Event]:
    """Events `user` may check guests in at: assigned ones; every event for staff who may
    change registrations (event managers) and superusers."""
    if not getattr(user, "is_authenticated", False):
        return Event.objects.none()
    if user.is_superuser or user.has_perm("outreach.change_registration"):
        return Event.objects.all()
    return Event.objects.filter(door_assignments__user=user)


def can_check_in(user, event: Event) -> bool:
    return door_events(user).filter(pk=event.pk).exists()


def gate_of(user, event: Event) -> str:
    assignment = DoorAssignment.objects.filter(event=event, user=user).first()
    return assignment.gate if assignment else ""


def code_for(registration: Registration, attendee: int = 0) -> str:
    """The signed text a guest's (or companion's) QR code carries."""
    return checkin_codes.sign(
        checkin_codes.CheckinCode(registration.event_id, registration.public_id, attendee)
    )


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in stripped.casefold() if c.isalnum())


def _organization(person) -> str:
    for affiliation in person.affiliations.all():
        if affiliation.end_date is None:
            return str(affiliation.organization)
    return ""


def _tier(person) -> str:
    return person.get_vip_level_display() if person.vip_level else ""


def _last_admitted(event: Event) -> dict[tuple[int, int], CheckIn]:
    last: dict[tuple[int, int], CheckIn] = {}
    for scan in CheckIn.objects.filter(event=event, outcome=CheckIn.Outcome.ADMITTED).order_by(
        "scanned_at", "id"
    ):
        last[(scan.registration_id, scan.attendee)] = scan
    return last


def _checked_in(scan: CheckIn | None, event: Event) -> dict | None:
    if scan is None or scan.direction != CheckIn.Direction.IN:
        return None
    local = timezone.localtime(scan.scanned_at, event_zone(event))
    return {"gate": scan.gate, "device": scan.device, "time": local.strftime("%H:%M")}


def event_zone(event: Event):
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(event.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, AttributeError):
        return timezone.get_current_timezone()


def protocol_notes(registration: Registration) -> str:
    """What the door should know: the guest's answers to the event's questions."""
    return "; ".join(
        f"{answer.question.label}: {answer.value}"
        for answer in registration.answers.all()
        if answer.value
    )


def door_manifest(event: Event, user=None) -> dict:
    """Built from plain rows (`values_list`), not model instances: 10,000 guests with their
    companions, sessions and answers are a handful of queries and no per-row ORM overhead.

    A guest `user` may not see (a restricted person, crm.access) is listed without name,
    organization or search key, as "(restricted contact)": their code still admits them, and
    the door names them only to staff the policy lets see them."""
    from collections import defaultdict

    from crm import access
    from crm.models import Affiliation
    from crm.models.choices import NameOrder, VipLevel
    from outreach.models.registrations import Answer, SessionChoice

    admitted = Registration.objects.filter(event=event, status__in=ADMITS)
    rows = admitted.order_by("id").values_list(
        "pk",
        "public_id",
        "person_id",
        "person__full_name_native",
        "person__name_latin",
        "person__family_name",
        "person__given_name",
        "person__name_order",
        "person__vip_level",
        "person__search_text",
    )
    companions: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for registration_id, native, latin in (
        Companion.objects.filter(registration__in=admitted)
        .order_by("registration_id", "sort_order", "id")
        .values_list("registration_id", "name_native", "name_latin")
    ):
        companions[registration_id].append((native, latin))
    sessions: dict[int, list[str]] = defaultdict(list)
    for registration_id, name in (
        SessionChoice.objects.filter(registration__in=admitted)
        .order_by("registration_id", "session__starts_at", "id")
        .values_list("registration_id", "session__name")
    ):
        sessions[registration_id].append(name)
    notes: dict[int, list[str]] = defaultdict(list)
    for registration_id, label, value in (
        Answer.objects.filter(registration__in=admitted)
        .exclude(value="")
        .order_by("registration_id", "question__sort_order", "id")
        .values_list("registration_id", "question__label", "value")
    ):
        notes[registration_id].append(f"{label}: {value}")
    organizations: dict[int, str] = {}
    for person_id, name, name_en in (
        Affiliation.objects.filter(person__registrations__in=admitted, end_date__isnull=True)
        .order_by("person_id", "is_primary", "-id")
        .values_list("person_id", "organization__name", "organization__name_en")
    ):
        # the primary (or first) current affiliation, as _organization() shows it
        organizations[person_id] = f"{name} ({name_en})" if name_en and name_en != name else name
    tiers = dict(VipLevel.choices)
    hidden = set(
        admitted.filter(person__in=access.hidden_people(user)).values_list("pk", flat=True)
    )
    last = _last_admitted(event)
    guests = []
    for (
        pk,
        public_id,
        person_id,
        native,
        latin,
        family,
        given,
        order,
        vip,
        search_text,
    ) in rows:
        parts = [given, family] if order == NameOrder.GIVEN_FIRST else [family, given]
        native = native or latin or " ".join(p for p in parts if p)
        if pk in hidden:
            native, latin, search_text = str(access.RESTRICTED_LABEL), "", ""
            organizations.pop(person_id, None)
        common = {
            "registration": str(public_id),
            "organization": organizations.get(person_id, ""),
            "tier": str(tiers.get(vip, "")) if vip else "",
            "sessions": sessions.get(pk, []),
            "protocol_notes": "; ".join(notes.get(pk, [])),
        }
        guests.append(
            {
                **common,
                "attendee": 0,
                "name": native,
                "latin_name": latin or "",
                "companions": [c_native or c_latin for c_native, c_latin in companions.get(pk, [])],
                "search": " ".join({_fold(native), _fold(latin), search_text.replace(" ", "")}),
                "checked_in": _checked_in(last.get((pk, 0)), event),
            }
        )
        for number, (c_native, c_latin) in enumerate(companions.get(pk, []), start=1):
            guests.append(
                {
                    **common,
                    "attendee": number,
                    "name": c_native or c_latin,
                    "latin_name": c_latin,
                    "companions": [],
                    "companion_of": native,
                    "search": " ".join({_fold(c_native), _fold(c_latin)}),
                    "checked_in": _checked_in(last.get((pk, number)), event),
                }
            )
    revoked = Registration.objects.filter(event=event).exclude(status__in=ADMITS)
    return {
        "event": event.pk,
        "event_name": str(event),
        "public_key": checkin_codes.public_key_base64(),
        "generated_at": timezone.now().isoformat(),
        "guests": guests,
        "revoked": [str(pid) for pid in revoked.values_list("public_id", flat=True)],
    }


@dataclass
class ScanResult:
    scan_id: str
    outcome: str
    message: str
    duplicate: bool = False
    registration: str = ""
    attendee: int = 0

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def _parse_scan(raw: dict) -> dict:
    if not isinstance(raw, dict):
        raise ScanError("invalid", _("A scan must be an object."))
    try:
        scan_id = uuid.UUID(str(raw.get("scan_id")))
    except ValueError as exc:
        raise ScanError("invalid_scan_id", _("scan_id is not a UUID.")) from exc
    try:
        registration = uuid.UUID(str(raw.get("registration")))
    except ValueError as exc:
        raise ScanError("invalid_registration", _("registration is not a UUID.")) from exc
    attendee = raw.get("attendee", 0)
    if not isinstance(attendee, int) or isinstance(attendee, bool) or not 0 <= attendee <= 255:
        raise ScanError("invalid_attendee", _("attendee must be a number from 0 to 255."))
    direction = raw.get("direction", CheckIn.Direction.IN)
    if direction not in CheckIn.Direction.values:
        raise ScanError("invalid_direction", _("direction must be “in” or “out”."))
    method = raw.get("method", CheckIn.Method.QR)
    if method not in CheckIn.Method.values:
        method = CheckIn.Method.QR
    scanned_at = parse_datetime(str(raw.get("scanned_at") or "")) if raw.get("scanned_at") else None
    if scanned_at is None:
        scanned_at = timezone.now()
    elif timezone.is_naive(scanned_at):
        scanned_at = timezone.make_aware(scanned_at, datetime.UTC)
    return {
        "scan_id": scan_id,
        "registration": registration,
        "attendee": attendee,
        "direction": direction,
        "method": method,
        "scanned_at": scanned_at,
        "gate": str(raw.get("gate") or "")[:60],
        "device": str(raw.get("device") or "")[:60],
    }


def _decide(
    scan: dict, registration: Registration, companions: int, last: CheckIn | None, event: Event
) -> tuple[str, str]:
    if registration.status not in ADMITS:
        return CheckIn.Outcome.REFUSED, _("Not admitted: the registration is “%(status)s”.") % {
            "status": registration.get_status_display()
        }
    if scan["attendee"] > companions:
        return CheckIn.Outcome.REFUSED, _("This guest has no companion number %(n)s.") % {
            "n": scan["attendee"]
        }
    if scan["direction"] == CheckIn.Direction.IN and last and last.direction == "in":
        return CheckIn.Outcome.CONFLICT, _conflict_message(last, event)
    return CheckIn.Outcome.ADMITTED, ""


def _conflict_message(earlier: CheckIn, event: Event) -> str:
    local = timezone.localtime(earlier.scanned_at, event_zone(event))
    return _("Already checked in at gate %(gate)s, %(time)s, device %(device)s.") % {
        "gate": earlier.gate or "—",
        "time": local.strftime("%H:%M"),
        "device": earlier.device or "—",
    }


def _result(checkin: CheckIn, registration_id: str, *, duplicate: bool = False) -> dict:
    return ScanResult(
        scan_id=str(checkin.scan_id),
        outcome=checkin.outcome,
        message=checkin.message,
        duplicate=duplicate,
        registration=registration_id,
        attendee=checkin.attendee,
    ).as_dict()


@transaction.atomic
def _record(event: Event, parsed: list[tuple[int, dict]], user) -> dict[int, dict]:
    """Decide and store a batch of scans in a few queries: the registrations they name are
    locked (in id order, so two devices never deadlock), then every scan is decided in the
    order the devices made them."""
    public_ids = {scan["registration"] for _index, scan in parsed}
    locked = {
        r.public_id: r
        for r in Registration.objects.select_for_update()
        .filter(event=event, public_id__in=public_ids)
        .order_by("pk")
    }
    by_pk = {r.pk: r for r in locked.values()}
    companions = dict(
        Companion.objects.filter(registration_id__in=by_pk)
        .order_by()
        .values("registration_id")
        .annotate(n=Count("id"))
        .values_list("registration_id", "n")
    )
    seen = {
        c.scan_id: c
        for c in CheckIn.objects.filter(scan_id__in=[scan["scan_id"] for _i, scan in parsed])
    }
    last: dict[tuple[int, int], CheckIn] = {}
    for earlier in CheckIn.objects.filter(
        registration_id__in=by_pk, outcome=CheckIn.Outcome.ADMITTED
    ).order_by("scanned_at", "id"):
        last[(earlier.registration_id, earlier.attendee)] = earlier
    results: dict[int, dict] = {}
    rows: list[CheckIn] = []
    for index, scan in sorted(parsed, key=lambda item: item[1]["scanned_at"]):
        if scan["scan_id"] in seen:
            earlier = seen[scan["scan_id"]]
            registration = by_pk.get(earlier.registration_id)
            public_id = str(registration.public_id) if registration else str(scan["registration"])
            results[index] = _result(earlier, public_id, duplicate=True)
            continue
        registration = locked.get(scan["registration"])
        if registration is None:
            results[index] = ScanResult(
                str(scan["scan_id"]),
                CheckIn.Outcome.REFUSED,
                _("This code is for another event or an unknown guest."),
                registration=str(scan["registration"]),
                attendee=scan["attendee"],
            ).as_dict()
            continue
        key = (registration.pk, scan["attendee"])
        outcome, message = _decide(
            scan, registration, companions.get(registration.pk, 0), last.get(key), event
        )
        checkin = CheckIn(
            event=event,
            registration=registration,
            recorded_by=user if getattr(user, "pk", None) else None,
            outcome=outcome,
            message=message,
            gate=scan["gate"],
            device=scan["device"],
            **{k: scan[k] for k in ("scan_id", "attendee", "direction", "method", "scanned_at")},
        )
        rows.append(checkin)
        seen[checkin.scan_id] = checkin
        if outcome == CheckIn.Outcome.ADMITTED:
            last[key] = checkin
        results[index] = _result(checkin, str(registration.public_id))
    CheckIn.objects.bulk_create(rows)
    arrived = sorted(
        {
            c.registration_id
            for c in rows
            if c.outcome == CheckIn.Outcome.ADMITTED
            and c.direction == CheckIn.Direction.IN
            and c.attendee == 0
        }
    )
    if arrived:
        transaction.on_commit(lambda: _after_arrivals(arrived, user))
    return results


def _after_arrivals(registration_ids: list[int], user) -> None:
    """Attendance interactions are written by a worker: each costs a dozen queries, which the
    door (one scan, or a synced queue of a thousand) should not wait for."""
    from outreach import tasks

    tasks.record_attendance.delay(registration_ids, getattr(user, "pk", None))


def record_scans(event: Event, scans: Iterable[dict], *, user=None) -> list[dict]:
    """Store a device's queue; one result per scan, in order. Invalid scans are reported with
    their error and never stop the others."""
    raws = list(scans)[:MAX_SCANS_PER_UPLOAD]
    results: dict[int, dict] = {}
    parsed: list[tuple[int, dict]] = []
    for index, raw in enumerate(raws):
        try:
            parsed.append((index, _parse_scan(raw)))
        except ScanError as error:
            scan_id = raw.get("scan_id") if isinstance(raw, dict) else None
            results[index] = {
                "scan_id": str(scan_id or f"#{index}"),
                "outcome": "invalid",
                "code": error.code,
                "message": str(error),
            }
    if parsed:
        results.update(_record(event, parsed, user))
    return [results[index] for index in range(len(raws))]


def check_in_code(event: Event, text: str, *, user=None, gate: str = "", device: str = "") -> dict:
    """A code scanned by a device that is online: verified, then recorded like a queued scan."""
    try:
        code = checkin_codes.verify(text)
    except checkin_codes.InvalidCodeError as error:
        return {"outcome": "invalid", "code": error.code, "message": str(error)}
    if code.event_id != event.pk:
        return {
            "outcome": "refused",
            "code": "other_event",
            "message": _("This code is for another event."),
        }
    scan = {
        "scan_id": str(uuid.uuid4()),
        "registration": str(code.registration_id),
        "attendee": code.attendee,
        "gate": gate,
        "device": device,
    }
    return record_scans(event, [scan], user=user)[0]


def record_attendance(registration_id: int, acting_user=None) -> None:
    """The guest attended: an `event_attendance` interaction in the CRM, once per registration."""
    from crm.models.choices import InteractionKind
    from crm.services.interactions import record_interaction

    registration = (
        Registration.objects.select_related("event", "person").filter(pk=registration_id).first()
    )
    if registration is None:  # deleted since (the task ran late, or twice)
        return
    first = (
        CheckIn.objects.filter(
            registration=registration, attendee=0, outcome=CheckIn.Outcome.ADMITTED
        )
        .order_by("scanned_at")
        .first()
    )
    if first is None:
        return
    record_interaction(
        kind=InteractionKind.EVENT_ATTENDANCE,
        occurred_on=timezone.localtime(first.scanned_at, event_zone(registration.event)).date(),
        subject=_("Attended %(event)s") % {"event": registration.event},
        people=[registration.person],
        source="outreach",
        source_ref=f"checkin-{registration.pk}",
        acting_user=acting_user,
    )
