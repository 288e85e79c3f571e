"""Segments resolve to the right people in one query; consent is never bypassed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from crm.models import Sector
from crm.services import consent as consent_service
from crm.services.segments import preview, resolve_segment_queryset, spec_from_data
from tests.factories import (
    AffiliationFactory,
    ConsentFactory,
    OrganizationFactory,
    PersonFactory,
    SegmentFactory,
)


def names(queryset):
    return sorted(queryset.values_list("family_name", flat=True))


@pytest.fixture
def audience(db, officer):
    robotics = Sector.objects.get(slug="robotics")
    ministry = OrganizationFactory(kind="national_ministry", country="CN")
    berlin = PersonFactory(family_name="Berlin", country="DE", city="Berlin", vip_level=2)
    hamburg = PersonFactory(family_name="Hamburg", country="DE", city="Hamburg", vip_level=0)
    beijing = PersonFactory(
        family_name="Beijing", country="CN", preferred_language="zh-hans", owner=officer
    )
    diaspora = PersonFactory(family_name="Diaspora", country="TH", is_diaspora=True)
    AffiliationFactory(person=beijing, organization=ministry)
    beijing.sectors.add(robotics)
    diaspora.tags.add("ningbo-bang")
    diaspora.save()
    for person in (berlin, hamburg, beijing, diaspora):
        ConsentFactory(person=person, purpose="event_invitations")
    return {
        "robotics": robotics,
        "berlin": berlin,
        "hamburg": hamburg,
        "beijing": beijing,
        "diaspora": diaspora,
    }


@pytest.mark.django_db
def test_each_filter_selects_the_matching_people(audience, officer):
    cases = [
        ({"countries": ["DE"]}, ["Berlin", "Hamburg"]),
        ({"cities": "hamburg, Lyon"}, ["Hamburg"]),
        ({"organization_kinds": ["national_ministry"]}, ["Beijing"]),
        ({"languages": ["zh-hans"]}, ["Beijing"]),
        ({"diaspora": "yes"}, ["Diaspora"]),
        ({"diaspora": "no"}, ["Beijing", "Berlin", "Hamburg"]),
        ({"min_vip_level": 2}, ["Berlin"]),
        ({"consent_purpose": "event_invitations"}, ["Beijing", "Berlin", "Diaspora", "Hamburg"]),
        ({"consent_purpose": "newsletters"}, []),
    ]
    for fields, expected in cases:
        segment = SegmentFactory(**fields)
        assert names(resolve_segment_queryset(segment)) == expected, fields
    segment = SegmentFactory()
    segment.sectors.add(audience["robotics"])
    assert names(resolve_segment_queryset(segment)) == ["Beijing"]
    segment = SegmentFactory()
    segment.tags.add(Tag.objects.get(name="ningbo-bang"))
    assert names(resolve_segment_queryset(segment)) == ["Diaspora"]
    segment = SegmentFactory()
    segment.owners.add(officer)
    assert names(resolve_segment_queryset(segment)) == ["Beijing"]


@pytest.mark.django_db
def test_filters_combine_with_and_and_static_members_are_added_and_excluded(audience):
    segment = SegmentFactory(countries=["DE", "CN"], min_vip_level=2)
    assert names(resolve_segment_queryset(segment)) == ["Berlin"]
    segment.additions.add(audience["diaspora"])
    segment.exclusions.add(audience["berlin"])
    assert names(resolve_segment_queryset(segment)) == ["Diaspora"]


@pytest.mark.django_db
def test_a_person_without_valid_consent_is_never_in_the_audience_not_even_as_an_addition(audience):
    segment = SegmentFactory(countries=["DE"], consent_purpose="event_invitations")
    no_consent = PersonFactory(family_name="NoConsent", country="DE")
    segment.additions.add(no_consent)
    consent_service.withdraw_consent(audience["hamburg"], purpose="event_invitations")
    assert names(resolve_segment_queryset(segment)) == ["Berlin"]
    future = PersonFactory(family_name="Future", country="DE")
    ConsentFactory(person=future, given_at=timezone.now() + datetime.timedelta(days=1))
    assert names(resolve_segment_queryset(segment)) == ["Berlin"]


@pytest.mark.django_db
def test_do_not_contact_and_erased_people_are_left_out(audience):
    audience["berlin"].do_not_contact = True
    audience["berlin"].save()
    audience["hamburg"].erased_at = timezone.now()
    audience["hamburg"].save()
    segment = SegmentFactory(countries=["DE"])
    assert names(resolve_segment_queryset(segment)) == []
    assert names(resolve_segment_queryset(segment, include_do_not_contact=True)) == ["Berlin"]


@pytest.mark.django_db
def test_last_interaction_filters_use_the_latest_interaction(audience):
    from crm.services.interactions import record_interaction

    record_interaction(
        kind="meeting",
        occurred_on=datetime.date(2025, 3, 1),
        subject="Old",
        people=[audience["berlin"]],
    )
    record_interaction(
        kind="call",
        occurred_on=datetime.date(2026, 6, 1),
        subject="New",
        people=[audience["hamburg"]],
    )
    after = SegmentFactory(last_interaction_after=datetime.date(2026, 1, 1))
    before = SegmentFactory(last_interaction_before=datetime.date(2026, 1, 1))
    assert names(resolve_segment_queryset(after)) == ["Hamburg"]
    assert names(resolve_segment_queryset(before)) == ["Berlin"]


@pytest.mark.django_db
def test_a_segment_with_every_filter_is_counted_in_one_query(audience, officer):
    segment = SegmentFactory(
        countries=["CN"],
        cities="",
        organization_kinds=["national_ministry"],
        languages=["zh-hans"],
        diaspora="no",
        min_vip_level=0,
        consent_purpose="event_invitations",
        last_interaction_before=None,
    )
    segment.sectors.add(audience["robotics"])
    segment.owners.add(officer)
    segment.additions.add(audience["diaspora"])
    queryset = resolve_segment_queryset(segment)  # reading the segment's own settings
    with CaptureQueriesContext(connection) as queries:
        count = queryset.count()
    assert count == 2
    assert len(queries.captured_queries) == 1


@pytest.mark.django_db
def test_preview_of_unsaved_filters_gives_count_and_sample(audience, viewer):
    spec = spec_from_data({"countries": ["DE"], "consent_purpose": "event_invitations"})
    result = preview(spec, user=viewer)
    assert result["count"] == 2
    assert sorted(p["name"] for p in result["sample"]) == ["Anna Berlin", "Anna Hamburg"]


@pytest.mark.django_db
def test_people_with_valid_consent_for_a_purpose(audience):
    consent_service.withdraw_consent(audience["berlin"], purpose="event_invitations")
    people = consent_service.people_with_valid_consent("event_invitations")
    assert names(people) == ["Beijing", "Diaspora", "Hamburg"]
    assert names(consent_service.people_with_valid_consent("newsletters")) == []


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_postgresql_search_and_segment_queries_can_use_their_indexes(audience):
    from crm.models import Person
    from crm.services.search import search_people

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = (
            search_people(Person.objects.all(), "hamburg").order_by().query.sql_with_params()
        )
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "crm_person_search_trgm" in plan
        segment = SegmentFactory(countries=["DE"], consent_purpose="event_invitations")
        sql, params = resolve_segment_queryset(segment).order_by().query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        # With sequential scans discouraged, a seq scan remains only where no index can serve.
        assert "Seq Scan on crm_person " not in plan
        assert "Seq Scan on crm_consent" not in plan


@pytest.mark.django_db
def test_a_segment_without_filters_holds_only_its_static_additions(audience):
    segment = SegmentFactory()
    assert names(resolve_segment_queryset(segment)) == []
    segment.additions.add(audience["hamburg"])
    assert names(resolve_segment_queryset(segment)) == ["Hamburg"]
