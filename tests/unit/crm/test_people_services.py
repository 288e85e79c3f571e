import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from crm.models import Consent, Interaction, Person, Relationship, RelationshipType
from crm.services import people as people_service
from crm.services.interactions import follow_ups_for, record_interaction
from crm.services.people import EmailInput, PersonInput, PhoneInput
from crm.services.timeline import TimelineEntry, timeline_for
from tests.factories import (
    AffiliationFactory,
    ConsentFactory,
    OrganizationFactory,
    PersonFactory,
    SegmentFactory,
)


@pytest.mark.django_db
def test_phones_default_to_the_organizations_country_when_the_person_has_none(officer):
    person = PersonFactory(country="")
    AffiliationFactory(person=person, organization=OrganizationFactory(country="JP"))
    people_service.update_person(
        person, PersonInput(phones=[PhoneInput("090-1234-5678")]), acting_user=officer
    )
    assert str(person.phones.get().number) == "+819012345678"


@pytest.mark.django_db
def test_an_email_identity_belongs_to_one_person_only(officer):
    PersonFactory(email="anna@example.org")
    with pytest.raises(ValidationError) as error:
        people_service.create_person(
            PersonInput(fields={"family_name": "X"}, emails=[EmailInput("ANNA@example.org")]),
            acting_user=officer,
        )
    assert '"ANNA@example.org" already belongs to another contact' in str(error.value)


@pytest.mark.django_db
def test_language_and_time_zone_are_checked_with_the_value_named(officer):
    with pytest.raises(ValidationError) as error:
        people_service.create_person(
            PersonInput(
                fields={"family_name": "X", "preferred_language": "xx", "time_zone": "Mars/Base"}
            ),
            acting_user=officer,
        )
    assert (
        '"xx" is not one of the configured languages'
        in error.value.message_dict["preferred_language"][0]
    )
    assert '"Mars/Base" is not an IANA time zone' in error.value.message_dict["time_zone"][0]


@pytest.mark.django_db
def test_merging_moves_everything_to_the_kept_person_and_is_audited(officer):
    keep = PersonFactory(family_name="Wang", email="wang@example.cn", city="")
    drop = PersonFactory(family_name="Wang", email="w.wang@example.cn", city="Ningbo")
    ConsentFactory(person=drop)
    other = PersonFactory()
    Relationship.objects.create(
        type=RelationshipType.objects.get(name="introduction"), from_person=other, to_person=drop
    )
    record_interaction(
        kind="call", occurred_on=datetime.date(2026, 1, 5), subject="c", people=[drop]
    )
    segment = SegmentFactory()
    segment.additions.add(drop)
    people_service.merge_people(keep, drop, acting_user=officer)
    keep.refresh_from_db()
    assert not Person.objects.filter(pk=drop.pk).exists()
    assert sorted(keep.emails.values_list("email", flat=True)) == [
        "w.wang@example.cn",
        "wang@example.cn",
    ]
    assert keep.emails.filter(is_primary=True).count() == 1
    assert keep.city == "Ningbo"
    assert Consent.objects.filter(person=keep).count() == 1
    assert Interaction.objects.filter(people=keep).count() == 1
    assert Relationship.objects.filter(to_person=keep).count() == 1
    assert list(segment.additions.all()) == [keep]
    assert keep.last_interaction_on == datetime.date(2026, 1, 5)
    assert ModelLogEntry.objects.filter(object_id=str(keep.pk), action="crm.merge").exists()


@pytest.mark.django_db
def test_tagging_and_owner_changes_are_in_the_history(officer, other_officer):
    person = PersonFactory()
    people_service.add_tags([person], ["speaker"], acting_user=officer)
    people_service.assign_owner([person], other_officer, acting_user=officer)
    person.refresh_from_db()
    assert person.tag_list == "speaker"
    assert person.owner == other_officer
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(person.pk)).values_list("action", flat=True)
    )
    assert {"crm.tagged", "crm.owner_assigned"} <= actions


@pytest.mark.django_db
def test_interactions_recorded_twice_with_the_same_source_reference_are_stored_once():
    person = PersonFactory()
    for _ in range(2):
        record_interaction(
            kind="event_attendance",
            occurred_on=datetime.date(2026, 9, 1),
            subject="Checked in",
            people=[person],
            source="outreach",
            source_ref="checkin-42",
        )
    assert Interaction.objects.filter(source_ref="checkin-42").count() == 1


@pytest.mark.django_db
def test_follow_up_list_shows_a_staff_members_open_follow_ups_soonest_first(officer, other_officer):
    today = datetime.date(2026, 6, 1)
    later = record_interaction(
        kind="call",
        occurred_on=today,
        subject="later",
        follow_up_on=today + datetime.timedelta(days=9),
        follow_up_owner=officer,
    )
    sooner = record_interaction(
        kind="call",
        occurred_on=today,
        subject="sooner",
        follow_up_on=today + datetime.timedelta(days=1),
        follow_up_owner=officer,
    )
    record_interaction(
        kind="call",
        occurred_on=today,
        subject="not mine",
        follow_up_on=today,
        follow_up_owner=other_officer,
    )
    assert list(follow_ups_for(officer)) == [sooner, later]


@pytest.mark.django_db
def test_timeline_merges_interactions_changes_and_entries_from_other_apps(client, officer):
    from wagtail import hooks

    person = PersonFactory(owner=officer)
    people_service.add_tags([person], ["vip"], acting_user=officer)
    record_interaction(
        kind="visit", occurred_on=datetime.date(2026, 2, 1), subject="Port visit", people=[person]
    )

    def rsvps(person, user):
        return [
            TimelineEntry(when=datetime.date(2026, 3, 1), kind="rsvp", title="Accepted WRC 2026")
        ]

    with hooks.register_temporarily("crm_person_timeline", rsvps):
        titles = [e.title for e in timeline_for(person, officer)]
        assert "Accepted WRC 2026" in titles
        assert titles.index("Accepted WRC 2026") < titles.index("Visit: Port visit")
        client.force_login(officer)
        page = client.get(f"/admin/snippets/crm/person/inspect/{person.pk}/").content.decode()
        assert "Accepted WRC 2026" in page
        assert "Port visit" in page


def test_salutations_follow_the_language():
    person = Person(
        family_name="王",
        given_name="伟",
        name_chinese="王伟",
        name_latin="Wang Wei",
        honorific="academician",
        name_order="family_first",
    )
    assert person.salutation("zh-hans") == "尊敬的王伟院士"
    assert person.salutation("en") == "Dear Academician Wang"
    mayor = Person(family_name="Weiß", given_name="Karl", honorific="mayor", gender="male")
    assert mayor.salutation("de") == "Sehr geehrter Herr Bürgermeister Weiß"
    assert mayor.salutation("en") == "Dear Mayor Weiß"
