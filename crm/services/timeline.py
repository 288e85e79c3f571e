"""One chronological view per person: interactions, changes (the audit log), and whatever other
apps add.

Extension point: register a Wagtail hook named "crm_person_timeline" returning entries for a
person. Example (in outreach/wagtail_hooks.py):

    from wagtail import hooks
    from crm.services.timeline import TimelineEntry

    @hooks.register("crm_person_timeline")
    def messages_in_timeline(person, user):
        return [TimelineEntry(when=m.sent_at, kind="message", title=..., url=...) for m in ...]

Entries are sorted newest first; `when` may be a date or an aware datetime.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.log_actions import registry as log_registry

from crm.models import Interaction, Person

TIMELINE_HOOK = "crm_person_timeline"


@dataclass
class TimelineEntry:
    when: datetime.datetime | datetime.date
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    actor: str = ""

    @property
    def sort_key(self) -> datetime.datetime:
        when = self.when
        if not isinstance(when, datetime.datetime):
            when = datetime.datetime.combine(when, datetime.time.max)
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        return when


def interaction_entries(person: Person, user) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            when=i.occurred_on,
            kind=f"interaction:{i.kind}",
            title=f"{i.get_kind_display()}: {i.subject}",
            detail=i.summary,
        )
        for i in _visible(user, Interaction.objects.filter(people=person)).order_by("-occurred_on")[
            :200
        ]
    ]


def _visible(user, interactions):
    """Interactions naming someone hidden from `user` stay out of the timeline (crm.access)."""
    from crm.access import visible_interactions

    return interactions if user is None else visible_interactions(user, interactions)


def change_entries(person: Person, user) -> list[TimelineEntry]:
    entries = []
    for entry in log_registry.get_logs_for_instance(person).select_related("user")[:200]:
        entries.append(
            TimelineEntry(
                when=entry.timestamp,
                kind="change",
                title=str(entry.message),
                actor=entry.user_display_name if entry.user_id else _("system"),
            )
        )
    return entries


def timeline_for(person: Person, user=None, *, limit: int = 200) -> list[TimelineEntry]:
    entries = interaction_entries(person, user) + change_entries(person, user)
    for source in hooks.get_hooks(TIMELINE_HOOK):
        entries.extend(source(person, user) or [])
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return entries[:limit]
