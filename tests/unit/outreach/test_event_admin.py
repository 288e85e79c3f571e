from datetime import UTC, datetime

import pytest

from outreach.models import Event

pytestmark = pytest.mark.django_db


def event_form_data(**overrides) -> dict:
    data = {
        "name": "Roadshow: Hamburg",
        "code": "rs-hamburg",
        "kind": "roadshow",
        "starts_at": "2027-06-01 09:00",
        "ends_at": "2027-06-01 13:00",
        "time_zone": "Europe/Berlin",
        "venue": "Handelskammer",
        "city": "Hamburg",
        "country": "DE",
        "status": "announced",
        "organizers-TOTAL_FORMS": "0",
        "organizers-INITIAL_FORMS": "0",
        "organizers-MIN_NUM_FORMS": "0",
        "organizers-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_staff_types_event_times_as_wall_clock_time_in_the_events_time_zone(client, staff_admin):
    client.force_login(staff_admin)
    response = client.post("/admin/snippets/outreach/event/add/", event_form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(code="rs-hamburg")
    # 09:00 in Hamburg in June is 07:00 UTC, although the office works in Asia/Shanghai.
    assert event.starts_at == datetime(2027, 6, 1, 7, 0, tzinfo=UTC)
    edit = client.get(f"/admin/snippets/outreach/event/edit/{event.pk}/")
    assert 'value="2027-06-01 09:00"' in edit.content.decode()


def test_event_form_names_the_bad_time_zone(client, staff_admin):
    client.force_login(staff_admin)
    response = client.post(
        "/admin/snippets/outreach/event/add/", event_form_data(time_zone="Europe/Hamburg")
    )
    assert response.status_code == 200
    assert "Europe/Hamburg is not an IANA time zone name" in response.content.decode()
    assert not Event.objects.exists()
