"""Decisions on messages whose sending is UNKNOWN (the request may have reached the ESP): a
person with the permission marks them sent, or queues them again under a new idempotency key."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from outreach.models import (
    Message,
    MessageStatus,
)
from outreach.services import dispatch, transitions


@transaction.atomic
def mark_unknown_sent(message_ids: list[int], *, acting_user) -> int:
    _check_decider(acting_user)
    rows = Message.objects.filter(pk__in=message_ids, status=MessageStatus.UNKNOWN)
    for message in rows:
        log(
            message.campaign,
            "outreach.message.mark_sent",
            user=acting_user,
            data={"id": message.pk},
        )
    return rows.update(status=MessageStatus.SENT, decided_by=acting_user, lease_until=None)


@transaction.atomic
def resend_unknown(message_ids: list[int], *, acting_user) -> int:
    """A person decided the message did not go out: queue it again, now, under a new ESP
    idempotency key (an explicit decision to send again must not be dropped by the ESP as a
    repeat of the attempt in doubt)."""
    _check_decider(acting_user)
    rows = Message.objects.filter(pk__in=message_ids, status=MessageStatus.UNKNOWN)
    campaign_ids = set(rows.values_list("campaign_id", flat=True))
    for message in rows:
        log(message.campaign, "outreach.message.resend", user=acting_user, data={"id": message.pk})
    count = rows.update(
        status=MessageStatus.QUEUED,
        due_at=timezone.now(),
        decided_by=acting_user,
        claim_token=None,
        lease_until=None,
        resend_count=F("resend_count") + 1,
        ambiguous_since=None,
    )
    for campaign_id in sorted(campaign_ids):
        if transitions.allowed(transitions.locked(campaign_id), "reopen"):
            transitions.transition(
                campaign_id, "reopen", acting_user=acting_user, changes={"finished_at": None}
            )
    dispatch.wake_senders()
    return count


def _check_decider(user) -> None:
    if not user.has_perm("outreach.decide_unknown_message"):
        raise PermissionDenied(_("You may not decide on messages whose sending is unknown."))
