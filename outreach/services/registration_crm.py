"""RSVPs in the CRM: each answer becomes an interaction on the guest's record (idempotent on
``rsvp-change-<id>``), and the person's timeline lists their answers."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import InteractionKind
from crm.services.interactions import record_interaction
from outreach.models import AnswerChannel, RegistrationChange, RegistrationStatus

S = RegistrationStatus
# answers a guest gives (offers and expiries are the system's doing, not an interaction)
RECORDED = {S.ACCEPTED, S.DECLINED, S.DELEGATED, S.WAITLISTED, S.REQUESTED}
KIND_BY_CHANNEL = {
    AnswerChannel.PHONE: InteractionKind.CALL,
    AnswerChannel.LINK: InteractionKind.EMAIL,
    AnswerChannel.FORM: InteractionKind.OTHER,
}


def record_change(change_id: int) -> None:
    change = (
        RegistrationChange.objects.select_related("registration__event", "registration__person")
        .filter(pk=change_id)
        .first()
    )
    if change is None or change.to_status not in RECORDED:
        return
    registration = change.registration
    people = [registration.person]
    record_interaction(
        kind=KIND_BY_CHANNEL.get(change.channel, InteractionKind.OTHER),
        occurred_on=timezone.localdate(change.at),
        subject=_("RSVP %(event)s: %(answer)s")
        % {"event": registration.event.name, "answer": S(change.to_status).label},
        summary=change.reason,
        people=people,
        source="outreach",
        source_ref=f"rsvp-change-{change.pk}",
        acting_user=change.staff,
    )
