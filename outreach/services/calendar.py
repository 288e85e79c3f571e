"""Calendar files (.ics) for events: the public event page's download (PUBLISH) and each guest's
invitation (REQUEST, updates with a rising SEQUENCE, CANCEL) attached to RSVP mail. Times are
written with the event's own time zone (TZID plus a VTIMEZONE block) so that a calendar shows
09:00 in Berlin as 09:00 in Berlin, whatever zone the guest's computer is in."""

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


def _location(event: Event) -> str:
    return ", ".join(
        part for part in (event.venue, event.address, event.city, event.country.name) if part
    )


def guest_uid(registration) -> str:
    """Stable per guest and event: every update or cancellation replaces the same entry."""
    return f"rsvp-{registration.event.code}-{registration.person_id}@liaison"


def guest_calendar_file(
    registration,
    *,
    method: str,
    title: str,
    description: str = "",
    url: str = "",
    language: str = "",
    organizer_email: str,
    organizer_name: str = "",
    attendee_email: str,
    attendee_name: str = "",
) -> bytes:
    """An RFC 5545 / iTIP invitation for one guest: METHOD:REQUEST (first confirmation and
    updates, SEQUENCE rising) or METHOD:CANCEL, with ORGANIZER, ATTENDEE and the VTIMEZONE of
    the event's zone."""
    from icalendar import vCalAddress

    event = registration.event
    calendar = Calendar()
    calendar.add("prodid", "-//Liaison//RSVP//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    zone = zoneinfo.ZoneInfo(event.time_zone)
    entry = CalendarEvent()
    entry.add("uid", guest_uid(registration))
    entry.add("sequence", registration.calendar_sequence)
    entry.add("dtstamp", datetime.now(UTC))
    entry.add("dtstart", event.starts_at.astimezone(zone))
    entry.add("dtend", event.ends_at.astimezone(zone))
    params = {"language": language} if language else {}
    entry.add("summary", title, parameters=params)
    if description:
        entry.add("description", description, parameters=params)
    if _location(event):
        entry.add("location", _location(event))
    if url:
        entry.add("url", url)
    organizer = vCalAddress(f"mailto:{organizer_email}")
    if organizer_name:
        organizer.params["cn"] = organizer_name
    entry.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    if attendee_name:
        attendee.params["cn"] = attendee_name
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "DECLINED" if method == "CANCEL" else "ACCEPTED"
    entry.add("attendee", attendee)
    entry.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def add_to_calendar_links(event: Event, *, title: str, description: str = "") -> dict[str, str]:
    """Links that open Google Calendar's and Outlook's "new event" forms, times in UTC."""
    from urllib.parse import urlencode

    start = event.starts_at.astimezone(UTC)
    end = event.ends_at.astimezone(UTC)
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": title,
            "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
            "details": description,
            "location": _location(event),
            "ctz": event.time_zone,
        }
    )
    outlook = "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": title,
            "startdt": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "enddt": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "body": description,
            "location": _location(event),
        }
    )
    return {"google": google, "outlook": outlook}
