"""Scores: a judge records theirs for an assignment while the round is open; the round's
ranking (competitions.ranking) and its CSV export, which reproduces the ranking exactly and
cannot carry spreadsheet formulas."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from competitions.models import Assignment, Round, Score
from competitions.ranking import JudgeScore, Ranked, rank, weighted_total
from crm.services.exports import escape_formula


class ScoreError(Exception):
    def __init__(self, code: str, field: str = "", message: str = ""):
        self.code = code
        self.field = field
        super().__init__(message or code)


@transaction.atomic
def record_scores(
    assignment: Assignment, values: dict[int, int], *, comment: str = "", acting_user
) -> Assignment:
    """Save a judge's scores (criterion id -> whole number 0..scale) for one assignment."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("round__competition", "judge")
        .get(pk=assignment.pk)
    )
    if assignment.judge.user_id != getattr(acting_user, "pk", None):
        raise ScoreError("not_your_assignment")
    if assignment.status != Assignment.Status.ACTIVE or assignment.judge.withdrawn_at:
        raise ScoreError("invalid_state")
    round_ = assignment.round
    if round_.status != Round.Status.OPEN:
        raise ScoreError("round_not_open")
    competition = round_.competition
    criteria = list(competition.criteria.all())
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is None:
            raise ScoreError("missing", field=str(criterion.pk))
        if not isinstance(value, int) or not 0 <= value <= competition.scale_max:
            raise ScoreError("out_of_range", field=str(criterion.pk))
    for criterion in criteria:
        Score.objects.update_or_create(
            assignment=assignment, criterion=criterion, defaults={"value": values[criterion.pk]}
        )
    assignment.comment = comment[:5000]
    assignment.scored_at = timezone.now()
    assignment.save(update_fields=["comment", "scored_at"])
    log(assignment, "competitions.scored", user=acting_user)
    return assignment


def judge_totals(round_: Round) -> list[JudgeScore]:
    """Each scored assignment's weighted total."""
    weights = dict(round_.competition.criteria.values_list("pk", "weight"))
    values: dict[int, dict[int, int]] = {}
    meta = {}
    for assignment_id, entry_id, judge_id, criterion_id, value in (
        Score.objects.filter(
            assignment__round=round_,
            assignment__status=Assignment.Status.ACTIVE,
            assignment__scored_at__isnull=False,
        )
        .order_by("assignment_id", "criterion_id")
        .values_list(
            "assignment_id", "assignment__entry_id", "assignment__judge_id", "criterion_id", "value"
        )
    ):
        values.setdefault(assignment_id, {})[criterion_id] = value
        meta[assignment_id] = (entry_id, judge_id)
    return [
        JudgeScore(meta[a][0], meta[a][1], weighted_total(v, weights)) for a, v in values.items()
    ]


def round_ranking(round_: Round) -> list[Ranked]:
    competition = round_.competition
    entries = {
        entry_id: (track_id, number)
        for entry_id, track_id, number in round_.entries.filter(
            entry__status="submitted"
        ).values_list("entry_id", "entry__track_id", "entry__number")
    }
    return rank(
        entries,
        judge_totals(round_),
        scale_max=competition.scale_max,
        min_count=competition.normalise_after,
    )


def ranking_rows(round_: Round, ranked: list[Ranked] | None = None, language: str = "en"):
    """The export's header and rows: everything needed to check the order by the tie rule."""
    from competitions.models import Entry

    ranked = round_ranking(round_) if ranked is None else ranked
    entries = Entry.objects.in_bulk([r.entry_id for r in ranked])
    tracks = {t.pk: t.code for t in round_.competition.tracks.all()}
    width = max((len(r.scores) for r in ranked), default=0)
    header = [
        "rank",
        "track_rank",
        "entry_number",
        "track",
        "project",
        "raw_mean",
        "normalised_mean",
    ]
    for i in range(1, width + 1):
        header += [f"judge_{i}", f"judge_{i}_raw", f"judge_{i}_normalised"]
    yield header
    for r in ranked:
        unscored = not r.scores
        row = [
            r.rank,
            r.track_rank,
            r.number,
            tracks.get(r.track_id, ""),
            entries[r.entry_id].title(language),
            "" if unscored else f"{r.raw:.4f}",
            "" if unscored else f"{r.normalised:.4f}",
        ]
        for judge_id, raw, norm in r.scores:
            row += [judge_id, f"{raw:.4f}", f"{norm:.4f}"]
        yield row


def ranking_csv(round_: Round, language: str = "en") -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in ranking_rows(round_, language=language):
        writer.writerow([escape_formula(v) for v in row])
    return out.getvalue()
