"""A round's life: open for scoring, closed by the presidium, then entries promoted to the
next round — the top N of each track by the ranking, or by hand with a reason."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from competitions.models import Round, RoundEntry

Outcome = RoundEntry.Outcome


class RoundError(Exception):
    def __init__(self, code: str, message: str = ""):
        self.code = code
        super().__init__(message or code)


# The one transition table of a round.
TRANSITIONS = {Round.Status.PLANNED: {Round.Status.OPEN}, Round.Status.OPEN: {Round.Status.CLOSED}}


def _transition(round_: Round, status: str, *, acting_user) -> Round:
    round_ = Round.objects.select_for_update().select_related("competition").get(pk=round_.pk)
    if status not in TRANSITIONS.get(round_.status, set()):
        raise RoundError("invalid_state")
    round_.status = status
    fields = ["status"]
    if status == Round.Status.CLOSED:
        round_.closed_at = timezone.now()
        round_.closed_by = acting_user
        fields += ["closed_at", "closed_by"]
    round_.save(update_fields=fields)
    log(round_, f"competitions.round_{status}", user=acting_user)
    return round_


@transaction.atomic
def open_round(round_: Round, *, acting_user=None) -> Round:
    from competitions.services.assignment import fill_round

    round_ = _transition(round_, Round.Status.OPEN, acting_user=acting_user)
    fill_round(round_, acting_user=acting_user)
    return round_


@transaction.atomic
def close_round(round_: Round, *, acting_user=None) -> Round:
    """Scoring ends; every judge of the competition may now see every score of the round."""
    return _transition(round_, Round.Status.CLOSED, acting_user=acting_user)


def _move(round_entry: RoundEntry, outcome: str, reason: str, acting_user) -> None:
    round_entry.outcome = outcome
    round_entry.reason = reason[:255]
    round_entry.decided_at = timezone.now()
    round_entry.decided_by = acting_user
    round_entry.save(update_fields=["outcome", "reason", "decided_at", "decided_by"])
    following = round_entry.round.next_round()
    if following is None:
        return
    if outcome == Outcome.PROMOTED:
        RoundEntry.objects.get_or_create(round=following, entry_id=round_entry.entry_id)
        _register_for_pitch(following, round_entry.entry_id, acting_user)
    else:
        following.entries.filter(entry_id=round_entry.entry_id).delete()


def _register_for_pitch(following: Round, entry_id: int, acting_user) -> None:
    """A live round with an event: the promoted team is on its guest list (accepted
    registrations, so the door checks them in); staff send the invitation mail through a
    campaign as for any event."""
    if following.mode != Round.Mode.LIVE or following.event_id is None:
        return
    from competitions.models import TeamMember
    from outreach.models import AnswerChannel
    from outreach.services import registration as registering

    for member in TeamMember.objects.filter(entry_id=entry_id).select_related("person"):
        try:
            registering.accept(
                following.event,
                member.person,
                registering.AcceptInput(),
                channel=AnswerChannel.STAFF,
                staff=acting_user,
                reason="competition promotion",
                notify=False,
            )
        except registering.RegistrationError:
            continue  # a cancelled event: staff see the entry in the round and decide


@transaction.atomic
def promote_top(round_: Round, *, acting_user=None) -> list[int]:
    """Promote the round's `promote_count` best entries of each track (by the ranking and its
    tie rule); the others are not promoted. Entries decided by hand keep their decision.
    Returns the promoted entry ids."""
    from competitions.services.scoring import round_ranking

    round_ = Round.objects.select_for_update().select_related("competition").get(pk=round_.pk)
    if not round_.is_closed:
        raise RoundError("round_not_closed")
    by_hand = set(
        round_.entries.exclude(outcome=Outcome.PENDING)
        .exclude(reason="")
        .values_list("entry_id", flat=True)
    )
    places = {}
    promoted = []
    rows = {re.entry_id: re for re in round_.entries.all()}
    for item in round_ranking(round_):
        if item.entry_id in by_hand or item.entry_id not in rows:
            continue
        taken = places.get(item.track_id, 0)
        if item.scores and taken < round_.promote_count:
            places[item.track_id] = taken + 1
            _move(rows[item.entry_id], Outcome.PROMOTED, "", acting_user)
            promoted.append(item.entry_id)
        else:
            _move(rows[item.entry_id], Outcome.ELIMINATED, "", acting_user)
    log(round_, "competitions.promoted", user=acting_user, data={"promoted": promoted})
    return promoted


@transaction.atomic
def decide_by_hand(
    round_: Round, entry_id: int, *, promoted: bool, reason: str, acting_user=None
) -> RoundEntry:
    """The presidium promotes (or holds back) one entry against the ranking; a reason is
    required and kept."""
    reason = (reason or "").strip()
    if not reason:
        raise RoundError("reason_required")
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_closed:
        raise RoundError("round_not_closed")
    row = round_.entries.select_for_update().filter(entry_id=entry_id).first()
    if row is None:
        raise RoundError("not_in_round")
    _move(row, Outcome.PROMOTED if promoted else Outcome.ELIMINATED, reason, acting_user)
    log(
        row,
        "competitions.decided_by_hand",
        user=acting_user,
        data={"promoted": promoted, "reason": reason[:255]},
    )
    return row
