"""Open registration: double opt-in, matched or created with consent, rate-limited."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from crm.models import Consent, Person
from outreach.models import Registration, RegistrationStatus
from tests.factories import EventFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def open_event(site_structure):
    return EventFactory(invitation_only=False, registration_open=True, capacity=50)


def _register(client, event, email="new@example.org", **extra):
    data = {"family_name": "Novak", "given_name": "Ivo", "email": email, "consent": "on"}
    data.update(extra)
    return client.post(reverse("outreach_register", args=[event.code]) + "?lang=de", data)


def test_registration_needs_the_email_confirmed_and_then_creates_the_person_with_consent(
    client, open_event, mailoutbox, committed
):
    with committed():
        response = _register(client, open_event)
    assert response.status_code == 200
    assert "Postfach" in response.content.decode()
    assert not Person.objects.filter(family_name="Novak").exists()  # nothing stored yet
    (mail,) = mailoutbox
    link = re.search(r"https?://\S+/register/confirm/\S+/", mail.body).group(0)
    path = link.split("localhost:8000")[-1]
    assert client.get(path).status_code == 200  # GET changes nothing
    assert not Registration.objects.exists()
    with committed():
        confirmed = client.post(path)
    assert confirmed.status_code == 302
    person = Person.objects.get(family_name="Novak")
    consent = Consent.objects.get(person=person)
    assert (consent.purpose, consent.legal_basis, consent.notice_version) == (
        "event_invitations",
        "consent",
        "2025-01",
    )
    registration = Registration.objects.get(person=person)
    assert (registration.status, registration.channel, registration.language) == (
        RegistrationStatus.ACCEPTED,
        "form",
        "de",
    )
    assert "Ihr Platz ist bestätigt" in mailoutbox[-1].subject
    client.post(path)  # the same link again changes nothing
    assert registration.changes.count() == 1


def test_a_known_address_is_matched_to_the_existing_person(
    client, open_event, mailoutbox, committed
):
    known = PersonFactory(email="Known@Example.org")
    with committed():
        _register(client, open_event, email="known@example.org")
    path = re.search(r"/register/confirm/\S+/", mailoutbox[0].body).group(0)
    with committed():
        client.post(path)
    assert Registration.objects.get().person == known


def test_registrations_needing_approval_become_requests(
    client, site_structure, mailoutbox, committed
):
    event = EventFactory(invitation_only=False, registration_needs_approval=True)
    with committed():
        _register(client, event)
    path = re.search(r"/register/confirm/\S+/", mailoutbox[0].body).group(0)
    client.post(path)
    assert Registration.objects.get().status == RegistrationStatus.REQUESTED


def test_the_public_form_is_rate_limited(client, open_event, settings):
    settings.RSVP_FORM_RATE = 2
    from django.core.cache import cache

    cache.clear()
    assert _register(client, open_event).status_code == 200
    assert _register(client, open_event).status_code == 200
    assert _register(client, open_event).status_code == 429


def test_a_tampered_confirmation_link_changes_nothing(client, site_structure):
    response = client.post(reverse("outreach_register_confirm", args=["bad:token"]))
    assert response.status_code == 410
    assert not Registration.objects.exists()


def test_the_event_page_links_to_liaisons_registration_when_open(
    client, site_structure, open_event
):
    from site_cms.models import EventIndexPage, EventPage

    index = site_structure.add_child(instance=EventIndexPage(title="Events", slug="events"))
    page = index.add_child(
        instance=EventPage(title="Forum Hamburg", slug="forum-hh", event=open_event, intro_text="x")
    )
    html = client.get(page.url).content.decode()
    assert reverse("outreach_register", args=[open_event.code]) in html
