"""The online exhibition hall's verbs: a visitor's contact or meeting request (recorded with the
consent given, routed to the exhibitor's contacts, entered in the CRM as an interaction) and the
per-booth, per-day visit counter (no cookie, no address kept)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from crm.models import InteractionKind
from crm.services.interactions import record_interaction
from expos.models import BoothContactRequest, BoothVisit, ContactKind, Exhibitor


@dataclass
class ContactInput:
    kind: str
    name: str
    email: str
    organization_name: str
    message: str
    language: str


def count_visit(exhibitor_id: int) -> None:
    """Add one visit to today's counter row of the booth (one UPDATE, or an INSERT once a day)."""
    today = timezone.localdate()
    updated = BoothVisit.objects.filter(exhibitor_id=exhibitor_id, day=today).update(
        count=F("count") + 1
    )
    if not updated:
        row, created = BoothVisit.objects.get_or_create(
            exhibitor_id=exhibitor_id, day=today, defaults={"count": 1}
        )
        if not created:
            BoothVisit.objects.filter(pk=row.pk).update(count=F("count") + 1)


def visit_counts(exhibitor: Exhibitor) -> dict:
    """For the exhibitor report: visits per day and in total."""
    rows = list(exhibitor.visits.order_by("day").values_list("day", "count"))
    total = exhibitor.visits.aggregate(total=Sum("count"))["total"] or 0
    return {"by_day": rows, "total": total}


def _contact_addresses(exhibitor: Exhibitor) -> list[str]:
    addresses = []
    for person in exhibitor.contacts.all():
        email = person.primary_email
        if email:
            addresses.append(email.email)
    return addresses


def _mail_exhibitor(request_id: int) -> None:
    item = BoothContactRequest.objects.select_related("exhibitor__event").get(pk=request_id)
    addresses = _contact_addresses(item.exhibitor)
    if not addresses:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Online hall: %(kind)s request from %(name)s") % {
            "kind": item.get_kind_display(),
            "name": item.name,
        }
        body = "\n".join(
            [
                f"{item.exhibitor.event.name}: {item.exhibitor}",
                f"{item.name} <{item.email}> {item.organization_name}".strip(),
                "",
                item.message,
            ]
        )
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=addresses,
        reply_to=[item.email],
    ).send()


@transaction.atomic
def request_contact(
    exhibitor: Exhibitor, data: ContactInput, *, consent_text: str
) -> BoothContactRequest:
    item = BoothContactRequest.objects.create(
        exhibitor=exhibitor,
        kind=data.kind,
        name=data.name,
        email=data.email,
        organization_name=data.organization_name,
        message=data.message,
        language=data.language,
        consent_text=consent_text,
        consented_at=timezone.now(),
    )
    meeting = data.kind == ContactKind.MEETING
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            _("Meeting request from the online hall: %(name)s")
            if meeting
            else _("Contact request from the online hall: %(name)s")
        ) % {"name": data.name}
    item.interaction = record_interaction(
        kind=InteractionKind.MEETING if meeting else InteractionKind.OTHER,
        occurred_on=timezone.localdate(),
        subject=subject[:200],
        summary=(f"{data.name} <{data.email}> {data.organization_name}\n\n{data.message}".strip()),
        people=list(exhibitor.contacts.all()),
        organizations=[exhibitor.organization],
        source="expo_hall",
        source_ref=f"contact-{item.pk}",
    )
    item.save(update_fields=["interaction"])
    log(item, "wagtail.create")
    transaction.on_commit(lambda: _mail_exhibitor(item.pk))
    return item
