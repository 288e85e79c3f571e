"""The access policy (crm.access) applied to campaigns: whom a staff member may preview a
campaign as, and the audience figures they see. Pure queries, no writes."""

from __future__ import annotations

from django.db.models import QuerySet

from crm import access
from crm.models import Person
from outreach.models import Campaign, Message
from outreach.services import audience as audience_service


def previewable_people(campaign: Campaign, user) -> QuerySet[Person]:
    """The campaign's audience while drafting, then the recipients of its frozen messages -
    only those `user` may see."""
    if campaign.frozen_at:
        people = Person.objects.filter(
            pk__in=Message.objects.filter(campaign=campaign).values("person_id")
        )
    else:
        people = audience_service.audience_people(campaign)
    return access.visible_people(user, people)


def previewable_person(campaign: Campaign, user, person_id) -> Person | None:
    """The person to preview as, or None when they are not in the audience or hidden."""
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        return None
    return previewable_people(campaign, user).filter(pk=person_id).first()


def shown_preview(preview: dict, user) -> dict:
    """A rendered preview with the recipient's address masked for staff who may not see it."""
    return {**preview, "to": access.shown_email(user, preview.get("to", ""))}


def visible_audience_count(campaign: Campaign, user) -> int:
    return access.visible_people(user, audience_service.audience_people(campaign)).count()


def hidden_registrations(user, event) -> dict[int, str]:
    """{pk: public id} of the event's registrations whose guest is hidden from `user`."""
    from outreach.models import Registration

    rows = Registration.objects.filter(event=event)
    visible = access.visible_queryset(user, Registration, rows).values("pk")
    return dict(rows.exclude(pk__in=visible).values_list("pk", "public_id"))


REDACTED_GUEST = {
    "latin_name": "",
    "organization": "",
    "tier": "",
    "sessions": [],
    "protocol_notes": "",
    "search": "",
    "companions": [],
    "position": "",
}


def redacted_manifest(manifest: dict, user, event) -> dict:
    """The door manifest with hidden guests kept (their QR code must still admit them) but
    named "(restricted contact)" and stripped of what identifies them."""
    hidden = {str(p) for p in hidden_registrations(user, event).values()}
    if not hidden:
        return manifest
    label = str(access.RESTRICTED_LABEL)
    for guest in manifest.get("guests", []):
        if guest.get("registration") in hidden:
            for key, value in REDACTED_GUEST.items():
                if key in guest:
                    guest[key] = value
            if guest.get("attendee", 0) == 0:
                guest["name"] = label
            if "companion_of" in guest:
                guest["companion_of"] = label
    return manifest


def redacted_precedence(rows: list[dict], user, event) -> list[dict]:
    hidden = hidden_registrations(user, event)
    for row in rows:
        if row["registration"].pk in hidden:
            row.update(name=str(access.RESTRICTED_LABEL), latin_name="", position="")
            row["organization"] = ""
    return rows
