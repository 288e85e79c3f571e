from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from outreach.models import Event


def make_event(**overrides) -> Event:
    values = {
        "name": "World Smart Manufacturing Forum 2027",
        "code": "wsmf-2027",
        "kind": Event.Kind.FORUM,
        "starts_at": datetime(2027, 6, 1, 1, 0, tzinfo=UTC),
        "ends_at": datetime(2027, 6, 2, 9, 0, tzinfo=UTC),
        "time_zone": "Asia/Shanghai",
        "city": "Ningbo",
        "country": "CN",
    }
    values.update(overrides)
    return Event(**values)


def test_event_times_are_shown_in_the_events_own_time_zone():
    event = make_event(time_zone="Europe/Berlin")
    assert event.local_start.isoformat() == "2027-06-01T03:00:00+02:00"


@pytest.mark.django_db
def test_unknown_time_zone_is_refused_with_its_name():
    event = make_event(time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "Mars/Olympus" in str(excinfo.value.message_dict["time_zone"])


@pytest.mark.django_db
def test_event_cannot_end_before_it_starts():
    event = make_event(ends_at=datetime(2027, 5, 1, tzinfo=UTC))
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "ends_at" in excinfo.value.message_dict
    with pytest.raises(IntegrityError):
        event.save()


@pytest.mark.django_db
def test_roadshow_stop_must_belong_to_a_roadshow():
    forum = make_event()
    forum.save()
    stop = make_event(code="stop-1", kind=Event.Kind.ROADSHOW_STOP, parent=forum)
    with pytest.raises(ValidationError) as excinfo:
        stop.full_clean()
    assert "parent" in excinfo.value.message_dict


@pytest.mark.django_db
def test_event_cannot_be_part_of_its_own_part():
    forum = make_event()
    forum.save()
    sub = make_event(code="sub-1", kind=Event.Kind.SUB_FORUM, parent=forum)
    sub.save()
    forum.parent = sub
    with pytest.raises(ValidationError):
        forum.full_clean()


def test_map_link_uses_coordinates_when_known_else_the_address():
    assert "mlat=29.87" in make_event(latitude="29.870000", longitude="121.550000").map_url()
    assert "query=" in make_event(venue="Ningbo International Conference Center").map_url()


def test_registrations_only_for_announced_events_with_registration_open():
    assert not make_event(registration_open=True).accepts_registrations  # still planned
    assert make_event(registration_open=True, status="announced").accepts_registrations
    assert not make_event(registration_open=True, status="cancelled").accepts_registrations
