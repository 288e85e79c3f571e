"""Segments: saved audiences resolved to people in ONE database query (no per-row Python)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from crm.models import Affiliation, ConsentChannel, Person, Segment

from .consent import valid_consent_exists


def segment_filter_q(segment: Segment) -> Q:
    """The segment's filters as one Q over Person (AND across filters, OR within one)."""
    q = Q()
    if segment.countries:
        q &= Q(country__in=[str(c) for c in segment.countries])
    if segment.city_list:
        city_q = Q()
        for city in segment.city_list:
            city_q |= Q(city__iexact=city)
        q &= city_q
    if segment.organization_kinds:
        q &= Q(
            Exists(
                Affiliation.objects.filter(
                    person=OuterRef("pk"),
                    end_date__isnull=True,
                    organization__kind__in=segment.organization_kinds,
                )
            )
        )
    if segment.pk:
        sector_ids = [s.pk for s in segment.sectors.all()]
        tag_ids = [t.pk for t in segment.tags.all()]
        owner_ids = [u.pk for u in segment.owners.all()]
    else:
        sector_ids = tag_ids = owner_ids = []
    if sector_ids:
        q &= Q(
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
    if tag_ids:
        q &= Q(
            Exists(
                Person.tags.through.objects.filter(
                    content_object=OuterRef("pk"), tag_id__in=tag_ids
                )
            )
        )
    if segment.languages:
        q &= Q(preferred_language__in=segment.languages)
    if segment.diaspora == "yes":
        q &= Q(is_diaspora=True)
    elif segment.diaspora == "no":
        q &= Q(is_diaspora=False)
    if segment.min_vip_level is not None:
        q &= Q(vip_level__gte=segment.min_vip_level)
    if owner_ids:
        q &= Q(owner_id__in=owner_ids)
    if segment.last_interaction_after:
        q &= Q(last_interaction_on__gt=segment.last_interaction_after)
    if segment.last_interaction_before:
        q &= Q(last_interaction_on__lt=segment.last_interaction_before)
    return q


def resolve_segment_queryset(
    segment: Segment, *, channel: str = ConsentChannel.EMAIL, include_do_not_contact: bool = False
) -> QuerySet[Person]:
    """The people in the segment: (filters OR static additions) AND NOT exclusions, never erased
    people, never do-not-contact people (unless asked, for CRM counts), and - when the segment
    names a consent purpose - only people with valid consent for it on `channel` (additions too).

    Returns a lazy queryset: one SQL query, whatever the number of people.
    """
    q = segment_filter_q(segment)
    if segment.pk:
        additions = Segment.additions.through.objects.filter(
            segment_id=segment.pk, person_id=OuterRef("pk")
        )
        exclusions = Segment.exclusions.through.objects.filter(
            segment_id=segment.pk, person_id=OuterRef("pk")
        )
        q = (q | Q(Exists(additions))) & ~Q(Exists(exclusions))
    queryset = Person.objects.filter(q).filter(erased_at__isnull=True)
    if not include_do_not_contact:
        queryset = queryset.filter(do_not_contact=False)
    if segment.consent_purpose:
        queryset = queryset.filter(valid_consent_exists(segment.consent_purpose, channel))
    return queryset


def segment_count(segment: Segment, **kwargs) -> int:
    return resolve_segment_queryset(segment, **kwargs).count()
