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
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from outreach import checkin_codes
from outreach.models import CheckIn, DoorAssignment, Event, Registration
from outreach.models.registrations import RegistrationStatus

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


def _checked_in(scan: CheckIn | None) -> dict | None:
    if scan is None or scan.direction != CheckIn.Direction.IN:
        return None
    local = timezone.localtime(scan.scanned_at, event_zone(scan.event))
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


def door_manifest(event: Event) -> dict:
    registrations = (
        Registration.objects.filter(event=event, status__in=ADMITS)
        .select_related("person")
        .prefetch_related(
            "companions",
            Prefetch("session_choices__session"),
            "answers__question",
            "person__affiliations__organization",
        )
        .order_by("id")
    )
    last = _last_admitted(event)
    guests = []
    for registration in registrations:
        person = registration.person
        companions = list(registration.companions.all())
        native = person.full_name_native or str(person)
        latin = person.name_latin or ""
        common = {
            "registration": str(registration.public_id),
            "organization": _organization(person),
            "tier": _tier(person),
            "sessions": [str(c.session) for c in registration.session_choices.all()],
            "protocol_notes": protocol_notes(registration),
        }
        guests.append(
            {
                **common,
                "attendee": 0,
                "name": native,
                "latin_name": latin,
                "companions": [str(c) for c in companions],
                "search": " ".join(
                    {_fold(native), _fold(latin), person.search_text.replace(" ", "")}
                ),
                "checked_in": _checked_in(last.get((registration.pk, 0))),
            }
        )
        for number, companion in enumerate(companions, start=1):
            guests.append(
                {
                    **common,
                    "attendee": number,
                    "name": companion.name_native or companion.name_latin,
                    "latin_name": companion.name_latin,
                    "companions": [],
                    "companion_of": native,
                    "search": " ".join({_fold(companion.name_native), _fold(companion.name_latin)}),
                    "checked_in": _checked_in(last.get((registration.pk, number))),
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


def _record_one(event: Event, scan: dict, user) -> ScanResult:
    existing = CheckIn.objects.filter(scan_id=scan["scan_id"]).first()
    if existing is not None:
        return _result(existing, duplicate=True)
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(event=event, public_id=scan["registration"])
            .first()
        )
        if registration is None:
            return ScanResult(
                str(scan["scan_id"]),
                CheckIn.Outcome.REFUSED,
                _("This code is for another event or an unknown guest."),
                registration=str(scan["registration"]),
            )
        existing = CheckIn.objects.filter(scan_id=scan["scan_id"]).first()
        if existing is not None:  # the same upload, racing itself
            return _result(existing, duplicate=True)
        outcome, message = CheckIn.Outcome.ADMITTED, ""
        if registration.status not in ADMITS:
            outcome = CheckIn.Outcome.REFUSED
            message = _("Not admitted: the registration is “%(status)s”.") % {
                "status": registration.get_status_display()
            }
        elif scan["attendee"] > registration.companions.count():
            outcome = CheckIn.Outcome.REFUSED
            message = _("This guest has no companion number %(n)s.") % {"n": scan["attendee"]}
        else:
            last = (
                CheckIn.objects.filter(
                    registration=registration,
                    attendee=scan["attendee"],
                    outcome=CheckIn.Outcome.ADMITTED,
                )
                .order_by("-scanned_at", "-id")
                .first()
            )
            if scan["direction"] == CheckIn.Direction.IN and last and last.direction == "in":
                outcome = CheckIn.Outcome.CONFLICT
                message = _conflict_message(last)
        checkin = CheckIn.objects.create(
            event=event,
            registration=registration,
            recorded_by=user if getattr(user, "pk", None) else None,
            outcome=outcome,
            message=message,
            **{k: scan[k] for k in ("scan_id", "attendee", "direction", "method", "scanned_at")},
            gate=scan["gate"],
            device=scan["device"],
        )
        if outcome == CheckIn.Outcome.ADMITTED and scan["direction"] == CheckIn.Direction.IN:
            registration_id, acting_user = registration.pk, user
            transaction.on_commit(lambda: record_attendance(registration_id, acting_user))
    return _result(checkin)


def _conflict_message(earlier: CheckIn) -> str:
    local = timezone.localtime(earlier.scanned_at, event_zone(earlier.event))
    return _("Already checked in at gate %(gate)s, %(time)s, device %(device)s.") % {
        "gate": earlier.gate or "—",
        "time": local.strftime("%H:%M"),
        "device": earlier.device or "—",
    }


def _result(checkin: CheckIn, *, duplicate: bool = False) -> ScanResult:
    return ScanResult(
        scan_id=str(checkin.scan_id),
        outcome=checkin.outcome,
        message=checkin.message,
        duplicate=duplicate,
        registration=str(checkin.registration.public_id),
        attendee=checkin.attendee,
    )


def record_scans(event: Event, scans: Iterable[dict], *, user=None) -> list[dict]:
    """Store a device's queue; one result per scan, in order. Invalid scans are reported with
    their error and never stop the others."""
    results = []
    for index, raw in enumerate(list(scans)[:MAX_SCANS_PER_UPLOAD]):
        try:
            scan = _parse_scan(raw)
        except ScanError as error:
            scan_id = raw.get("scan_id") if isinstance(raw, dict) else None
            results.append(
                {
                    "scan_id": str(scan_id or f"#{index}"),
                    "outcome": "invalid",
                    "code": error.code,
                    "message": str(error),
                }
            )
            continue
        results.append(_record_one(event, scan, user).as_dict())
    return results


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

    registration = Registration.objects.select_related("event", "person").get(pk=registration_id)
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
