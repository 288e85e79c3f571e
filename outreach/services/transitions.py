"""The campaign's state machine: one transition table, and one function that locks the campaign
row, checks the table, saves and logs ``outreach.campaign.<verb>`` (by the acting user, or by
the system when there is none: beat, workers, the circuit breaker).

Every change of ``Campaign.status`` goes through ``transition``; the verbs in
``outreach.services.campaigns`` (and dispatch, the circuit breaker, the "resend" decision) only
decide which transition to ask for and do their work under the same lock (``locked``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from outreach.errors import ErrorCode
from outreach.models import Campaign, CampaignStatus

S = CampaignStatus


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    targets: frozenset[str]


def _rule(sources, targets) -> Rule:
    return Rule(frozenset(sources), frozenset(targets))


# verb -> the statuses it may start from and those it may lead to
TRANSITIONS: dict[str, Rule] = {
    "submit": _rule({S.DRAFT}, {S.SUBMITTED}),
    "withdraw": _rule({S.SUBMITTED}, {S.DRAFT}),
    # An approver sends it back with a reason.
    "reject": _rule({S.SUBMITTED}, {S.DRAFT}),
    # Small audiences are frozen in the request (APPROVED), large ones by a worker (APPROVING).
    "approve": _rule({S.SUBMITTED}, {S.APPROVED, S.APPROVING}),
    "freeze": _rule({S.APPROVING}, {S.APPROVED}),
    # The worker could not freeze (recipients read a language the campaign lacks).
    "freeze_failed": _rule({S.APPROVING}, {S.SUBMITTED}),
    "schedule": _rule({S.APPROVED, S.SCHEDULED}, {S.SCHEDULED}),
    "start": _rule({S.SCHEDULED}, {S.SENDING}),
    "pause": _rule({S.SCHEDULED, S.SENDING}, {S.PAUSED}),
    "circuit_breaker": _rule({S.SENDING}, {S.PAUSED}),
    "resume": _rule({S.PAUSED}, {S.SENDING, S.SCHEDULED}),
    "finish": _rule({S.SENDING}, {S.FINISHED}),
    # A person decided an UNKNOWN message did not go out: it is queued again.
    "reopen": _rule({S.FINISHED}, {S.SENDING}),
    "cancel": _rule(set(S.values) - {S.FINISHED, S.CANCELLED}, {S.CANCELLED}),
}


def allowed(campaign: Campaign, verb: str) -> bool:
    return campaign.status in TRANSITIONS[verb].sources


def allowed_verbs(campaign: Campaign) -> list[str]:
    return [verb for verb, rule in TRANSITIONS.items() if campaign.status in rule.sources]


def invalid_state(campaign: Campaign, states) -> ValidationError:
    return ValidationError(
        _("The campaign is %(status)s; this needs it to be %(needed)s.")
        % {
            "status": campaign.get_status_display(),
            "needed": " / ".join(str(S(s).label) for s in S.values if s in states),
        },
        code=ErrorCode.INVALID_STATE,
    )


def locked(campaign: Campaign | int, *, verb: str | None = None, states=()) -> Campaign:
    """The campaign row, locked until the end of the caller's transaction, checked against the
    table (``verb``) or a set of ``states``; raises ``invalid_state`` otherwise."""
    pk = campaign if isinstance(campaign, int) else campaign.pk
    row = Campaign.objects.select_for_update().get(pk=pk)
    needed = TRANSITIONS[verb].sources if verb else frozenset(states)
    if needed and row.status not in needed:
        raise invalid_state(row, needed)
    return row


@transaction.atomic
def transition(
    campaign: Campaign | int,
    verb: str,
    *,
    acting_user=None,
    to: str | None = None,
    changes: dict | None = None,
    data: dict | None = None,
) -> Campaign:
    """Move the campaign by ``verb`` (to ``to`` where the verb has several outcomes), setting
    ``changes`` on it in the same save. Locks the row (again, when the caller already holds it:
    free), checks the table, saves, logs. The instance passed in is updated too."""
    rule = TRANSITIONS[verb]
    if to is None:
        (to,) = rule.targets  # a verb with several outcomes must say which
    if to not in rule.targets:
        raise ValueError(f"{verb} cannot lead to {to}")
    row = locked(campaign, verb=verb)
    previous = row.status
    row.status = to
    for field, value in (changes or {}).items():
        setattr(row, field, value)
    row.save()
    user = acting_user if getattr(acting_user, "pk", None) else None
    log(
        row,
        f"outreach.campaign.{verb}",
        user=user,
        data={"from": previous, "to": to, "by": "user" if user else "system", **(data or {})},
    )
    if isinstance(campaign, Campaign) and campaign is not row:
        for field in Campaign._meta.concrete_fields:
            setattr(campaign, field.attname, getattr(row, field.attname))
    return row
