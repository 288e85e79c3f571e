"""Starting and finishing the sending of campaigns (beat and the workflow verbs): waking the
senders, starting scheduled campaigns when their first message is due, finishing campaigns with
nothing left to send."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from outreach.models import (
    Campaign,
    CampaignStatus,
    Message,
    MessageStatus,
)
from outreach.services import transitions


def start(campaign: Campaign | int, *, acting_user=None) -> Campaign:
    """SCHEDULED -> SENDING (by the user who scheduled "now", else by the system when the
    first message is due), and wake the senders after commit."""
    row = transitions.locked(campaign, verb="start")
    campaign = transitions.transition(
        campaign,
        "start",
        acting_user=acting_user,
        changes={"started_at": row.started_at or timezone.now()},
    )
    wake_senders()
    return campaign


def wake_senders() -> None:
    from outreach.tasks import start_sending_wave

    transaction.on_commit(lambda: start_sending_wave.delay(force=True))


def dispatch_due_campaigns() -> int:
    """Start scheduled campaigns whose first message is due; wake senders where work waits.
    Returns how many campaigns started now."""
    now = timezone.now()
    started = 0
    due = Message.objects.filter(
        campaign=OuterRef("pk"), status=MessageStatus.QUEUED, due_at__lte=now
    )
    for campaign_id in Campaign.objects.filter(
        Exists(due), status=CampaignStatus.SCHEDULED
    ).values_list("pk", flat=True):
        with transaction.atomic():
            if transitions.allowed(transitions.locked(campaign_id), "start"):
                start(campaign_id)
                started += 1
    if Campaign.objects.filter(Exists(due), status=CampaignStatus.SENDING).exists():
        wake_senders_now()
    return started


def wake_senders_now() -> None:
    from outreach.tasks import start_sending_wave

    start_sending_wave.delay()


def finish_campaigns() -> int:
    """Sending campaigns with nothing queued or in flight are finished (UNKNOWN rows stay for
    review; a "resend" decision reopens the campaign). Returns how many finished now."""
    open_rows = Message.objects.filter(
        campaign=OuterRef("pk"), status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]
    )
    done = Campaign.objects.filter(status=CampaignStatus.SENDING).exclude(Exists(open_rows))
    finished = 0
    for campaign_id in done.values_list("pk", flat=True):
        with transaction.atomic():
            # Checked again under the lock: a "resend" decision may have queued rows since.
            row = transitions.locked(campaign_id)
            if (
                not transitions.allowed(row, "finish")
                or Message.objects.filter(
                    campaign=row, status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]
                ).exists()
            ):
                continue
            transitions.transition(row, "finish", changes={"finished_at": timezone.now()})
            finished += 1
    return finished
