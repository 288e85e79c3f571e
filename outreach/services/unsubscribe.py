"""Unsubscribing and preferences, reached through the signed per-recipient token.

The token is the authentication (no session, no cookie): it carries the message's opaque public
id, signed with the site's key. Unsubscribing puts the address on the suppression list for the
campaign's purpose, withdraws the person's consent for it, and is idempotent."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from crm.services.consent import record_consent, withdraw_consent
from outreach.models import (
    DELIVERY_PRECEDENCE,
    CampaignPurpose,
    DeliveryStatus,
    Message,
    Suppression,
    SuppressionReason,
)
from outreach.services import suppression
from outreach.services.tokens import read_token


def message_for_token(token: str) -> Message | None:
    public_id = read_token(token)
    if public_id is None:
        return None
    return Message.objects.select_related("campaign", "person").filter(public_id=public_id).first()


def unsubscribed_purposes(message: Message) -> set[str]:
    rows = Suppression.objects.filter(email_digest=message.email_digest).values_list(
        "purpose", flat=True
    )
    purposes = set(rows)
    if "" in purposes:
        return set(CampaignPurpose.values)
    return purposes


@transaction.atomic
def unsubscribe(message: Message, *, purpose: str | None = None) -> bool:
    """Stop mail for ``purpose`` (default: the campaign's) to this address. Returns True when
    something changed (False on a repeat)."""
    purpose = purpose or message.campaign.purpose
    already = Suppression.objects.filter(
        Q(purpose=purpose) | Q(purpose=""), email_digest=message.email_digest
    ).exists()
    suppression.suppress(
        message.email_digest,
        SuppressionReason.UNSUBSCRIBE,
        purpose=purpose,
        message=message,
        note="unsubscribe link",
    )
    changed = False
    if purpose == message.campaign.purpose and message.unsubscribed_at is None:
        message.unsubscribed_at = timezone.now()
        fields = ["unsubscribed_at"]
        if (
            DELIVERY_PRECEDENCE[DeliveryStatus.UNSUBSCRIBED]
            > DELIVERY_PRECEDENCE[message.delivery_status]
        ):
            message.delivery_status = DeliveryStatus.UNSUBSCRIBED
            fields.append("delivery_status")
        message.save(update_fields=fields)
        changed = True
    person = message.via_assistant or message.person
    if person is not None:
        changed |= bool(withdraw_consent(person, purpose=purpose))
    return changed or not already


@transaction.atomic
def set_preferences(message: Message, *, keep: set[str]) -> None:
    """Keep mail for the purposes in ``keep``; unsubscribe from the others."""
    person = message.via_assistant or message.person
    for purpose in CampaignPurpose.values:
        if purpose in keep:
            removed, _detail = Suppression.objects.filter(
                email_digest=message.email_digest,
                purpose=purpose,
                reason=SuppressionReason.UNSUBSCRIBE,
            ).delete()
            if removed and person is not None:
                record_consent(person, purpose=purpose, source="preference page")
        else:
            unsubscribe(message, purpose=purpose)
