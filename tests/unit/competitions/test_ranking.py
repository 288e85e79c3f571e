"""Normalisation and the tie rule against a hand-computed example."""

from __future__ import annotations

from decimal import Decimal

from competitions.ranking import JudgeScore, normalise, rank, weighted_total


def test_weighted_total_is_the_weighted_mean_of_the_criteria():
    assert weighted_total({1: 8, 2: 5}, {1: 2, 2: 1}) == Decimal("7.0000")


def test_a_lenient_and_a_strict_judge_are_put_on_one_scale():
    # Judge 1 (lenient) scored entries 1 and 2; judge 2 (strict) scored entries 3 and 4.
    # All four: mean 6, standard deviation sqrt(5) = 2.2360679...; each judge: sd 1.
    scores = [
        JudgeScore(1, 1, Decimal(9)),
        JudgeScore(2, 1, Decimal(7)),
        JudgeScore(3, 2, Decimal(5)),
        JudgeScore(4, 2, Decimal(3)),
    ]
    normalised = normalise(scores, scale_max=10, min_count=2)
    assert normalised[(1, 1)] == Decimal("8.2361")  # 6 + (9 - 8) / 1 * 2.2361
    assert normalised[(2, 1)] == Decimal("3.7639")
    assert normalised[(3, 2)] == Decimal("8.2361")
    assert normalised[(4, 2)] == Decimal("3.7639")

    entries = {n: (1, n) for n in (1, 2, 3, 4)}
    ranked = rank(entries, scores, scale_max=10, min_count=2)
    # Raw, entry 2 (7) beats entry 3 (5); normalised, entry 3 is level with entry 1 and the
    # tie goes to the higher raw mean.
    assert [r.entry_id for r in ranked] == [1, 3, 2, 4]
    assert [(r.raw, r.normalised) for r in ranked][:2] == [
        (Decimal("9.0000"), Decimal("8.2361")),
        (Decimal("5.0000"), Decimal("8.2361")),
    ]


def test_scores_of_a_judge_with_too_few_entries_stay_raw():
    scores = [JudgeScore(1, 1, Decimal(9)), JudgeScore(2, 2, Decimal(3))]
    assert normalise(scores, scale_max=10, min_count=2) == {
        (1, 1): Decimal(9),
        (2, 2): Decimal(3),
    }


def test_a_full_tie_goes_to_the_entry_that_arrived_first():
    scores = [JudgeScore(7, 1, Decimal(6)), JudgeScore(5, 1, Decimal(6))]
    ranked = rank({7: (1, 12), 5: (1, 30)}, scores, scale_max=10, min_count=5)
    assert [r.number for r in ranked] == [12, 30]
    assert [r.track_rank for r in ranked] == [1, 2]


def test_unscored_entries_come_last():
    ranked = rank({1: (1, 1), 2: (1, 2)}, [JudgeScore(2, 1, Decimal(1))], scale_max=10, min_count=5)
    assert [r.entry_id for r in ranked] == [2, 1]
