"""Pure helpers of matchmaking: a meeting request's priority (the scheduler's weight) and the
language pair it needs interpreted. No database writes."""

from __future__ import annotations

TIER_BONUS = {"A": 30, "B": 20, "C": 0}
MUTUAL_MUST_BONUS = 200
ONE_SIDED_MUST_BONUS = 50
FORCED_BONUS = 100


def priority(*, tier: str, buyer_mark: str, exhibitor_mark: str, forced: bool = False) -> int:
    """Higher tiers and mutual must-meets first; a meeting staff forced before the rest."""
    weight = 100 + TIER_BONUS.get(tier, 0)
    musts = [buyer_mark, exhibitor_mark].count("must")
    weight += MUTUAL_MUST_BONUS if musts == 2 else ONE_SIDED_MUST_BONUS * musts
    return weight + (FORCED_BONUS if forced else 0)


def _base(code: str) -> str:
    return (code or "").lower().split("-")[0]


def interpretation(buyer_languages, exhibitor_languages) -> tuple[str, str] | None:
    """The language pair to interpret when the two sides share no language (each side's first
    language), else None."""
    mine = [_base(x) for x in buyer_languages if x]
    theirs = [_base(x) for x in exhibitor_languages if x]
    if not mine or not theirs or set(mine) & set(theirs):
        return None
    first, second = sorted((mine[0], theirs[0]))
    return first, second
