"""Who scores what in a round.

`assign_round` gives every entry of an online round `judges_per_entry` standing judges of its
track without a conflict, with loads as even as possible (competitions.assignment_solver); in
a live round every standing judge of the track without a conflict scores every pitch.
Existing assignments stay, so running it again adds only what is missing (same input, same
result). `withdraw_judge` takes a judge off the competition: their unscored assignments in
rounds not closed are withdrawn and given to others (`fill_round`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from competitions.assignment_solver import AssignmentImpossibleError, Judge, solve
from competitions.models import Assignment, EntryStatus, JudgeRole, Round, RoundEntry

__all__ = [
    "AssignmentImpossibleError",
    "assign_round",
    "entries_short_of_judges",
    "fill_round",
    "withdraw_judge",
]


def _round_entries(round_: Round):
    """The round's entries; the first round takes every submitted entry."""
    competition = round_.competition
    first = not competition.rounds.filter(number__lt=round_.number).exists()
    if first:
        existing = set(round_.entries.values_list("entry_id", flat=True))
        RoundEntry.objects.bulk_create(
            [
                RoundEntry(round=round_, entry_id=pk)
                for pk in competition.entries.filter(status=EntryStatus.SUBMITTED)
                .exclude(pk__in=existing)
                .values_list("pk", flat=True)
            ]
        )
    return dict(
        round_.entries.filter(entry__status=EntryStatus.SUBMITTED).values_list(
            "entry_id", "entry__track_id"
        )
    )


def _judges(round_: Round) -> list[Judge]:
    rows = (
        JudgeRole.tracks.through.objects.filter(
            judgerole__competition=round_.competition,
            judgerole__tier=JudgeRole.Tier.STANDING,
            judgerole__withdrawn_at__isnull=True,
        )
        .order_by("judgerole_id", "track_id")
        .values_list("judgerole_id", "track_id")
    )
    tracks: dict[int, set[int]] = {}
    for judge_id, track_id in rows:
        tracks.setdefault(judge_id, set()).add(track_id)
    return [Judge(j, frozenset(t)) for j, t in sorted(tracks.items())]


def fill_round(round_: Round, *, acting_user=None) -> list[tuple[int, int]]:
    """Add the assignments the round lacks; returns the new (entry, judge) pairs."""
    from competitions.services.conflicts import conflicted_pairs

    entries = _round_entries(round_)
    judges = _judges(round_)
    conflicts = conflicted_pairs(round_.competition)
    fixed = set(
        round_.assignments.filter(status=Assignment.Status.ACTIVE).values_list(
            "entry_id", "judge_id"
        )
    )
    # A withdrawn pair is not offered again (the judge withdrew, or a conflict appeared).
    conflicts |= set(
        round_.assignments.filter(status=Assignment.Status.WITHDRAWN).values_list(
            "entry_id", "judge_id"
        )
    )
    if round_.mode == Round.Mode.LIVE:
        pairs = sorted(
            (e, j.id)
            for e, track in entries.items()
            for j in judges
            if track in j.tracks and (e, j.id) not in conflicts and (e, j.id) not in fixed
        )
    else:
        k = round_.competition.judges_per_entry
        solution = solve(entries, judges, k, conflicts, fixed, strict=False)
        pairs = solution.pairs
        if solution.short:
            # Too few judges of the track without a conflict: staff add judges and assign
            # again (the round screen lists these entries).
            log(
                round_,
                "competitions.judges_missing",
                user=acting_user,
                data={"entries": sorted(solution.short)},
            )
    Assignment.objects.bulk_create(
        [Assignment(round=round_, entry_id=e, judge_id=j) for e, j in pairs]
    )
    if pairs:
        log(round_, "competitions.assigned", user=acting_user, data={"new": len(pairs)})
    return pairs


@transaction.atomic
def assign_round(round_: Round, *, acting_user=None) -> list[tuple[int, int]]:
    round_ = Round.objects.select_for_update().select_related("competition").get(pk=round_.pk)
    if round_.is_closed:
        return []
    return fill_round(round_, acting_user=acting_user)


@transaction.atomic
def withdraw_judge(judge: JudgeRole, *, acting_user=None) -> JudgeRole:
    judge = JudgeRole.objects.select_for_update().get(pk=judge.pk)
    if judge.withdrawn_at is None:
        judge.withdrawn_at = timezone.now()
        judge.save(update_fields=["withdrawn_at"])
        log(judge, "competitions.judge_withdrawn", user=acting_user)
    open_rounds = judge.competition.rounds.exclude(status=Round.Status.CLOSED)
    judge.assignments.filter(
        round__in=open_rounds, status=Assignment.Status.ACTIVE, scored_at__isnull=True
    ).update(status=Assignment.Status.WITHDRAWN)
    for round_ in open_rounds.select_related("competition"):
        if round_.assignments.exists():
            fill_round(round_, acting_user=acting_user)
    return judge


def entries_short_of_judges(round_: Round) -> list[int]:
    """Numbers of the round's entries with fewer active judges than the competition asks
    (online rounds)."""
    from django.db.models import Count, Q

    if round_.mode == Round.Mode.LIVE or round_.status == Round.Status.PLANNED:
        return []
    k = round_.competition.judges_per_entry
    rows = round_.entries.filter(entry__status=EntryStatus.SUBMITTED).annotate(
        judges=Count(
            "entry__assignments",
            filter=Q(
                entry__assignments__round=round_,
                entry__assignments__status=Assignment.Status.ACTIVE,
            ),
        )
    )
    return sorted(r.entry.number for r in rows.filter(judges__lt=k).select_related("entry"))
