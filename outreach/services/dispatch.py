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


def start(campaign: Campaign) -> None:
    campaign.status = CampaignStatus.SENDING
    campaign.started_at = campaign.started_at or timezone.now()
    campaign.save(update_fields=["status", "started_at", "updated_at"])
    wake_senders()


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
            campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
            if campaign.status == CampaignStatus.SCHEDULED:
                start(campaign)
                started += 1
    if Campaign.objects.filter(Exists(due), status=CampaignStatus.SENDING).exists():
        wake_senders_now()
    return started


def wake_senders_now() -> None:
    from outreach.tasks import start_sending_wave

    start_sending_wave.delay()


def finish_campaigns() -> int:
    """Sending campaigns with nothing queued or in flight are finished (UNKNOWN rows stay for
    review; a "resend" decision reopens the campaign)."""
    open_rows = Message.objects.filter(
        campaign=OuterRef("pk"), status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]
    )
    return (
        Campaign.objects.filter(status=CampaignStatus.SENDING)
        .exclude(Exists(open_rows))
        .update(
            status=CampaignStatus.FINISHED, finished_at=timezone.now(), updated_at=timezone.now()
        )
    )
