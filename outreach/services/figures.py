"""A campaign's figures: messages by status, the funnel (sent, delivered, opened, ...), send
rate and time to finish for the live page and the API."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from outreach.models import (
    Campaign,
    DeliveryStatus,
    Message,
    MessageStatus,
)


def status_counts(campaign: Campaign) -> dict[str, int]:
    counts = dict.fromkeys(MessageStatus.values, 0)
    for row in (
        Message.objects.filter(campaign=campaign)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["status"]] = row["n"]
    return counts


# The funnel's steps in order, with the label staff read (the API uses the keys).
FUNNEL_STEPS: dict[str, str] = {
    "sent": gettext_lazy("Sent"),
    "delivered": gettext_lazy("Delivered"),
    "opened": gettext_lazy("Opened"),
    "clicked": gettext_lazy("Clicked"),
    "hard_bounced": gettext_lazy("Hard bounces (permanent)"),
    "soft_bounced": gettext_lazy("Soft bounces (temporary, not delivered yet)"),
    "complained": gettext_lazy("Complained (spam)"),
    "unsubscribed": gettext_lazy("Unsubscribed"),
}


def funnel(campaign: Campaign) -> dict[str, int]:
    """One aggregate query. ``hard_bounced`` counts messages with a permanent failure, which
    are never "delivered" even when the ESP also reported a delivery;
    ``soft_bounced`` those whose last word is a temporary failure (a soft bounce later delivered
    counts as delivered only)."""
    m = Message.objects.filter(campaign=campaign)
    figures = m.aggregate(
        sent=Count("pk", filter=Q(status=MessageStatus.SENT)),
        delivered=Count("pk", filter=Q(delivered_at__isnull=False, bounced_at__isnull=True)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
        hard_bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
        soft_bounced=Count("pk", filter=Q(delivery_status=DeliveryStatus.SOFT_BOUNCED)),
        complained=Count("pk", filter=Q(complained_at__isnull=False)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
    return {step: figures[step] for step in FUNNEL_STEPS}


def live_figures(campaign: Campaign) -> dict:
    """Counts by status, send rate over the last minute, estimated time to finish, funnel."""
    counts = status_counts(campaign)
    now = timezone.now()
    recent = Message.objects.filter(
        campaign=campaign, status=MessageStatus.SENT, sent_at__gte=now - dt.timedelta(seconds=60)
    ).count()
    rate = recent / 60.0
    remaining = counts[MessageStatus.QUEUED] + counts[MessageStatus.SENDING]
    eta = int(remaining / rate) if rate > 0 and remaining else None
    return {
        "status": campaign.status,
        "counts": counts,
        "rate_per_second": round(rate, 2),
        "remaining": remaining,
        "eta_seconds": eta,
        "funnel": funnel(campaign),
    }
