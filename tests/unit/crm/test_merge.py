"""A merge keeps everything, lets staff choose conflicting fields, is audited and undoable."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from crm.models import (
    Consent,
    DuplicateCandidate,
    DuplicateStatus,
    Interaction,
    Person,
    PersonMerge,
    Relationship,
    RelationshipType,
)
from crm.services import dedupe
from crm.services import merge as merge_service
from crm.services.interactions import record_interaction
from tests.factories import (
    AffiliationFactory,
    ConsentFactory,
    DuplicateCandidateFactory,
    OrganizationFactory,
    PersonFactory,
    PersonPhoneFactory,
    SegmentFactory,
)


def _pair(officer):
    keep = PersonFactory(family_name="Wang", given_name="Wei", email="wang@example.cn", city="")
    drop = PersonFactory(
        family_name="Wang",
        given_name="Wei",
        email="w.wang@example.cn",
        city="Ningbo",
        job_title="Director",
        vip_level=2,
        do_not_contact=True,
    )
    keep.job_title = "Deputy Director"
    keep.save()
    drop.tags.add("diaspora")
    drop.save()
    PersonPhoneFactory(person=drop, number="+8613800138000")
    AffiliationFactory(person=drop, organization=OrganizationFactory(), is_primary=True)
    ConsentFactory(person=drop)
    other = PersonFactory()
    Relationship.objects.create(
        type=RelationshipType.objects.get(name="introduction"), from_person=other, to_person=drop
    )
    record_interaction(
        kind="call", occurred_on=datetime.date(2026, 1, 5), subject="c", people=[drop]
    )
    SegmentFactory().exclusions.add(drop)
    dedupe.set_external_ids(drop, ["outlook:7"])
    return keep, drop


@pytest.mark.django_db
def test_merge_keeps_every_record_and_the_stricter_flags(officer):
    keep, drop = _pair(officer)
    dropped_id = drop.pk
    merge_service.merge_people(keep, drop, acting_user=officer)
    keep.refresh_from_db()
    assert not Person.objects.filter(pk=dropped_id).exists()
    assert sorted(keep.emails.values_list("email", flat=True)) == [
        "w.wang@example.cn",
        "wang@example.cn",
    ]
    assert keep.emails.filter(is_primary=True).count() == 1
    assert [str(p.number) for p in keep.phones.all()] == ["+8613800138000"]
    assert keep.affiliations.count() == 1
    assert Consent.objects.filter(person=keep).count() == 1
    assert Interaction.objects.filter(people=keep).count() == 1
    assert Relationship.objects.filter(to_person=keep).count() == 1
    assert keep.tag_list == "diaspora"
    assert keep.city == "Ningbo"  # a blank is filled
    assert keep.job_title == "Deputy Director"  # a conflict keeps the kept value by default
    assert keep.vip_level == 2
    assert keep.do_not_contact  # never made mailable by a merge
    assert keep.last_interaction_on == datetime.date(2026, 1, 5)
    assert dedupe.exact_matches(external_id="outlook:7") == [keep]
    assert dedupe.exact_matches(phones=["+8613800138000"]) == [keep]


@pytest.mark.django_db
def test_staff_choose_each_conflicting_field(officer):
    keep, drop = _pair(officer)
    assert merge_service.conflicts(keep, drop) == ["job_title"]
    merge_service.merge_people(keep, drop, choices={"job_title": "drop"}, acting_user=officer)
    keep.refresh_from_db()
    assert keep.job_title == "Director"


@pytest.mark.django_db
def test_merge_is_in_the_history_with_the_merged_away_persons_history(officer):
    keep, drop = _pair(officer)
    drop_history = set(
        ModelLogEntry.objects.filter(object_id=str(drop.pk)).values_list("pk", flat=True)
    )
    merge_service.merge_people(keep, drop, acting_user=officer)
    kept_history = ModelLogEntry.objects.filter(object_id=str(keep.pk))
    assert drop_history <= set(kept_history.values_list("pk", flat=True))
    assert kept_history.filter(action="crm.merge", user=officer).exists()


@pytest.mark.django_db
def test_undo_brings_the_merged_away_person_back_with_everything(officer):
    keep, drop = _pair(officer)
    dropped_id = drop.pk
    merge = merge_service.merge_people(
        keep, drop, choices={"job_title": "drop"}, acting_user=officer
    )
    merge_service.undo_merge(merge, acting_user=officer)
    drop = Person.objects.get(pk=dropped_id)
    keep.refresh_from_db()
    assert drop.primary_email_address == "w.wang@example.cn"
    assert keep.primary_email_address == "wang@example.cn"
    assert list(keep.emails.values_list("email", flat=True)) == ["wang@example.cn"]
    assert [str(p.number) for p in drop.phones.all()] == ["+8613800138000"]
    assert not keep.phones.exists()
    assert drop.affiliations.filter(is_primary=True).count() == 1
    assert Consent.objects.filter(person=drop).count() == 1
    assert not Consent.objects.filter(person=keep).exists()
    assert Interaction.objects.filter(people=drop).count() == 1
    assert not Interaction.objects.filter(people=keep).exists()
    assert Relationship.objects.filter(to_person=drop).count() == 1
    assert drop.tag_list == "diaspora"
    assert keep.tag_list == ""
    assert (keep.job_title, keep.city, keep.vip_level, keep.do_not_contact) == (
        "Deputy Director",
        "",
        0,
        False,
    )
    assert (drop.job_title, drop.city, drop.do_not_contact) == ("Director", "Ningbo", True)
    from crm.models import Segment

    assert list(Segment.objects.filter(exclusions=drop)) == list(Segment.objects.all())
    assert not Segment.objects.filter(exclusions=keep).exists()
    assert dedupe.exact_matches(external_id="outlook:7") == [drop]
    assert ModelLogEntry.objects.filter(object_id=str(keep.pk), action="crm.merge_undone").exists()
    merge = PersonMerge.objects.get()
    assert merge.undone_at is not None
    with pytest.raises(Exception, match="already been undone"):
        merge_service.undo_merge(merge, acting_user=officer)


@pytest.mark.django_db
def test_undo_keeps_a_field_staff_changed_after_the_merge(officer):
    keep, drop = _pair(officer)
    merge = merge_service.merge_people(keep, drop, acting_user=officer)
    Person.objects.filter(pk=keep.pk).update(city="Hangzhou")
    merge_service.undo_merge(merge, acting_user=officer)
    keep.refresh_from_db()
    assert keep.city == "Hangzhou"


@pytest.mark.django_db
def test_merging_a_review_pair_marks_it_merged(officer):
    keep, drop = _pair(officer)
    candidate = DuplicateCandidateFactory(first=keep, second=drop)
    merge_service.merge_people(keep, drop, acting_user=officer)
    # The pair goes with the merged-away person; nothing is left open for the kept one.
    assert not DuplicateCandidate.objects.filter(pk=candidate.pk, status=DuplicateStatus.OPEN)
