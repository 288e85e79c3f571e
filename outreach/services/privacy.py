"""Outreach's part of data-subject requests (crm.services.privacy): what a person's export
contains about campaigns, and what erasing them removes here.

Erasure keeps each message row (the campaign's figures stay right) with the address's digest
only; stored ESP webhook payloads about those messages, or naming the person, are emptied.
Suppressions hold digests only and stay, so an erased address is still never mailed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, TextField
from django.db.models.functions import Cast

from crm.identity import email_digest
from outreach.models import Message, Suppression, TrackingEvent

SCRUBBED_PAYLOAD = {"scrubbed": "personal data erased"}


def _iso(value):
    return value.isoformat() if value else None


def person_export(person) -> tuple[str, dict[str, Any]]:
    """The crm_person_data_export hook: messages received (campaign, language, times),
    tracking times, and suppressions of the person's addresses."""
    messages = (
        Message.objects.filter(Q(person=person) | Q(via_assistant=person))
        .select_related("campaign")
        .order_by("id")
    )
    digests = {email_digest(e) for e in person.emails.values_list("email_normalized", flat=True)}
    return "outreach", {
        "messages": [
            {
                "campaign": m.campaign.name,
                "campaign_id": m.campaign_id,
                "as": "assistant" if m.via_assistant_id == person.pk else "recipient",
                "address": m.email,
                "language": m.language,
                "status": m.status,
                "due_at": _iso(m.due_at),
                "sent_at": _iso(m.sent_at),
                "delivery_status": m.delivery_status,
                "tracking": {
                    "delivered_at": _iso(m.delivered_at),
                    "opened_at": _iso(m.opened_at),
                    "clicked_at": _iso(m.clicked_at),
                    "soft_bounced_at": _iso(m.soft_bounced_at),
                    "bounced_at": _iso(m.bounced_at),
                    "complained_at": _iso(m.complained_at),
                    "unsubscribed_at": _iso(m.unsubscribed_at),
                },
            }
            for m in messages
        ],
        "suppressions": [
            {"reason": s.reason, "purpose": s.purpose, "added_at": _iso(s.created_at)}
            for s in Suppression.objects.filter(email_digest__in=digests).order_by("id")
        ],
    }


def erase_person_outreach_data(person, secrets: list[str]) -> None:
    """Inside the erasure's transaction: messages keep the digest only, payloads go."""
    from crm.services.privacy import scrub_text

    messages = Message.objects.filter(Q(person=person) | Q(via_assistant=person))
    public_ids = [str(p) for p in messages.values_list("public_id", flat=True)]
    for message in messages.only("pk", "last_error"):
        Message.objects.filter(pk=message.pk).update(
            email="", last_error=scrub_text(message.last_error, secrets)
        )
    naming = Q(message_public_id__in=public_ids)
    for secret in secrets:
        naming |= Q(payload_text__icontains=secret)
    TrackingEvent.objects.annotate(payload_text=Cast("payload", TextField())).filter(naming).update(
        payload=SCRUBBED_PAYLOAD
    )
