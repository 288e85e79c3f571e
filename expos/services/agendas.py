"""Each participant's matchmaking agenda in their own language, and an .ics file per meeting
(times in the expo's time zone, a stable UID per meeting so that a moved meeting replaces the
old entry)."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from expos.models import Buyer, Exhibitor, Meeting


@dataclass(frozen=True)
class AgendaItem:
    meeting: Meeting
    starts_at: datetime
    ends_at: datetime
    place: str
    counterpart: str
    interpreter: str


def buyer_language(buyer: Buyer) -> str:
    registration = buyer.registration
    return registration.language or registration.person.preferred_language or "en"


def exhibitor_language(exhibitor: Exhibitor) -> str:
    contact = exhibitor.contacts.order_by("pk").first()
    return (contact.preferred_language if contact else "") or "zh-hans"


def _place(meeting: Meeting) -> str:
    return _("Hall %(hall)s, table %(table)s") % {
        "hall": meeting.table.hall,
        "table": meeting.table.label,
    }


def _items(meetings, counterpart, zone) -> list[AgendaItem]:
    return [
        AgendaItem(
            meeting=m,
            starts_at=m.slot.starts_at.astimezone(zone),
            ends_at=m.slot.ends_at.astimezone(zone),
            place=_place(m),
            counterpart=counterpart(m),
            interpreter=m.interpreter.name if m.interpreter else "",
        )
        for m in meetings
    ]


def _meetings():
    return Meeting.objects.select_related(
        "slot",
        "table",
        "interpreter",
        "request__event",
        "request__exhibitor__organization",
        "request__buyer__registration__person",
    ).order_by("slot__starts_at", "pk")


def buyer_agenda(buyer: Buyer) -> tuple[str, list[AgendaItem]]:
    """(language, items) of the buyer's meetings, rendered in the buyer's language."""
    language = buyer_language(buyer)
    zone = zoneinfo.ZoneInfo(buyer.registration.event.time_zone)
    with override(language):
        items = _items(
            _meetings().filter(request__buyer=buyer),
            lambda m: str(m.request.exhibitor),
            zone,
        )
    return language, items


def exhibitor_agenda(exhibitor: Exhibitor) -> tuple[str, list[AgendaItem]]:
    language = exhibitor_language(exhibitor)
    zone = zoneinfo.ZoneInfo(exhibitor.event.time_zone)
    with override(language):
        items = _items(
            _meetings().filter(request__exhibitor=exhibitor),
            lambda m: str(m.request.buyer.registration.person),
            zone,
        )
    return language, items


def meeting_calendar_file(item: AgendaItem, *, language: str) -> bytes:
    """One VEVENT for an agenda item, in `language`."""
    meeting = item.meeting
    event = meeting.request.event
    with override(language):
        summary = _("Meeting with %(name)s") % {"name": item.counterpart}
        description = (
            _("Interpreter: %(name)s") % {"name": item.interpreter} if item.interpreter else ""
        )
        location = f"{item.place}, {event.venue}" if event.venue else item.place
    calendar = Calendar()
    calendar.add("prodid", "-//Liaison//Matchmaking//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"meeting-{meeting.request_id}@liaison")
    entry.add("dtstamp", datetime.now(UTC))
    entry.add("dtstart", item.starts_at)
    entry.add("dtend", item.ends_at)
    entry.add("summary", summary, parameters={"language": language})
    if description:
        entry.add("description", description, parameters={"language": language})
    entry.add("location", location)
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
