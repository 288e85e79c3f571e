"""Dashboard panels of the CRM: the user's follow-ups (overdue ones marked) and recent activity
on the contacts they own. Other apps add activity through the ``crm_contact_activity`` hook
(``fn(user, people, since) -> [ActivityRow]``), e.g. RSVP answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from laces.components import Component
from wagtail import hooks
from wagtail.models import ModelLogEntry

from crm import access
from crm.models import Person
from crm.services import interactions as interaction_service

ACTIVITY_DAYS = 14
ACTIVITY_ROWS = 10


@dataclass
class ActivityRow:
    when: dt.datetime
    person: Person
    text: str
    actor: str = ""
    url: str = ""


def own_contacts(user):
    return access.visible_people(user, Person.objects.filter(owner=user, erased_at__isnull=True))


def contact_activity(user, *, days: int = ACTIVITY_DAYS, limit: int = ACTIVITY_ROWS):
    """What others (and the system) did to the user's contacts lately, newest first: their
    history entries, and what other apps report through ``crm_contact_activity``."""
    since = timezone.now() - dt.timedelta(days=days)
    people = own_contacts(user)
    entries = (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Person),
            object_id__in=people.annotate(text_id=Cast("pk", CharField())).values("text_id"),
            timestamp__gte=since,
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("-timestamp")[:limit]
    )
    by_id = Person.objects.in_bulk([int(e.object_id) for e in entries])
    rows = []
    for entry in entries:
        person = by_id.get(int(entry.object_id))
        if person is None:
            continue
        rows.append(
            ActivityRow(
                when=entry.timestamp,
                person=person,
                text=str(entry.message),
                actor=entry.user.get_username() if entry.user else "",
                url=reverse("wagtailsnippets_crm_person:inspect", args=[person.pk]),
            )
        )
    for hook in hooks.get_hooks("crm_contact_activity"):
        rows.extend(hook(user, people, since) or [])
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows[:limit]


class FollowUpPanel(Component):
    name = "crm_follow_ups"
    template_name = "crm/admin/follow_up_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        follow_ups = list(
            access.visible_interactions(
                request.user, interaction_service.follow_ups_for(request.user)
            )[:5]
        )
        return {
            "follow_ups": follow_ups,
            "today": timezone.localdate(),
            "request": request,
        }


class ContactActivityPanel(Component):
    name = "crm_contact_activity"
    template_name = "crm/admin/dashboard/contact_activity.html"
    order = 70

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {"rows": contact_activity(request.user), "days": ACTIVITY_DAYS}
