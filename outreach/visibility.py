"""The access policy (crm.access) applied to campaigns: whom a staff member may preview a
campaign as, and the audience figures they see. Pure queries, no writes."""

from __future__ import annotations

from django.db.models import QuerySet

from crm import access
from crm.models import Person
from outreach.models import Campaign, Message
from outreach.services import campaigns as service


def previewable_people(campaign: Campaign, user) -> QuerySet[Person]:
    """The campaign's audience while drafting, then the recipients of its frozen messages -
    only those `user` may see."""
    if campaign.frozen_at:
        people = Person.objects.filter(
            pk__in=Message.objects.filter(campaign=campaign).values("person_id")
        )
    else:
        people = service.audience_people(campaign)
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
    return access.visible_people(user, service.audience_people(campaign)).count()
