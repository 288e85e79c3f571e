"""Ranking a round from its scores (pure: no database).

A judge's score for an entry is the weighted mean of their criterion scores (0..scale).
**Normalisation**: judges differ in strictness, so once a judge has scored at least
`min_count` entries of the round, each of their scores x becomes
    mean + (x - judge's mean) / judge's standard deviation * standard deviation
where mean and standard deviation (population) are those of every judge score of the round
(the z-score mapped back to the round's scale), clamped to 0..scale; a judge who gave every entry
the same score gets the round's mean for each. Scores of judges below `min_count` stay raw.
An entry's raw and normalised results are the means of its judges' scores.

**Ties** are broken by one documented rule, in this order: the higher normalised mean, then
the higher raw mean, then the lower entry number (the entry that arrived first). Every figure is
rounded to four decimals (half up) before comparing, so the exported figures reproduce the
order exactly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

PLACES = Decimal("0.0001")


def q(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def weighted_total(values: dict[int, int], weights: dict[int, int]) -> Decimal:
    """The weighted mean of criterion scores (criterion id -> score)."""
    total_weight = sum(weights[c] for c in values)
    if not total_weight:
        return Decimal(0)
    return q(Decimal(sum(weights[c] * v for c, v in values.items())) / Decimal(total_weight))


@dataclass(frozen=True)
class JudgeScore:
    entry_id: int
    judge_id: int
    total: Decimal


@dataclass
class Ranked:
    entry_id: int
    track_id: int
    number: int
    raw: Decimal
    normalised: Decimal
    scores: list[tuple[int, Decimal, Decimal]] = field(default_factory=list)  # judge, raw, norm
    rank: int = 0
    track_rank: int = 0


def _mean_sd(values: list[Decimal]) -> tuple[Decimal, Decimal]:
    mean = sum(values, Decimal(0)) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)
    return mean, variance.sqrt()


def normalise(
    scores: list[JudgeScore], *, scale_max: int, min_count: int
) -> dict[tuple[int, int], Decimal]:
    """(entry, judge) -> normalised score."""
    if not scores:
        return {}
    mean, sd = _mean_sd([s.total for s in scores])
    by_judge: dict[int, list[JudgeScore]] = defaultdict(list)
    for s in scores:
        by_judge[s.judge_id].append(s)
    result = {}
    top = Decimal(scale_max)
    for judge_id, own in by_judge.items():
        if len(own) < max(min_count, 1):
            for s in own:
                result[(s.entry_id, judge_id)] = s.total
            continue
        judge_mean, judge_sd = _mean_sd([s.total for s in own])
        for s in own:
            value = mean if judge_sd == 0 else mean + (s.total - judge_mean) / judge_sd * sd
            result[(s.entry_id, judge_id)] = q(min(max(value, Decimal(0)), top))
    return result


def tie_key(item: Ranked) -> tuple:
    return (-item.normalised, -item.raw, item.number)


def rank(
    entries: dict[int, tuple[int, int]],
    scores: list[JudgeScore],
    *,
    scale_max: int,
    min_count: int,
) -> list[Ranked]:
    """Entries (id -> (track id, number)) in ranking order; entries without scores last."""
    normalised = normalise(scores, scale_max=scale_max, min_count=min_count)
    by_entry: dict[int, list[JudgeScore]] = defaultdict(list)
    for s in scores:
        by_entry[s.entry_id].append(s)
    ranked = []
    for entry_id, (track_id, number) in entries.items():
        own = sorted(by_entry.get(entry_id, []), key=lambda s: s.judge_id)
        if own:
            raw = q(sum((s.total for s in own), Decimal(0)) / len(own))
            norm = q(sum((normalised[(entry_id, s.judge_id)] for s in own), Decimal(0)) / len(own))
        else:
            raw = norm = Decimal(-1)  # unscored: after every scored entry
        ranked.append(
            Ranked(
                entry_id=entry_id,
                track_id=track_id,
                number=number,
                raw=raw,
                normalised=norm,
                scores=[(s.judge_id, s.total, normalised[(entry_id, s.judge_id)]) for s in own],
            )
        )
    ranked.sort(key=tie_key)
    per_track: dict[int, int] = defaultdict(int)
    for position, item in enumerate(ranked, start=1):
        item.rank = position
        per_track[item.track_id] += 1
        item.track_rank = per_track[item.track_id]
    return ranked
