"""A person's or an organization's profile is what a click on their name opens: relationships,
history and quick actions, not a field dump; lists tell namesakes apart by position."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import (
    AffiliationFactory,
    ConsentFactory,
    OrganizationFactory,
    PersonFactory,
    SegmentFactory,
    make_campaign,
)


@pytest.fixture
def chen(db):
    person = PersonFactory(
        family_name="陈", given_name="静", preferred_language="de", time_zone="Europe/Berlin"
    )
    institute = OrganizationFactory(name="Kiel Institut")
    AffiliationFactory(person=person, organization=institute, position="Direktorin")
    return person


@pytest.mark.django_db
def test_the_people_list_opens_the_profile_and_shows_position_and_organization(
    client, administrator, chen
):
    PersonFactory(family_name="陈", given_name="静")  # a namesake without affiliation
    client.force_login(administrator)
    body = client.get("/admin/snippets/crm/person/").content.decode()
    assert f'href="/admin/snippets/crm/person/inspect/{chen.pk}/"' in body
    assert "Direktorin · Kiel Institut" in body


@pytest.mark.django_db
def test_the_person_profile_shows_relationships_history_and_quick_actions(
    client, administrator, chen
):
    segment = SegmentFactory(name="Think tanks")
    segment.additions.add(chen)
    ConsentFactory(person=chen)
    campaign = make_campaign(name="Forum 2027 invitation")
    from outreach.models import Message

    Message.objects.create(
        campaign=campaign,
        person=chen,
        email="chen@example.org",
        email_digest="x",
        language="de",
        due_at=timezone.now(),
        opened_at=dt.datetime(2026, 11, 2, 1, 30, tzinfo=dt.UTC),
    )
    client.force_login(administrator)
    body = client.get(f"/admin/snippets/crm/person/inspect/{chen.pk}/").content.decode()
    assert "Direktorin" in body
    assert "Kiel Institut" in body
    assert "Think tanks" in body
    assert "Forum 2027 invitation · opened 2026-11-02 09:30" in body  # the office's time zone
    assert "German" in body
    assert ">de<" not in body
    assert "Central European Time" in body or "Germany" in body  # a readable time zone
    assert f"/admin/snippets/crm/interaction/add/?person={chen.pk}" in body
    assert f"/admin/snippets/crm/consent/add/?person={chen.pk}" in body
    assert "add_to_segment" in body


@pytest.mark.django_db
def test_log_an_interaction_and_record_consent_open_with_the_person_chosen(
    client, administrator, chen
):
    client.force_login(administrator)
    interaction_form = client.get(f"/admin/snippets/crm/interaction/add/?person={chen.pk}")
    assert interaction_form.context["form"].initial["people"] == [chen.pk]
    consent_form = client.get(f"/admin/snippets/crm/consent/add/?person={chen.pk}")
    assert consent_form.context["form"].initial["person"] == chen.pk


@pytest.mark.django_db
def test_the_organization_profile_lists_people_now_and_before_sub_organizations_and_events(
    client, officer, other_officer
):
    from outreach.models import Event, EventOrganizer

    chamber = OrganizationFactory(name="Handelskammer Hamburg")
    OrganizationFactory(name="Abteilung Asien", parent=chamber)
    AffiliationFactory(person=PersonFactory(family_name="Becker"), organization=chamber)
    AffiliationFactory(
        person=PersonFactory(family_name="Altmann"),
        organization=chamber,
        end_date=dt.date(2024, 6, 30),
    )
    secret = PersonFactory(family_name="Geheim", restricted=True, owner=other_officer)
    AffiliationFactory(person=secret, organization=chamber)
    now = timezone.now()
    event = Event.objects.create(name="Roadshow Hamburg", code="rs-hh", starts_at=now, ends_at=now)
    EventOrganizer.objects.create(event=event, organization=chamber, role="host")
    client.force_login(officer)
    list_body = client.get("/admin/snippets/crm/organization/").content.decode()
    assert f'href="/admin/snippets/crm/organization/inspect/{chamber.pk}/"' in list_body
    body = client.get(f"/admin/snippets/crm/organization/inspect/{chamber.pk}/").content.decode()
    assert "Becker" in body
    assert "Altmann" in body
    assert "2024-06-30" in body
    assert "Abteilung Asien" in body
    assert "Roadshow Hamburg" in body
    assert "Geheim" not in body  # a restricted person is not named to those who may not see her


@pytest.mark.django_db
def test_adding_people_to_a_segment_says_who_is_left_out_and_why(client, administrator):
    segment = SegmentFactory(name="Forum guests", consent_purpose="event_invitations")
    with_consent = PersonFactory()
    ConsentFactory(person=with_consent, purpose="event_invitations")
    without_consent = PersonFactory()
    do_not_contact = PersonFactory(do_not_contact=True)
    ids = "&".join(f"id={p.pk}" for p in (with_consent, without_consent, do_not_contact))
    client.force_login(administrator)
    response = client.post(
        f"/admin/bulk/crm/person/add_to_segment/?{ids}", {"segment": segment.pk}, follow=True
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "3 people added to the segment." in text
    assert "But 2 of them are not in its audience" in text
    assert "1 without consent for" in text
    assert "1 marked do-not-contact" in text
