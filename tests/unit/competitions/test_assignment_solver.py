"""The assignment solver's promises, property-based (hypothesis): every entry gets k judges of
its track, never a conflicted one; loads are as even as any assignment allows (checked against
brute force on small cases); the same input gives the same output; fixed assignments stay."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competitions.assignment_solver import AssignmentImpossibleError, Judge, solve


@st.composite
def problems(draw, max_entries=12, max_judges=7):
    tracks = draw(st.integers(1, 3))
    judges = [
        Judge(j, frozenset(draw(st.sets(st.integers(0, tracks - 1), min_size=1))))
        for j in range(draw(st.integers(1, max_judges)))
    ]
    entries = {
        e: draw(st.integers(0, tracks - 1)) for e in range(draw(st.integers(1, max_entries)))
    }
    conflicts = draw(
        st.sets(
            st.tuples(st.sampled_from(sorted(entries)), st.sampled_from([j.id for j in judges]))
        )
    )
    k = draw(st.integers(1, 3))
    return entries, judges, k, conflicts


def check(entries, judges, k, conflicts, solution, fixed=frozenset()):
    tracks = {j.id: j.tracks for j in judges}
    pairs = set(solution.pairs) | set(fixed)
    per_entry = Counter(e for e, _j in pairs)
    assert all(per_entry[e] >= k for e in entries)
    for e, j in solution.pairs:
        assert (e, j) not in conflicts
        assert entries[e] in tracks[j]
    assert len(set(solution.pairs)) == len(solution.pairs)
    assert not set(solution.pairs) & set(fixed)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_every_entry_gets_k_judges_of_its_track_and_none_in_conflict(problem):
    entries, judges, k, conflicts = problem
    try:
        solution = solve(entries, judges, k, conflicts)
    except AssignmentImpossibleError as exc:
        # Only when some entry really has too few eligible judges.
        for e, missing in exc.short.items():
            eligible = [j for j in judges if entries[e] in j.tracks and (e, j.id) not in conflicts]
            assert len(eligible) == k - missing
        return
    check(entries, judges, k, conflicts, solution)
    assert solve(entries, judges, k, conflicts) == solution  # reproducible


def best_spread(entries, judges, k, conflicts) -> int | None:
    """The smallest load spread per part any assignment reaches (brute force)."""
    options = []
    for e, track in sorted(entries.items()):
        eligible = [j.id for j in judges if track in j.tracks and (e, j.id) not in conflicts]
        options.append(list(itertools.combinations(eligible, k)))
    best = None
    for choice in itertools.product(*options):
        loads = Counter(j for combo in choice for j in combo)
        spread = max(loads[j.id] for j in judges) - min(loads[j.id] for j in judges)
        best = spread if best is None else min(best, spread)
    return best


@settings(max_examples=60, deadline=None)
@given(problems(max_entries=4, max_judges=4))
def test_loads_are_as_even_as_any_assignment_allows(problem):
    entries, judges, k, conflicts = problem
    # One part (every judge of every track), so "even" is among all judges.
    judges = [Judge(j.id, frozenset(range(3))) for j in judges]
    try:
        solution = solve(entries, judges, k, conflicts)
    except AssignmentImpossibleError:
        return
    best = best_spread(entries, judges, k, conflicts)
    assert solution.spread <= max(best, 1)
    if best <= 1:
        assert solution.spread <= 1


def test_loads_differ_by_at_most_one_among_the_judges_of_a_track():
    entries = {e: e % 2 for e in range(41)}
    judges = [Judge(j, frozenset({j % 2})) for j in range(8)]
    solution = solve(entries, judges, 3)
    assert solution.spread <= 1
    assert sum(solution.loads.values()) == 41 * 3


@settings(max_examples=80, deadline=None)
@given(problems(), st.data())
def test_a_withdrawn_judge_s_entries_go_to_others_and_the_rest_stays(problem, data):
    entries, judges, k, conflicts = problem
    try:
        first = solve(entries, judges, k, conflicts)
    except AssignmentImpossibleError:
        return
    gone = data.draw(st.sampled_from([j.id for j in judges]))
    kept = {(e, j) for e, j in first.pairs if j != gone}
    remaining = [j for j in judges if j.id != gone]
    if not remaining:
        return
    try:
        second = solve(entries, remaining, k, conflicts, fixed=kept)
    except AssignmentImpossibleError:
        return
    check(entries, remaining, k, conflicts, second, fixed=kept)
    assert all(j != gone for _e, j in second.pairs)


def test_an_entry_without_enough_judges_is_named():
    with pytest.raises(AssignmentImpossibleError) as caught:
        solve({1: 0, 2: 1}, [Judge(10, frozenset({0})), Judge(11, frozenset({0}))], 2)
    assert caught.value.short == {2: 2}


def test_without_strict_an_entry_of_a_track_without_judges_is_reported_short():
    solution = solve(
        {1: 0, 2: 1}, [Judge(10, frozenset({0})), Judge(11, frozenset({0}))], 2, strict=False
    )
    assert solution.pairs == [(1, 10), (1, 11)]
    assert solution.short == {2: 2}
