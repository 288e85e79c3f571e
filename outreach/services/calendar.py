"""Calendar files (.ics) for events: the public event page's download now, the RSVP confirmation
later. Times are written with the event's own time zone (TZID plus a VTIMEZONE block) so that a
calendar shows 09:00 in Berlin as 09:00 in Berlin, whatever zone the guest's computer is in."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from outreach.models import Event


def event_calendar_file(
    event: Event, *, title: str, description: str = "", url: str = "", language: str = ""
) -> bytes:
    """One VEVENT for `event`, with the given (already translated) title and description."""
    calendar = Calendar()
    calendar.add("prodid", "-//Liaison//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    zone = zoneinfo.ZoneInfo(event.time_zone)
    entry = CalendarEvent()
    entry.add("uid", f"{event.code}@liaison")
    entry.add("dtstamp", datetime.now(UTC))
    entry.add("dtstart", event.starts_at.astimezone(zone))
    entry.add("dtend", event.ends_at.astimezone(zone))
    summary_params = {"language": language} if language else {}
    entry.add("summary", title, parameters=summary_params)
    if description:
        entry.add("description", description, parameters=summary_params)
    location = ", ".join(
        part for part in (event.venue, event.address, event.city, event.country.name) if part
    )
    if location:
        entry.add("location", location)
    if url:
        entry.add("url", url)
    status = {
        Event.Status.CANCELLED: "CANCELLED",
        Event.Status.PLANNED: "TENTATIVE",
        Event.Status.POSTPONED: "TENTATIVE",
    }.get(event.status, "CONFIRMED")
    entry.add("status", status)
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
