"""Interactions and follow-ups."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from wagtail.log_actions import log

from crm.models import Interaction, Person


def refresh_last_interaction(person_ids: Iterable[int]) -> None:
    """Keep Person.last_interaction_on (used by segment filters) equal to the latest date."""
    for person_id in set(person_ids):
        latest = Interaction.objects.filter(people=person_id).aggregate(d=Max("occurred_on"))["d"]
        Person.objects.filter(pk=person_id).update(last_interaction_on=latest)


@transaction.atomic
def record_interaction(
    *,
    kind: str,
    occurred_on: datetime.date,
    subject: str,
    summary: str = "",
    people: Iterable[Person] = (),
    organizations: Iterable = (),
    staff: Iterable = (),
    follow_up_on: datetime.date | None = None,
    follow_up_owner=None,
    source: str = "",
    source_ref: str = "",
    acting_user=None,
) -> Interaction:
    """Record an interaction. With `source_ref`, recording the same (source, source_ref) again
    returns the existing row: other apps (e.g. event check-in) can call it safely twice."""
    if source_ref:
        existing = Interaction.objects.filter(source=source, source_ref=source_ref).first()
        if existing:
            return existing
    interaction = Interaction(
        kind=kind,
        occurred_on=occurred_on,
        subject=subject,
        summary=summary,
        follow_up_on=follow_up_on,
        follow_up_owner=follow_up_owner,
        source=source,
        source_ref=source_ref,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    interaction.full_clean(exclude=["people", "organizations", "staff"])
    interaction.save()
    people = list(people)
    interaction.people.set(people)
    interaction.organizations.set(list(organizations))
    interaction.staff.set(list(staff))
    refresh_last_interaction(p.pk for p in people)
    log(interaction, "wagtail.create", user=acting_user)
    for person in people:
        log(person, "crm.interaction_recorded", user=acting_user, data={"id": interaction.pk})
    return interaction


@transaction.atomic
def save_interaction_from_form(form, *, acting_user, created: bool) -> Interaction:
    before = set(form.instance.people.values_list("pk", flat=True)) if form.instance.pk else set()
    interaction = form.save()
    if created and interaction.created_by_id is None and getattr(acting_user, "pk", None):
        interaction.created_by = acting_user
        interaction.save(update_fields=["created_by"])
    after = set(interaction.people.values_list("pk", flat=True))
    refresh_last_interaction(before | after)
    log(interaction, "wagtail.create" if created else "wagtail.edit", user=acting_user)
    return interaction


@transaction.atomic
def complete_follow_up(interaction: Interaction, *, acting_user=None) -> Interaction:
    interaction.follow_up_done = True
    interaction.save(update_fields=["follow_up_done", "updated_at"])
    log(interaction, "crm.follow_up_done", user=acting_user)
    return interaction


def follow_ups_for(user, *, until: datetime.date | None = None) -> QuerySet[Interaction]:
    """Open follow-ups a staff member owns (or took part in, when nobody owns them), soonest
    first."""
    queryset = Interaction.objects.filter(follow_up_done=False, follow_up_on__isnull=False).filter(
        Q(follow_up_owner=user) | Q(follow_up_owner__isnull=True, staff=user)
    )
    if until:
        queryset = queryset.filter(follow_up_on__lte=until)
    return queryset.distinct().order_by("follow_up_on", "id")
