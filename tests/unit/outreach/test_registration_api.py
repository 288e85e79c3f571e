"""/api/v1/events/ and /api/v1/registrations/: the guest list and answers over the API."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from outreach.models import Registration
from outreach.services import registration as registering
from tests.factories import EventFactory, PersonFactory, RegistrationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_events_and_their_registrations_with_answers(campaign_manager):
    event = EventFactory(capacity=10, companion_allowance=1)
    guest = PersonFactory(family_name="Lindqvist")
    registering.accept(
        event,
        guest,
        registering.AcceptInput(companions=[registering.CompanionInput("", "Eva Berg")]),
    )
    RegistrationFactory(event=event, person=PersonFactory(restricted=True))
    client = api(campaign_manager)
    listed = client.get(f"/api/v1/events/{event.pk}/").json()
    assert listed["places_left"] == 7  # the guest, a companion, the restricted guest
    rows = client.get(f"/api/v1/events/{event.pk}/registrations/").json()
    rows = rows.get("results", rows)
    assert [r["person_name"] for r in rows] == [guest.display_name]  # restricted guest hidden
    assert rows[0]["companions"] == [{"name_native": "", "name_latin": "Eva Berg"}]
    filtered = client.get("/api/v1/registrations/", {"event": event.pk, "status": "declined"})
    assert filtered.json().get("results", filtered.json()) == []


def test_recording_an_answer_over_the_api_returns_stable_error_codes(campaign_manager):
    event = EventFactory(capacity=1)
    registering.accept(event, PersonFactory(), registering.AcceptInput())
    guest = PersonFactory()
    client = api(campaign_manager)
    response = client.post(
        "/api/v1/registrations/answer/",
        {"event": event.pk, "person": guest.pk, "answer": "accept", "channel": "phone"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "waitlisted"
    closed = EventFactory(status="cancelled")
    response = client.post(
        "/api/v1/registrations/answer/",
        {"event": closed.pk, "person": guest.pk, "answer": "decline"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "event_closed"
    assert not Registration.objects.filter(event=closed).exists()


def test_the_api_refuses_users_without_the_permissions():
    plain = api(UserFactory(username="plainuser"))
    assert plain.get("/api/v1/registrations/").status_code == 403
    assert plain.get("/api/v1/events/").status_code == 403
