"""The person's profile names their events (invited, answered, attended) and invites them to
one; consent is recorded on the person form itself."""

from __future__ import annotations

import pytest
from django.utils import timezone

from crm.models import Consent
from outreach.models import CheckIn, MessageStatus
from tests.factories import (
    EventFactory,
    PersonFactory,
    RegistrationFactory,
    make_campaign,
    make_contact,
)

pytestmark = pytest.mark.django_db


def test_profile_lists_events_invited_answered_and_attended(client, staff_admin):
    person = make_contact("li.na@example.org")
    forum = EventFactory(name="Ningbo Robotics Forum")
    expo = EventFactory(name="Mould Expo")
    campaign = make_campaign(people=[person], event=forum, kind="invitation")
    campaign.messages.create(
        person=person,
        email="li.na@example.org",
        email_digest="x",
        language="en",
        status=MessageStatus.SENT,
        due_at=timezone.now(),
        sent_at=timezone.now(),
    )
    registration = RegistrationFactory(event=forum, person=person, status="accepted")
    CheckIn.objects.create(
        event=forum, registration=registration, outcome="admitted", scanned_at=timezone.now()
    )
    RegistrationFactory(event=expo, person=person, status="declined")
    client.force_login(staff_admin)
    page = client.get(f"/admin/snippets/crm/person/inspect/{person.pk}/").content.decode()
    forum_row = page.split("Ningbo Robotics Forum", 1)[1].split("</li>", 1)[0]
    assert "invited" in forum_row
    assert "Accepted" in forum_row
    assert "attended" in forum_row
    expo_row = page.split("Mould Expo", 1)[1].split("</li>", 1)[0]
    assert "Declined" in expo_row
    assert "attended" not in expo_row
    assert f"/admin/people/{person.pk}/invite/" in page


def test_invite_to_an_event_adds_the_person_to_a_draft_invitation(client, campaign_manager):
    person = make_contact("guest@example.org")
    forum = EventFactory(name="Ningbo Robotics Forum")
    campaign = make_campaign(people=[], event=forum, kind="invitation", name="Forum invitation")
    client.force_login(campaign_manager)
    page = client.get(f"/admin/people/{person.pk}/invite/")
    assert "Ningbo Robotics Forum" in page.content.decode()
    response = client.post(f"/admin/people/{person.pk}/invite/", {"campaign": campaign.pk})
    assert response.status_code == 302
    assert list(campaign.additions.all()) == [person]
    again = client.post(
        f"/admin/people/{person.pk}/invite/", {"campaign": campaign.pk}, follow=True
    )
    assert "was already in the invitation" in again.content.decode()


def test_invite_refuses_a_restricted_person_of_someone_else(
    client, campaign_manager, other_officer
):
    hidden = PersonFactory(restricted=True, owner=other_officer)
    client.force_login(campaign_manager)
    assert client.get(f"/admin/people/{hidden.pk}/invite/").status_code == 404


def edit_form(**overrides):
    """The person form as posted for a person without emails or phones."""
    from wagtail.test.utils.form_data import inline_formset

    from tests.unit.crm.test_admin_person_form import person_form

    purposes = overrides.pop("consent_purposes", None)
    data = person_form(emails=inline_formset([]), phones=inline_formset([]), **overrides)
    if purposes is not None:
        data["consent_purposes"] = purposes  # a list: one value per ticked box
    return data


def test_consent_is_recorded_and_withdrawn_from_the_person_form(client, staff_admin):
    person = PersonFactory()
    client.force_login(staff_admin)
    url = f"/admin/snippets/crm/person/edit/{person.pk}/"
    page = client.get(url).content.decode()
    assert 'name="consent_purposes"' in page
    assert 'value="event_invitations" checked' not in page.replace("\n", "")
    response = client.post(
        url,
        edit_form(
            consent_purposes=["event_invitations"],
            consent_legal_basis="consent",
            consent_source="Business card at the forum",
        ),
    )
    assert response.status_code == 302
    consent = Consent.objects.valid().get(person=person)
    assert (consent.purpose, consent.source, consent.recorded_by) == (
        "event_invitations",
        "Business card at the forum",
        staff_admin,
    )
    assert client.get(url).context["form"]["consent_purposes"].value() == ["event_invitations"]
    assert client.post(url, edit_form(consent_legal_basis="consent")).status_code == 302
    assert not Consent.objects.valid().filter(person=person).exists()


def test_staff_who_may_not_record_consent_do_not_get_the_boxes(client):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    editor = UserFactory()
    editor.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_person", "change_person", "add_person"]
        )
    )
    person = PersonFactory(owner=editor)
    client.force_login(editor)
    page = client.get(f"/admin/snippets/crm/person/edit/{person.pk}/")
    assert page.status_code == 200
    assert 'name="family_name"' in page.content.decode()
    assert 'name="consent_purposes"' not in page.content.decode()
