"""Judging: assignment from the database, judges see only their assignments, scores are hidden
from other judges until the round closes, the presidium closes, promotes and publishes."""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client

from competitions.models import Assignment, Round, RoundEntry
from competitions.services import assignment as assigning
from competitions.services import rounds, scoring
from competitions.services.results import approve_results
from tests.factories import EventFactory, TeamMemberFactory

from .world import build_world


def logged_in(user) -> Client:
    client = Client(headers={"accept-language": "en"}, raise_request_exception=False)
    client.force_login(user)
    return client


def score_all(world, values_by_entry):
    """Every active assignment scored: (criterion 1, criterion 2) per entry index and judge."""
    for assignment in Assignment.objects.filter(status="active").select_related("judge__user"):
        index = world.entries.index(assignment.entry)
        a, b = values_by_entry(index, world.judges.index(assignment.judge))
        scoring.record_scores(
            assignment,
            {world.criteria[0].pk: a, world.criteria[1].pk: b},
            acting_user=assignment.judge.user,
        )


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def open_world(world):
    rounds.open_round(world.round)
    return world


@pytest.mark.django_db
def test_opening_a_round_gives_each_entry_k_judges_of_its_track(open_world):
    world = open_world
    for entry in world.entries:
        judges = Assignment.objects.filter(entry=entry, status="active")
        assert judges.count() == 2
        assert all(entry.track in a.judge.tracks.all() for a in judges)
    # Again: nothing more (same input, same assignment).
    assert assigning.assign_round(world.round) == []


@pytest.mark.django_db
def test_a_judge_sees_only_their_assignments(open_world):
    world = open_world
    judge = world.judges[0]
    client = logged_in(judge.user)
    mine = Assignment.objects.filter(judge=judge)
    others = Assignment.objects.exclude(judge=judge).exclude(entry__track__in=judge.tracks.all())
    page = client.get("/admin/judging/").content.decode()
    for assignment in mine:
        assert assignment.entry.title_en in page
    for assignment in others:
        assert assignment.entry.title_en not in page
        assert client.get(f"/admin/judging/assignments/{assignment.pk}/").status_code == 404
    # Staff screens and the presidium's are closed to a standing judge.
    assert client.get(f"/admin/judging/rounds/{world.round.pk}/").status_code == 404
    assert client.get("/admin/snippets/competitions/entry/").status_code in (302, 403)
    assert client.get("/admin/snippets/crm/person/").status_code in (302, 403)


@pytest.mark.django_db
def test_scores_are_hidden_from_other_judges_until_the_round_closes(open_world):
    world = open_world
    entry = world.entries[0]
    first, second = Assignment.objects.filter(entry=entry).order_by("judge_id")
    scoring.record_scores(
        first,
        {world.criteria[0].pk: 9, world.criteria[1].pk: 7},
        comment="Strong founders, weak moat",
        acting_user=first.judge.user,
    )
    page = logged_in(second.judge.user).get(f"/admin/judging/assignments/{second.pk}/")
    assert "Strong founders" not in page.content.decode()
    assert "shown once the round is closed" in page.content.decode()

    rounds.close_round(world.round)
    page = logged_in(second.judge.user).get(f"/admin/judging/assignments/{second.pk}/")
    assert "Strong founders" in page.content.decode()


@pytest.mark.django_db
def test_a_judge_scores_on_the_judging_screen_and_bad_scores_are_refused(open_world):
    world = open_world
    assignment = Assignment.objects.filter(judge=world.judges[0]).first()
    client = logged_in(world.judges[0].user)
    url = f"/admin/judging/assignments/{assignment.pk}/"
    c1, c2 = (f"criterion_{c.pk}" for c in world.criteria)
    response = client.post(url, {c1: "11", c2: "5"})
    assert response.status_code == 400
    assert "outside the scale" in response.content.decode()
    response = client.post(url, {c1: "x", c2: "5"})
    assert response.status_code == 400
    response = client.post(url, {c1: "8", c2: "5", "comment": "ok"})
    assert response.status_code == 302
    assert sorted(assignment.scores.values_list("value", flat=True)) == [5, 8]
    # Another judge cannot score it.
    other = logged_in(world.judges[1].user).post(url, {c1: "1", c2: "1"})
    assert other.status_code == 404


@pytest.mark.django_db
def test_the_export_reproduces_the_ranking_and_cannot_carry_formulas(open_world):
    world = open_world
    world.entries[0].title_en = '=HYPERLINK("http://evil")'
    world.entries[0].save()
    score_all(world, lambda e, j: ((e * 3 + j) % 11, (e + 2 * j) % 11))
    rounds.close_round(world.round)
    ranked = scoring.round_ranking(world.round)
    text = (
        logged_in(world.presidium.user)
        .get(f"/admin/judging/rounds/{world.round.pk}/export/")
        .content.decode()
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["entry_number"]) for r in rows] == [r.number for r in ranked]
    # The order follows from the exported figures by the documented tie rule.
    resorted = sorted(
        rows,
        key=lambda r: (
            -Decimal(r["normalised_mean"]),
            -Decimal(r["raw_mean"]),
            int(r["entry_number"]),
        ),
    )
    assert [r["rank"] for r in resorted] == [str(i) for i in range(1, len(rows) + 1)]
    for r in rows:
        raws = [Decimal(r[k]) for k in r if k.endswith("_raw") and r[k]]
        # The raw mean is the mean of the exported judge figures, rounded half up.
        mean = (sum(raws) / len(raws)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        assert Decimal(r["raw_mean"]) == mean
    assert "'=HYPERLINK" in text


@pytest.mark.django_db
def test_the_presidium_closes_promotes_top_n_per_track_and_by_hand_with_a_reason(open_world):
    world = open_world
    pitch = EventFactory(kind="competition", name="Final pitch")
    following = Round.objects.create(
        competition=world.competition,
        number=2,
        name_zh="决赛",
        name_en="Final",
        mode="live",
        event=pitch,
        starts_at=world.round.starts_at,
        ends_at=world.round.ends_at,
    )
    lead = TeamMemberFactory(entry=world.entries[0]).person
    score_all(world, lambda e, j: (10 - e, 5))
    client = logged_in(world.presidium.user)
    url = f"/admin/judging/rounds/{world.round.pk}/"
    page = client.get(url).content.decode()
    assert world.entries[0].title_en in page  # the live ranking
    assert client.post(url, {"action": "close"}).status_code == 302
    assert client.post(url, {"action": "promote"}).status_code == 302
    promoted = set(
        RoundEntry.objects.filter(round=world.round, outcome="promoted").values_list(
            "entry_id", flat=True
        )
    )
    # The best entry of each track (entries 0 and 2 scored highest in their tracks).
    assert promoted == {world.entries[0].pk, world.entries[2].pk}
    assert set(following.entries.values_list("entry_id", flat=True)) == promoted
    # The promoted team is on the live pitch's guest list.
    assert pitch.registrations.get(person=lead).status == "accepted"

    # By hand: without a reason, refused; with one, recorded.
    client.post(url, {"action": "promote_one", "entry": world.entries[1].pk, "reason": ""})
    assert not following.entries.filter(entry=world.entries[1]).exists()
    client.post(url, {"action": "promote_one", "entry": world.entries[1].pk, "reason": "Wild card"})
    row = RoundEntry.objects.get(round=world.round, entry=world.entries[1])
    assert (row.outcome, row.reason) == ("promoted", "Wild card")
    assert following.entries.filter(entry=world.entries[1]).exists()

    # The live final: every judge of the track scores every pitch.
    rounds.open_round(following)
    assert Assignment.objects.filter(round=following).count() == 3 * 2


@pytest.mark.django_db
def test_a_withdrawn_judge_s_unscored_entries_go_to_another_judge(db):
    world = build_world(judges_per_track=3)
    rounds.open_round(world.round)
    leaving = world.judges[0]
    scored = Assignment.objects.filter(judge=leaving).first()
    scoring.record_scores(scored, {c.pk: 5 for c in world.criteria}, acting_user=leaving.user)
    assigning.withdraw_judge(leaving)
    for entry in world.entries:
        active = Assignment.objects.filter(entry=entry, status="active").exclude(judge=leaving)
        assert active.count() >= 2
    assert not Assignment.objects.filter(
        judge=leaving, status="active", scored_at__isnull=True
    ).exists()


@pytest.mark.django_db
def test_results_publish_in_each_language_once_approved(open_world, client):
    world = open_world
    code = world.competition.event.code
    assert client.get(f"/competitions/{code}/results/?lang=en", follow=True).status_code == 404
    winner = world.entries[0]
    approve_results(world.competition, {winner.pk: ("一等奖", "First prize")})
    en = client.get(f"/competitions/{code}/results/?lang=en").content.decode()
    zh = client.get(f"/competitions/{code}/results/?lang=zh-hans").content.decode()
    assert "First prize" in en
    assert winner.title_en in en
    assert "一等奖" in zh
    assert winner.title_zh in zh
    # Public summaries only: no contact address, no other entry.
    assert winner.contact_email not in en
    assert world.entries[1].title_en not in en


@pytest.mark.django_db
def test_approved_winners_enter_the_project_pool_once(
    open_world, django_capture_on_commit_callbacks
):
    """Approving the results puts each winner into the project pool (项目池) at stage "lead",
    with its team and the entry as source; approving again adds nothing twice."""
    from django.contrib.contenttypes.models import ContentType

    from competitions.services.results import send_winners_to_pool
    from projects.models import Project

    winner = open_world.entries[0]
    with django_capture_on_commit_callbacks(execute=True):
        approve_results(open_world.competition, {winner.pk: ("一等奖", "First prize")})
    project = Project.objects.get()
    assert project.stage == "lead"
    assert project.name_en == winner.title_en
    assert project.source_type == ContentType.objects.get_for_model(winner)
    assert project.source_id == str(winner.pk)
    assert set(project.people.all()) == {m.person for m in winner.team.all()}
    send_winners_to_pool(open_world.competition.pk)
    assert Project.objects.count() == 1
