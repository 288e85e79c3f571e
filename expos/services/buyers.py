"""Staff decisions on buyers (客商): approve a buyer's registration profile and re-tier it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from expos.models import Buyer, BuyerTier


@transaction.atomic
def approve(buyer: Buyer, *, acting_user) -> Buyer:
    """Approve the buyer (once; approving again changes nothing)."""
    row = Buyer.objects.select_for_update().get(pk=buyer.pk)
    if row.approved_at is None:
        row.approved_at = timezone.now()
        row.approved_by = acting_user if getattr(acting_user, "pk", None) else None
        row.save(update_fields=["approved_at", "approved_by"])
        log(row, "expos.buyer.approve", user=acting_user)
    return row


@transaction.atomic
def retier(buyer: Buyer, tier: str, *, reason: str, acting_user) -> Buyer:
    """Move the buyer to another tier; the reason goes into the history."""
    if tier not in BuyerTier.values:
        raise ValidationError(_("Unknown tier: %(tier)s.") % {"tier": tier}, code="invalid_tier")
    if not (reason or "").strip():
        raise ValidationError(_("Changing a buyer's tier needs a reason."), code="reason_required")
    row = Buyer.objects.select_for_update().get(pk=buyer.pk)
    previous = row.tier
    if previous != tier:
        row.tier = tier
        row.save(update_fields=["tier"])
        log(
            row,
            "expos.buyer.retier",
            user=acting_user,
            data={"from": previous, "to": tier, "reason": reason.strip()},
        )
    return row
