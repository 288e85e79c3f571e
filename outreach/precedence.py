"""Order of precedence (礼宾次序): who sits and speaks first.

Protocol ranks guests by office, not by who they are to us: a minister before a vice-minister,
a governor before a mayor, an ambassador before a consul-general. `suggested_rank()` reads the
rank from a guest's position (Chinese or English) and honorific; staff may set a guest's rank by
hand, which always wins. Ties are broken by the date of appointment (the earlier appointed goes
first, as diplomatic practice does) and then by name, so the order is total and repeatable.

Lower numbers go first. The table is deliberately coarse (steps of 10) so that staff can slot a
guest between two bands (e.g. 25) without renumbering anyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

DEFAULT_RANK = 90

# (rank, keywords). Checked in order, first match wins: the "vice" forms come before the offices
# they contain ("副市长" contains "市长", "Vice Mayor" contains "Mayor").
RANK_RULES: list[tuple[int, tuple[str, ...]]] = [
    (15, ("副总理", "deputy prime minister", "vice premier")),
    (10, ("总理", "prime minister", "premier", "国家主席", "head of state")),
    (25, ("副部长", "vice minister", "vice-minister", "deputy minister")),
    (20, ("部长", "minister", "大使", "ambassador")),
    (30, ("副省长", "vice governor", "vice-governor", "deputy governor")),
    (20, ("省长", "governor", "省委书记")),
    (40, ("副市长", "vice mayor", "vice-mayor", "deputy mayor")),
    (30, ("市长", "mayor", "市委书记", "总领事", "consul general", "consul-general")),
    (30, ("院士", "academician")),
    (45, ("副司长", "副局长", "deputy director-general", "deputy director general")),
    (40, ("司长", "局长", "director-general", "director general", "领事", "consul")),
    (50, ("副校长", "vice president of", "vice-president of", "副院长", "vice-chancellor")),
    (40, ("校长", "university president", "chancellor", "院长", "dean")),
    (55, ("副董事长", "vice chairman", "vice-chairman", "副会长")),
    (45, ("董事长", "chairman", "chairwoman", "chair of the board", "会长", "主席", "chair")),
    (60, ("副总裁", "副总经理", "vice president", "vice-president", "副总")),
    (50, ("总裁", "总经理", "chief executive", "ceo", "president", "managing director")),
    (60, ("秘书长", "secretary-general", "secretary general")),
    (65, ("教授", "professor")),
    (70, ("主任", "director", "head of")),
]
HONORIFIC_RANKS = {"he": 20}  # "H.E." (His/Her Excellency) is at least a minister's rank


def suggested_rank(position: str, honorific: str = "") -> int:
    """The protocol rank that `position` (and honorific) suggests; DEFAULT_RANK if none does."""
    text = (position or "").casefold()
    rank = DEFAULT_RANK
    for value, keywords in RANK_RULES:
        if any(keyword in text for keyword in keywords):
            rank = value
            break
    return min(rank, HONORIFIC_RANKS.get((honorific or "").lower(), DEFAULT_RANK))


@dataclass(frozen=True)
class Guest:
    """One guest as precedence sees them."""

    key: object
    name: str
    position: str = ""
    honorific: str = ""
    rank_override: int | None = None
    appointed_on: date | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def rank(self) -> int:
        if self.rank_override is not None:
            return self.rank_override
        return suggested_rank(self.position, self.honorific)


def order_of_precedence(guests: Iterable[Guest]) -> list[Guest]:
    """Guests by rank, then the earlier appointment, then name (case-folded), then key."""
    return sorted(
        guests,
        key=lambda g: (
            g.rank,
            g.appointed_on or date.max,
            g.name.casefold(),
            str(g.key),
        ),
    )
