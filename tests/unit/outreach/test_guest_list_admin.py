"""Staff guest lists: filters, safe exports, answers recorded or changed on a guest's behalf,
requests approved, RSVPs on the person's timeline."""

from __future__ import annotations

import pytest

from outreach.models import Registration, RegistrationStatus
from outreach.services import registration as registering
from tests.factories import EventFactory, PersonFactory, RegistrationFactory

S = RegistrationStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
LIST = "/admin/snippets/outreach/registration/"


def test_guest_list_filters_by_event_and_answer_and_hides_restricted_guests(
    client, campaign_manager
):
    event = EventFactory()
    RegistrationFactory(event=event, person=PersonFactory(family_name="Accepto"))
    RegistrationFactory(event=event, person=PersonFactory(family_name="Declino"), status="declined")
    RegistrationFactory(
        event=event, person=PersonFactory(family_name="Secreto", restricted=True), status="accepted"
    )
    client.force_login(campaign_manager)
    html = client.get(LIST, {"event": event.pk, "status": "accepted"}).content.decode()
    assert "Accepto" in html
    assert "Declino" not in html
    assert "Secreto" not in html


def test_bulk_delete_never_lists_a_restricted_guests_registration(client, campaign_manager):
    hidden = RegistrationFactory(person=PersonFactory(family_name="Secreto", restricted=True))
    shown = RegistrationFactory(person=PersonFactory(family_name="Visibile"))
    client.force_login(campaign_manager)
    response = client.get(
        "/admin/bulk/outreach/registration/delete/", {"id": [hidden.pk, shown.pk]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Visibile" in html
    assert "Secreto" not in html


def test_guest_list_export_escapes_formulas_and_masks_addresses_for_staff_without_the_right(
    client, campaign_manager, viewer
):
    event = EventFactory()
    RegistrationFactory(
        event=event,
        person=PersonFactory(email="guest@example.org"),
        decline_reason="=HYPERLINK(1)",
    )
    RegistrationFactory(event=event, decline_reason="@SUM(A1)")
    client.force_login(campaign_manager)
    csv_text = b"".join(client.get(LIST, {"export": "csv"}).streaming_content).decode()
    assert "'=HYPERLINK" in csv_text
    assert "'@SUM(A1)" in csv_text
    assert "guest@example.org" in csv_text
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(viewer)
    csv_text = b"".join(client.get(LIST, {"export": "csv"}).streaming_content).decode()
    assert "guest@example.org" not in csv_text


def test_staff_record_an_answer_received_by_phone(client, campaign_manager):
    event = EventFactory(capacity=5)
    guest = PersonFactory()
    client.force_login(campaign_manager)
    response = client.post(
        LIST + "add/",
        {
            "new_event": event.pk,
            "new_person": guest.pk,
            "answer": "accept",
            "channel": "phone",
            "reason": "called the office on Monday",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    registration = Registration.objects.get(person=guest)
    change = registration.changes.get()
    assert (registration.status, change.channel, change.staff) == (
        S.ACCEPTED,
        "phone",
        campaign_manager,
    )


def test_changing_an_answer_on_a_guests_behalf_needs_a_reason(client, campaign_manager):
    event = EventFactory()
    guest = PersonFactory()
    registration = registering.accept(event, guest, registering.AcceptInput()).registration
    client.force_login(campaign_manager)
    url = f"{LIST}edit/{registration.pk}/"
    response = client.post(url, {"answer": "decline", "channel": "letter", "reason": ""})
    assert response.status_code == 200
    assert "Say why" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == S.ACCEPTED
    client.post(url, {"answer": "decline", "channel": "letter", "reason": "letter of 3 May"})
    registration.refresh_from_db()
    assert registration.status == S.DECLINED
    assert registration.changes.last().reason == "letter of 3 May"


def test_staff_approve_a_delegate_request(client, campaign_manager):
    event = EventFactory(invitation_only=True)
    outcome = registering.send_delegate(
        event, PersonFactory(), registering.DelegateInput(email="d@example.org", family_name="D")
    )
    client.force_login(campaign_manager)
    client.post(f"{LIST}edit/{outcome.delegate.pk}/", {"answer": "approve", "channel": "staff"})
    outcome.delegate.refresh_from_db()
    assert outcome.delegate.status == S.ACCEPTED


def test_rsvps_appear_on_the_persons_timeline(client, administrator):
    guest = PersonFactory()
    registering.decline(EventFactory(name="Osaka stop"), guest, reason="abroad")
    client.force_login(administrator)
    html = client.get(f"/admin/snippets/crm/person/inspect/{guest.pk}/").content.decode()
    assert "RSVP Osaka stop: Declined" in html
