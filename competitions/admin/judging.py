"""The judging screens (Wagtail admin, phone-friendly): a judge's assignments and score form;
for the presidium, a round's live ranking, closing it, promotion, and approving the results.

Every query goes through the access policy (crm.access): a judge account reaches only its own
assignments (anything else is a 404), other judges' scores only once the round is closed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from competitions.models import Assignment, Attachment, Competition, Round, Score
from competitions.services import assignment as assigning
from competitions.services import rounds as round_service
from competitions.services import scoring
from competitions.services.conflicts import declare_conflict, detect_conflicts
from competitions.services.results import ResultsError, approve_results
from competitions.uploads import download_response
from crm import access

ERRORS = {
    "not_your_assignment": gettext_lazy("This is not your assignment."),
    "invalid_state": gettext_lazy("This can no longer be changed."),
    "round_not_open": gettext_lazy("The round is not open for scoring."),
    "missing": gettext_lazy("Give a score for every criterion."),
    "out_of_range": gettext_lazy("A score is outside the scale."),
    "round_not_closed": gettext_lazy("Close the round first."),
    "reason_required": gettext_lazy("Give a reason for a decision by hand."),
    "not_in_round": gettext_lazy("That entry is not in this round."),
    "no_winners": gettext_lazy("Give at least one prize."),
    "unknown_entry": gettext_lazy("One of the entries is not in this competition."),
    "prize_required": gettext_lazy("Name the prize."),
}


def _error(code: str) -> str:
    return str(ERRORS.get(code, code))


def _language() -> str:
    return translation.get_language() or "en"


def _assignments(request):
    return access.visible_assignments(request.user).select_related(
        "entry__track", "round__competition", "judge"
    )


def _judge_or_staff(request) -> None:
    if not (access.is_competition_staff(request.user) or access.judge_roles(request.user)):
        raise PermissionDenied


def index(request: HttpRequest) -> HttpResponse:
    _judge_or_staff(request)
    own = (
        _assignments(request)
        .filter(judge__user=request.user, status=Assignment.Status.ACTIVE)
        .exclude(round__status=Round.Status.PLANNED)
        .order_by("round__competition", "round__number", "entry__number")
    )
    presided = list(
        Competition.objects.filter(
            pk__in=access.judge_roles(request.user).filter(tier="presidium").values("competition")
        )
    )
    if access.is_competition_staff(request.user):
        presided = list(Competition.objects.all()[:50])
    language = _language()
    return TemplateResponse(
        request,
        "competitions/judging/index.html",
        {
            "assignments": [
                {
                    "assignment": a,
                    "title": a.entry.title(language),
                    "track": a.entry.track.label(language),
                    "round": a.round.label(language),
                }
                for a in own
            ],
            "presided": [
                {
                    "competition": c,
                    "title": c.title(language),
                    "rounds": [(r, r.label(language)) for r in c.rounds.all()],
                }
                for c in presided
            ],
        },
    )


def _visible_scores(request, assignment: Assignment):
    """(judge label, [(criterion, value)], comment) of the entry's other assessments the user
    may see; their own first."""
    scores = access.visible_scores(request.user).filter(
        assignment__entry=assignment.entry, assignment__round=assignment.round
    )
    rows = {}
    for score in scores.select_related("assignment__judge", "criterion").order_by(
        "assignment__judge_id", "criterion__order"
    ):
        rows.setdefault(score.assignment, []).append(score)
    return rows


@require_http_methods(["GET", "POST"])
def assignment_view(request: HttpRequest, assignment_id: int) -> HttpResponse:
    _judge_or_staff(request)
    assignment = get_object_or_404(_assignments(request), pk=assignment_id)
    competition = assignment.round.competition
    criteria = list(competition.criteria.all())
    mine = assignment.judge.user_id == request.user.pk
    language = _language()
    errors = []
    posted = {}
    if request.method == "POST":
        if not mine:
            raise PermissionDenied
        if request.POST.get("declare_conflict"):
            declare_conflict(
                assignment.judge,
                assignment.entry,
                detail=request.POST.get("conflict_detail", ""),
                acting_user=request.user,
            )
            messages.success(request, _("Conflict recorded; the entry goes to another judge."))
            return redirect("competitions_judging_index")
        values = {}
        for criterion in criteria:
            raw = request.POST.get(f"criterion_{criterion.pk}", "").strip()
            posted[criterion.pk] = raw
            try:
                values[criterion.pk] = int(raw)
            except ValueError:
                errors.append(
                    _("%(criterion)s: choose a score from 0 to %(max)s.")
                    % {"criterion": criterion.label(language), "max": competition.scale_max}
                )
        if not errors:
            try:
                scoring.record_scores(
                    assignment,
                    values,
                    comment=request.POST.get("comment", ""),
                    acting_user=request.user,
                )
            except scoring.ScoreError as exc:
                errors.append(_error(exc.code))
            else:
                messages.success(request, _("Scores saved."))
                return redirect("competitions_judging_assignment", assignment.pk)
    own = (
        {s.criterion_id: s.value for s in Score.objects.filter(assignment=assignment)}
        if mine
        else {}
    )
    entry = assignment.entry
    others = [
        {
            "judge": _("Judge %(n)s") % {"n": index} if a.pk != assignment.pk else _("Your scores"),
            "scores": [(s.criterion.label(language), s.value) for s in scores],
            "comment": a.comment,
        }
        for index, (a, scores) in enumerate(_visible_scores(request, assignment).items(), 1)
        if a.pk != assignment.pk or not mine
    ]
    return TemplateResponse(
        request,
        "competitions/judging/assignment.html",
        {
            "assignment": assignment,
            "entry": entry,
            "title": entry.title(language),
            "summary": entry.summary(language),
            "track": entry.track.label(language),
            "round_name": assignment.round.label(language),
            "attachments": entry.attachments.all(),
            "criteria": [
                {
                    "criterion": c,
                    "name": c.label(language),
                    "weight": c.weight,
                    "anchors": c.anchors_in(language),
                    "value": posted.get(c.pk, own.get(c.pk, "")),
                }
                for c in criteria
            ],
            "scale": range(competition.scale_max + 1),
            "mine": mine,
            "can_score": mine and assignment.round.status == Round.Status.OPEN,
            "errors": errors,
            "others": others,
            "round_closed": assignment.round.is_closed,
        },
        status=400 if errors else 200,
    )


def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    _judge_or_staff(request)
    attachment = get_object_or_404(Attachment, pk=attachment_id)
    if not access.visible_entries(request.user).filter(pk=attachment.entry_id).exists():
        raise Http404
    return download_response(attachment)


def _presided_round(request, round_id: int) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("competition"), pk=round_id)
    if not access.presides(request.user, round_.competition):
        raise Http404
    return round_


@require_http_methods(["GET", "POST"])
def round_view(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _presided_round(request, round_id)
    language = _language()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "assign":
                pairs = assigning.assign_round(round_, acting_user=request.user)
                messages.success(request, _("%(n)s assignments added.") % {"n": len(pairs)})
            elif action == "conflicts":
                found = detect_conflicts(round_.competition, acting_user=request.user)
                messages.success(
                    request, _("%(n)s new conflicts of interest found.") % {"n": len(found)}
                )
            elif action == "open":
                round_service.open_round(round_, acting_user=request.user)
                messages.success(request, _("The round is open for scoring."))
            elif action == "close":
                round_service.close_round(round_, acting_user=request.user)
                messages.success(request, _("The round is closed."))
            elif action == "promote":
                promoted = round_service.promote_top(round_, acting_user=request.user)
                messages.success(request, _("%(n)s entries promoted.") % {"n": len(promoted)})
            elif action in ("promote_one", "hold_back"):
                try:
                    entry_id = int(request.POST.get("entry", ""))
                except ValueError:
                    entry_id = 0
                round_service.decide_by_hand(
                    round_,
                    entry_id,
                    promoted=action == "promote_one",
                    reason=request.POST.get("reason", ""),
                    acting_user=request.user,
                )
                messages.success(request, _("Decision recorded."))
            else:
                messages.error(request, _("Unknown action."))
        except round_service.RoundError as exc:
            messages.error(request, _error(exc.code))
        return redirect("competitions_judging_round", round_.pk)
    ranked = scoring.round_ranking(round_)
    entries = {
        e.pk: e
        for e in round_.competition.entries.filter(
            pk__in=[r.entry_id for r in ranked]
        ).select_related("track")
    }
    outcomes = dict(round_.entries.values_list("entry_id", "outcome"))
    labels = dict(round_.entries.model.Outcome.choices)
    return TemplateResponse(
        request,
        "competitions/judging/round.html",
        {
            "round": round_,
            "round_name": round_.label(language),
            "short": assigning.entries_short_of_judges(round_),
            "staff": access.is_competition_staff(request.user),
            "competition_title": round_.competition.title(language),
            "rows": [
                {
                    "rank": r.rank,
                    "track_rank": r.track_rank,
                    "number": r.number,
                    "entry_id": r.entry_id,
                    "title": entries[r.entry_id].title(language),
                    "track": entries[r.entry_id].track.label(language),
                    "raw": r.raw if r.scores else None,
                    "normalised": r.normalised if r.scores else None,
                    "judges": len(r.scores),
                    "outcome": labels.get(outcomes.get(r.entry_id), ""),
                }
                for r in ranked
            ],
        },
    )


def round_export(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _presided_round(request, round_id)
    response = HttpResponse(
        scoring.ranking_csv(round_, language=_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="ranking-round-{round_.number}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def results_view(request: HttpRequest, competition_id: int) -> HttpResponse:
    competition = get_object_or_404(Competition, pk=competition_id)
    if not access.presides(request.user, competition):
        raise Http404
    language = _language()
    last = competition.rounds.order_by("-number").first()
    candidates = []
    if last is not None:
        ranked = scoring.round_ranking(last)
        entries = competition.entries.in_bulk([r.entry_id for r in ranked])
        candidates = [(r, entries[r.entry_id]) for r in ranked]
    error = ""
    if request.method == "POST":
        prizes = {}
        for _r, entry in candidates:
            zh = request.POST.get(f"prize_zh_{entry.pk}", "").strip()
            en = request.POST.get(f"prize_en_{entry.pk}", "").strip()
            if zh or en:
                prizes[entry.pk] = (zh, en)
        try:
            approve_results(competition, prizes, acting_user=request.user)
        except ResultsError as exc:
            error = _error(exc.code)
        else:
            messages.success(request, _("Results approved and published."))
            return redirect("competitions_judging_results", competition.pk)
    return TemplateResponse(
        request,
        "competitions/judging/results.html",
        {
            "competition": competition,
            "title": competition.title(language),
            "rows": [
                {"rank": r.rank, "entry": e, "title": e.title(language)} for r, e in candidates
            ],
            "error": error,
        },
        status=400 if error else 200,
    )
