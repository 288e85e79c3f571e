"""A forwarded invitation answered "as someone else": the visitor says "I am not <invitee>",
confirms their own address, and becomes a new guest whose place staff approve; the invitee's
answer is left alone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from crm.models import Consent, Person
from outreach.models import Registration, RegistrationStatus
from outreach.services import registration as registering
from outreach.services.tokens import make_rsvp_token
from tests.factories import EventFactory, PersonFactory, RegistrationFactory, invited

S = RegistrationStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks", "site_structure")]


def _path(message) -> str:
    return reverse("outreach_rsvp", args=[make_rsvp_token("m", message.public_id)])


NOT_ME = {
    "answer": "not_me",
    "family_name": "Müller",
    "given_name": "Anna",
    "name_native": "",
    "email": "anna.mueller@example.de",
    "consent": "on",
    "lang": "de",
}


def test_a_visitor_who_is_not_the_invitee_registers_as_a_new_guest_pending_approval(
    client, campaign_manager, django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(capacity=10)
    invitee = PersonFactory(name_chinese="王伟", honorific="prof", preferred_language="de")
    message = invited(event, invitee, language="de")
    RegistrationFactory(event=event, person=invitee, status=S.DECLINED, invitation=message)
    page = client.get(_path(message)).content.decode()
    assert "Ich bin nicht" in page or "I am not" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_path(message), NOT_ME)
    assert response.status_code == 302
    assert "not_me=sent" in response["Location"]
    assert not Person.objects.filter(family_name="Müller").exists()  # nothing before confirming
    (mail,) = mailoutbox
    assert mail.to == ["anna.mueller@example.de"]
    confirm_path = re.search(r"/register/confirm/\S+/", mail.body).group(0)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm_path).status_code == 302
        client.post(confirm_path)  # twice changes nothing
    anna = Person.objects.get(family_name="Müller")
    assert Consent.objects.filter(person=anna, purpose="event_invitations").exists()
    mine = Registration.objects.get(person=anna)
    assert (mine.status, mine.invitation, mine.event) == (S.REQUESTED, message, event)
    assert mine.changes.get().details["invitee"] == invitee.pk
    invitees = Registration.objects.get(person=invitee)
    assert invitees.status == S.DECLINED  # not overwritten
    assert invitees.changes.count() == 0
    registering.approve_request(mine, staff=campaign_manager)
    mine.refresh_from_db()
    assert mine.status == S.ACCEPTED


def test_not_me_needs_a_name_an_address_and_consent(client):
    message = invited(EventFactory(), PersonFactory())
    response = client.post(_path(message), {**NOT_ME, "consent": "", "email": "nope"})
    assert response.status_code == 400
    assert 'id="not_me_email-error"' in response.content.decode()
    assert not Registration.objects.exists()


def test_not_me_is_rate_limited_per_connection(client, settings, mailoutbox):
    settings.RSVP_FORM_RATE = 1
    from django.core.cache import cache

    cache.delete("rsvp-rate:not-me:127.0.0.1")
    message = invited(EventFactory(), PersonFactory())
    assert client.post(_path(message), NOT_ME).status_code == 302
    assert client.post(_path(message), NOT_ME).status_code == 429
