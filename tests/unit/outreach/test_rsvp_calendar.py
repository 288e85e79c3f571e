"""Calendar invitations in RSVP mail, parsed back with icalendar property by property."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from outreach.services import registration as registering
from outreach.services.registration import AcceptInput
from tests.factories import EventFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def _calendar(mail) -> Calendar:
    (attachment,) = [a for a in mail.attachments if a[0].endswith(".ics")]
    _name, content, mimetype = attachment
    assert mimetype.startswith("text/calendar")
    data = content if isinstance(content, bytes) else content.encode()
    return Calendar.from_ical(data)


def _vevent(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def test_confirmation_carries_a_request_with_organizer_attendee_and_the_events_zone(
    committed, mailoutbox, settings
):
    settings.RSVP_ORGANIZER_EMAIL = "Ningbo Events <events@office.example.org>"
    event = EventFactory(time_zone="Europe/Berlin", venue="Elbphilharmonie", city="Hamburg")
    guest = PersonFactory(email="anna@example.de", given_name="Anna", family_name="Roth")
    with committed():
        registration = registering.accept(event, guest, AcceptInput()).registration
    (mail,) = mailoutbox
    calendar = _calendar(mail)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar["VERSION"]) == "2.0"
    entry = _vevent(calendar)
    assert str(entry["UID"]) == f"rsvp-{event.code}-{guest.pk}@liaison"
    assert int(entry["SEQUENCE"]) == 0
    assert entry["DTSTART"].dt == event.starts_at
    assert entry["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert entry["DTEND"].dt == event.ends_at
    assert str(entry["ORGANIZER"]) == "mailto:events@office.example.org"
    assert entry["ORGANIZER"].params["CN"] == "Ningbo Events"
    assert str(entry["ATTENDEE"]) == "mailto:anna@example.de"
    assert entry["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert "Elbphilharmonie" in str(entry["LOCATION"])
    assert str(entry["STATUS"]) == "CONFIRMED"
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Berlin"
    assert "calendar.google.com" in mail.body
    assert "outlook.office.com" in mail.body
    registration.refresh_from_db()
    assert registration.calendar_sequence == 1  # the next calendar object must be higher


def test_a_change_of_time_sends_an_update_with_a_higher_sequence_and_the_same_uid(
    committed, mailoutbox
):
    event = EventFactory()
    guest = PersonFactory(email="g@example.org")
    with committed():
        registering.accept(event, guest, AcceptInput())
    first = _vevent(_calendar(mailoutbox[0]))
    with committed():
        event.starts_at += timedelta(hours=2)
        event.ends_at += timedelta(hours=2)
        event.save()
    update = _vevent(_calendar(mailoutbox[1]))
    assert str(update["UID"]) == str(first["UID"])
    assert int(update["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert update["DTSTART"].dt == event.starts_at
    assert mailoutbox[1].subject.startswith("Changed:")


def test_declining_after_accepting_sends_a_cancel(committed, mailoutbox):
    event = EventFactory()
    guest = PersonFactory(email="g@example.org")
    with committed():
        registering.accept(event, guest, AcceptInput())
    with committed():
        registering.decline(event, guest, reason="ill")
    calendar = _calendar(mailoutbox[1])
    assert str(calendar["METHOD"]) == "CANCEL"
    entry = _vevent(calendar)
    assert str(entry["STATUS"]) == "CANCELLED"
    assert int(entry["SEQUENCE"]) == 1
    assert str(entry["UID"]) == str(_vevent(_calendar(mailoutbox[0]))["UID"])


def test_cancelling_the_event_sends_cancel_to_every_accepted_guest(committed, mailoutbox):
    event = EventFactory()
    with committed():
        registering.accept(event, PersonFactory(email="a@example.org"), AcceptInput())
        registering.accept(event, PersonFactory(email="b@example.org"), AcceptInput())
        registering.decline(event, PersonFactory(email="c@example.org"))
    mailoutbox.clear()
    with committed():
        event.status = "cancelled"
        event.save()
    assert len(mailoutbox) == 2
    assert {str(_calendar(m)["METHOD"]) for m in mailoutbox} == {"CANCEL"}


def test_a_decline_without_a_prior_accept_carries_no_calendar(committed, mailoutbox):
    with committed():
        registering.decline(EventFactory(), PersonFactory(email="x@example.org"))
    (mail,) = mailoutbox
    assert not mail.attachments
