"""The matchmaking scheduler (expos.scheduling): hard constraints never broken on random
instances (hypothesis), locked meetings kept, the same input giving the same schedule, and
requests that cannot be placed reported with their reasons."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expos import scheduling as S  # noqa: N812 (S.Slot, S.Request... read like a namespace)

LANGS = ["en", "de", "ar"]


@st.composite
def problems(draw):
    n_slots = draw(st.integers(2, 4))
    slots = [S.Slot(i, i * 25, i * 25 + 20) for i in range(n_slots)]
    halls = draw(st.lists(st.sampled_from(["A", "B"]), min_size=1, max_size=4))
    tables = [S.Table(i, hall) for i, hall in enumerate(halls)]
    n_people = draw(st.integers(2, 7))
    slot_ids = [s.id for s in slots]
    participants = {}
    for pid in range(1, n_people + 1):
        subset = draw(st.none() | st.frozensets(st.sampled_from(slot_ids)))
        participants[pid] = S.Participant(pid, subset)
    interpreters = [
        S.Interpreter(
            i,
            frozenset({"zh", draw(st.sampled_from(LANGS))}),
            draw(st.none() | st.frozensets(st.sampled_from(slot_ids))),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    requests = []
    for rid in range(1, draw(st.integers(1, 12)) + 1):
        a = draw(st.integers(1, n_people))
        b = draw(st.integers(1, n_people))
        interpret = draw(st.none() | st.sampled_from(LANGS).map(lambda x: ("zh", x)))
        requests.append(S.Request(rid, a, b, draw(st.sampled_from([100, 120, 300])), interpret))
    return S.Problem(slots, tables, participants, requests, interpreters, walking={("A", "B"): 10})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_schedule_never_breaks_a_hard_constraint(problem):
    result = S.schedule(problem, work_limit=2, time_limit=10)
    assert S.check(problem, result) == []
    # Every request is either placed or reported with at least one reason.
    assert set(result.placements) | set(result.unplaced) == {r.id for r in problem.requests}
    assert all(result.unplaced[rid] for rid in result.unplaced)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_the_greedy_baseline_never_breaks_a_hard_constraint_either(problem):
    assert S.check(problem, S.greedy(problem)) == []


def _two_halls_problem(**request_fields):
    slots = [S.Slot(1, 0, 20), S.Slot(2, 25, 45), S.Slot(3, 50, 70)]
    tables = [S.Table(10, "A"), S.Table(20, "B")]
    participants = {p: S.Participant(p) for p in (1, 2, 3, 4)}
    requests = [
        S.Request(1, 1, 2, 100, **request_fields),
        S.Request(2, 1, 3, 300),
        S.Request(3, 3, 4, 100),
        S.Request(4, 2, 4, 120),
    ]
    return S.Problem(slots, tables, participants, requests, walking={("A", "B"): 10})


def test_a_locked_meeting_keeps_its_slot_and_table():
    problem = _two_halls_problem(locked=(3, 20))
    result = S.schedule(problem, work_limit=2)
    assert (result.placements[1].slot, result.placements[1].table) == (3, 20)
    assert S.check(problem, result) == []


def test_clashing_locked_meetings_are_refused_with_the_request_named():
    problem = _two_halls_problem(locked=(1, 10))
    problem.requests[1] = S.Request(2, 1, 3, 300, locked=(1, 20))
    with pytest.raises(S.LockedConflictError, match="request 2"):
        S.schedule(problem)


def test_the_same_input_gives_the_same_schedule():
    problem = _two_halls_problem()
    first = S.schedule(problem, work_limit=2)
    second = S.schedule(problem, work_limit=2)
    assert first.placements == second.placements
    assert len(first.placements) == 4


def test_higher_priority_wins_the_only_slot():
    slots = [S.Slot(1, 0, 20)]
    problem = S.Problem(
        slots,
        [S.Table(1, "A")],
        {p: S.Participant(p) for p in (1, 2, 3)},
        [S.Request(1, 1, 2, 100), S.Request(2, 1, 3, 300)],
    )
    result = S.schedule(problem, work_limit=2)
    assert list(result.placements) == [2]
    assert result.unplaced == {1: ["participant_busy"]}


def test_requests_that_cannot_be_placed_say_why():
    slots = [S.Slot(1, 0, 20), S.Slot(2, 25, 45)]
    participants = {
        1: S.Participant(1, frozenset({1})),
        2: S.Participant(2, frozenset({2})),
        3: S.Participant(3),
    }
    interpreter = S.Interpreter(7, frozenset({"zh", "de"}), frozenset({2}))
    problem = S.Problem(
        slots,
        [S.Table(1, "A")],
        participants,
        [
            S.Request(1, 1, 2),  # never free together
            S.Request(2, 1, 3, interpret=("zh", "ar")),  # nobody interprets Arabic
            S.Request(3, 1, 3, interpret=("de", "zh")),  # the German interpreter: slot 2 only
            S.Request(4, 3, 9),  # no such participant
        ],
        [interpreter],
    )
    result = S.schedule(problem, work_limit=2)
    assert result.placements == {}
    assert result.unplaced == {
        1: ["no_common_slot"],
        2: ["no_interpreter"],
        3: ["no_interpreter"],
        4: ["unknown_participant"],
    }


def test_a_participant_is_not_sent_between_halls_without_walking_time():
    slots = [S.Slot(1, 0, 20), S.Slot(2, 25, 45)]
    tables = [S.Table(1, "A"), S.Table(2, "B")]
    problem = S.Problem(
        slots,
        tables,
        {p: S.Participant(p) for p in (1, 2, 3)},
        [S.Request(1, 1, 2), S.Request(2, 1, 3)],
        walking={("A", "B"): 10},
    )
    result = S.schedule(problem, work_limit=2)
    halls = {tables[p.table - 1].hall for p in result.placements.values()}
    assert len(result.placements) == 2
    assert len(halls) == 1


def test_the_solver_places_more_priority_than_first_come_first_served():
    """First come takes the only common slot for a low-priority pair; the solver does not."""
    slots = [S.Slot(1, 0, 20), S.Slot(2, 25, 45)]
    participants = {1: S.Participant(1), 2: S.Participant(2), 3: S.Participant(3, frozenset({1}))}
    requests = [S.Request(1, 1, 2, 100), S.Request(2, 1, 3, 300)]
    problem = S.Problem(slots, [S.Table(1, "A")], participants, requests)
    assert len(S.greedy(problem).placements) == 1
    assert len(S.schedule(problem, work_limit=2).placements) == 2
