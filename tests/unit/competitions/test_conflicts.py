"""Conflicts of interest detected from each CRM source, declared by a judge, audited, and never
assigned."""

from __future__ import annotations

import datetime

import pytest
from wagtail.models import ModelLogEntry

from competitions.models import Assignment, ConflictOfInterest
from competitions.services import rounds
from competitions.services.conflicts import declare_conflict, detect_conflicts
from crm.models import PersonEmail, Relationship, RelationshipType
from tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TeamMemberFactory,
)

from .world import build_world


@pytest.fixture
def world(db):
    return build_world(judges_per_track=3)


def sources(judge, entry) -> set[str]:
    return set(
        ConflictOfInterest.objects.filter(judge=judge, entry=entry).values_list("source", flat=True)
    )


@pytest.mark.django_db
def test_a_judge_of_the_entry_s_organization_is_in_conflict(world):
    judge, entry = world.judges[0], world.entries[0]
    company = OrganizationFactory(name="Ningbo Robotics")
    entry.organization = company
    entry.save()
    AffiliationFactory(person=judge.person, organization=company)
    detect_conflicts(world.competition)
    assert sources(judge, entry) == {"organization"}
    assert ConflictOfInterest.objects.get(judge=judge, entry=entry).detail == "Ningbo Robotics"


@pytest.mark.django_db
def test_a_past_affiliation_with_a_team_member_s_organization_is_a_conflict(world):
    judge, entry = world.judges[0], world.entries[0]
    company = OrganizationFactory(name="Old Employer")
    member = TeamMemberFactory(entry=entry, person=PersonFactory())
    AffiliationFactory(person=member.person, organization=company)
    AffiliationFactory(
        person=judge.person,
        organization=company,
        end_date=datetime.date(2020, 1, 1),
        start_date=datetime.date(2015, 1, 1),
    )
    detect_conflicts(world.competition)
    assert sources(judge, entry) == {"past_affiliation"}


@pytest.mark.django_db
def test_a_crm_relationship_with_a_team_member_is_a_conflict(world):
    judge, entry = world.judges[0], world.entries[0]
    member = TeamMemberFactory(entry=entry, person=PersonFactory())
    kind, _ = RelationshipType.objects.get_or_create(
        name="mentor", defaults={"forward_label": "mentors", "reverse_label": "mentored by"}
    )
    Relationship.objects.create(type=kind, from_person=member.person, to_person=judge.person)
    detect_conflicts(world.competition)
    assert sources(judge, entry) == {"relationship"}


@pytest.mark.django_db
def test_the_same_email_domain_is_a_conflict_but_a_public_mail_provider_is_not(world):
    judge, entry = world.judges[0], world.entries[0]
    PersonEmail.objects.create(person=judge.person, email="judge@ningbo-robotics.example")
    TeamMemberFactory(entry=entry, person=PersonFactory(email="ceo@ningbo-robotics.example"))
    other = world.entries[1]
    TeamMemberFactory(entry=other, person=PersonFactory(email="someone@qq.com"))
    PersonEmail.objects.create(person=judge.person, email="judge@qq.com")
    detect_conflicts(world.competition)
    assert sources(judge, entry) == {"email_domain"}
    assert sources(judge, other) == set()


@pytest.mark.django_db
def test_conflicts_are_audited_and_never_assigned(world):
    judge, entry = world.judges[0], world.entries[0]
    PersonEmail.objects.create(person=judge.person, email="judge@ningbo-robotics.example")
    TeamMemberFactory(entry=entry, person=PersonFactory(email="ceo@ningbo-robotics.example"))
    detect_conflicts(world.competition)
    conflict = ConflictOfInterest.objects.get(judge=judge, entry=entry)
    assert ModelLogEntry.objects.filter(
        action="competitions.conflict_detected", object_id=str(conflict.pk)
    ).exists()
    rounds.open_round(world.round)
    assert not Assignment.objects.filter(judge=judge, entry=entry).exists()
    assert Assignment.objects.filter(entry=entry, status="active").count() == 2
    # Detecting again records nothing new.
    assert detect_conflicts(world.competition) == []


@pytest.mark.django_db
def test_a_declared_conflict_withdraws_the_assignment_and_finds_another_judge(world):
    rounds.open_round(world.round)
    assignment = Assignment.objects.filter(entry=world.entries[0]).first()
    client_judge = assignment.judge
    declare_conflict(
        client_judge, world.entries[0], detail="my cousin", acting_user=client_judge.user
    )
    assignment.refresh_from_db()
    assert assignment.status == "withdrawn"
    active = Assignment.objects.filter(entry=world.entries[0], status="active")
    assert active.count() == 2
    assert client_judge.pk not in active.values_list("judge_id", flat=True)
    assert ModelLogEntry.objects.filter(action="competitions.conflict_declared").exists()


@pytest.mark.django_db
def test_an_entry_every_judge_of_its_track_conflicts_with_is_listed_not_a_server_error(world):
    TeamMemberFactory(entry=world.entries[0], person=PersonFactory(email="x@jury.example"))
    detect_conflicts(world.competition)  # every judge's address is @jury.example
    rounds.open_round(world.round)
    from competitions.services.assignment import entries_short_of_judges

    world.round.refresh_from_db()
    assert entries_short_of_judges(world.round) == [world.entries[0].number]
    assert Assignment.objects.filter(entry=world.entries[1], status="active").count() == 2
