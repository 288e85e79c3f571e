"""A small competition for the tests: two tracks, a rubric of two criteria, a round, judges
with accounts in the Judge group (two standing per track, one presidium), and entries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group

from competitions.apps import JUDGE
from tests.factories import (
    CompetitionFactory,
    CriterionFactory,
    EntryFactory,
    JudgeRoleFactory,
    PersonFactory,
    RoundFactory,
    TrackFactory,
    UserFactory,
)


@dataclass
class World:
    competition: object
    tracks: list
    criteria: list
    round: object
    judges: list = field(default_factory=list)
    presidium: object = None
    entries: list = field(default_factory=list)


def judge_account(username: str):
    user = UserFactory(username=username, is_staff=False)
    user.groups.add(Group.objects.get(name=JUDGE))
    return user


def build_world(*, entries_per_track: int = 2, judges_per_track: int = 2, **competition) -> World:
    contest = CompetitionFactory(**competition)
    tracks = [
        TrackFactory(
            competition=contest, code="manufacturing", name_zh="智能制造", name_en="Manufacturing"
        ),
        TrackFactory(
            competition=contest, code="materials", name_zh="新材料", name_en="New materials"
        ),
    ]
    criteria = [
        CriterionFactory(
            competition=contest, order=1, name_zh="创新性", name_en="Innovation", weight=2
        ),
        CriterionFactory(competition=contest, order=2, name_zh="市场", name_en="Market", weight=1),
    ]
    round_ = RoundFactory(competition=contest, number=1, promote_count=1)
    world = World(contest, tracks, criteria, round_)
    for t_index, track in enumerate(tracks):
        for j in range(judges_per_track):
            person = PersonFactory(
                family_name=f"Judge{t_index}{j}", email=f"j{t_index}{j}@jury.example"
            )
            world.judges.append(
                JudgeRoleFactory(
                    competition=contest,
                    person=person,
                    user=judge_account(f"judge{t_index}{j}"),
                    tracks=[track],
                )
            )
        for e in range(entries_per_track):
            world.entries.append(
                EntryFactory(
                    competition=contest,
                    track=track,
                    title_en=f"Entry {track.code} {e}",
                    title_zh=f"项目 {track.code} {e}",
                )
            )
    world.presidium = JudgeRoleFactory(
        competition=contest,
        person=PersonFactory(family_name="Chair", email="chair@academy.example"),
        user=judge_account("chair"),
        tier="presidium",
        tracks=tracks,
    )
    return world
