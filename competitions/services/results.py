"""Results: the presidium approves the prizes, and the results page shows them on the public
site in each language — winners, prizes and the projects' public summaries, nothing else.

Approved winners then go to the project pool when that app is installed
(`send_winners_to_pool`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from competitions.models import Competition, Entry, EntryStatus


class ResultsError(Exception):
    def __init__(self, code: str, message: str = ""):
        self.code = code
        super().__init__(message or code)


@transaction.atomic
def approve_results(
    competition: Competition, prizes: dict[int, tuple[str, str]], *, acting_user=None
) -> Competition:
    """Record the prizes (entry id -> (Chinese, English)) and publish the results."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if not prizes:
        raise ResultsError("no_winners")
    entries = competition.entries.filter(pk__in=prizes, status=EntryStatus.SUBMITTED)
    if entries.count() != len(prizes):
        raise ResultsError("unknown_entry")
    competition.entries.exclude(pk__in=prizes).update(prize_zh="", prize_en="")
    for entry in entries:
        zh, en = prizes[entry.pk]
        if not (zh or en).strip():
            raise ResultsError("prize_required")
        entry.prize_zh, entry.prize_en = zh.strip()[:120], en.strip()[:120]
        entry.save(update_fields=["prize_zh", "prize_en", "updated_at"])
    competition.results_approved_at = timezone.now()
    competition.results_approved_by = acting_user
    competition.save(update_fields=["results_approved_at", "results_approved_by"])
    log(competition, "competitions.results_approved", user=acting_user)
    competition_id = competition.pk
    transaction.on_commit(lambda: send_winners_to_pool(competition_id, acting_user))
    return competition


def winners(competition: Competition) -> list[Entry]:
    """Prize winners, in the order of their last round's ranking (then entry number)."""
    entries = list(
        competition.entries.filter(status=EntryStatus.SUBMITTED)
        .exclude(prize_zh="", prize_en="")
        .select_related("track")
    )
    last = competition.rounds.filter(status="closed").order_by("-number").first()
    order = {}
    if last is not None:
        from competitions.services.scoring import round_ranking

        order = {r.entry_id: r.rank for r in round_ranking(last)}
    return sorted(entries, key=lambda e: (order.get(e.pk, 10**9), e.number))


def send_winners_to_pool(competition_id: int, acting_user=None) -> int:
    """Hand each winner to the project pool (项目池): `projects.services.pool.add_to_pool` of
    the `projects` app, when it is installed (at stage "lead", with the entry as its source, so
    running this twice adds nothing twice); returns how many were handed over (0 without it)."""
    from django.apps import apps

    if not apps.is_installed("projects"):
        return 0
    try:
        from projects.services import pool
    except ImportError:
        return 0
    competition = Competition.objects.get(pk=competition_id)
    count = 0
    for entry in winners(competition):
        pool.add_to_pool(
            name_zh=entry.title_zh,
            name_en=entry.title_en,
            summary=entry.summary_en or entry.summary_zh,
            organizations=[entry.organization] if entry.organization_id else [],
            people=[m.person for m in entry.team.select_related("person")],
            source=entry,
            acting_user=acting_user,
        )
        count += 1
    return count
