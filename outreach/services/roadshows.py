"""Roadshow planning: who to invite to each stop, and how each stop's invitations are answered.

`suggested_audience(stop)` proposes people for a stop: living in its city (or, without a city
match, its country), in organizations of its sectors, members of diaspora associations there, and
contacts of the sister city there (people affiliated with the partner city's organizations) —
minus people already invited to another stop of the same roadshow unless staff include them.
Coordinates are not used: people have a city and a country, not a position.
`stop_figures(roadshow)` counts per stop: invited, accepted, declined, delegated, waitlisted and
no answer."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from crm.models import Affiliation, Person, SisterCityPartnership
from outreach.models import Event, Registration
from outreach.services.registration import invited_people_ids


def stops_of(roadshow: Event) -> QuerySet[Event]:
    return Event.objects.filter(parent=roadshow).order_by("starts_at", "pk")


def suggested_audience(stop: Event, *, include_invited_elsewhere: bool = False) -> QuerySet[Person]:
    place = Q()
    if stop.city:
        place |= Q(city__iexact=stop.city)
    if stop.country:
        place |= Q(country=stop.country)
    local_org = Q()
    if stop.city:
        local_org |= Q(city__iexact=stop.city)
    if stop.country:
        local_org |= Q(country=stop.country)
    reasons = Q(pk__in=[])
    if place:
        reasons |= place
        associations = Person.diaspora_associations.through.objects.filter(
            person=OuterRef("pk"),
            organization__in=_organizations(local_org),
        )
        reasons |= Q(Exists(associations))
        partner_orgs = SisterCityPartnership.objects.filter(
            partner__in=_organizations(local_org)
        ).values("partner")
        reasons |= Q(
            Exists(
                Affiliation.objects.filter(
                    person=OuterRef("pk"), end_date__isnull=True, organization__in=partner_orgs
                )
            )
        )
    sector_ids = list(stop.sectors.values_list("pk", flat=True))
    if sector_ids:
        in_sector = Q(
            Exists(
                Person.sectors.through.objects.filter(
                    person=OuterRef("pk"), sector_id__in=sector_ids
                )
            )
        ) | Q(
            Exists(
                Affiliation.objects.filter(
                    person=OuterRef("pk"),
                    end_date__isnull=True,
                    organization__sectors__in=sector_ids,
                )
            )
        )
        # sectors narrow the local people; without a place they choose on their own
        reasons = (reasons & in_sector) if place else in_sector
    people = Person.objects.filter(reasons).filter(erased_at__isnull=True, do_not_contact=False)
    if stop.parent_id and not include_invited_elsewhere:
        others = Event.objects.filter(parent_id=stop.parent_id).exclude(pk=stop.pk)
        invited_elsewhere = Q(pk__in=[])
        for other in others:
            invited_elsewhere |= Q(pk__in=invited_people_ids(other))
        people = people.exclude(invited_elsewhere)
    return people.distinct()


def _organizations(q: Q):
    from crm.models import Organization

    return Organization.objects.filter(q).values("pk")


def stop_figures(roadshow: Event) -> list[dict]:
    rows = []
    for stop in stops_of(roadshow):
        invited = set(invited_people_ids(stop).values_list("person_id", flat=True))
        answers = dict(
            Registration.objects.filter(event=stop)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        answered = set(Registration.objects.filter(event=stop).values_list("person_id", flat=True))
        rows.append(
            {
                "stop": stop,
                "invited": len(invited),
                "accepted": answers.get("accepted", 0),
                "declined": answers.get("declined", 0),
                "delegated": answers.get("delegated", 0),
                "waitlisted": answers.get("waitlisted", 0),
                "no_answer": len(invited - answered),
            }
        )
    return rows
