"""Segments: saved audiences resolved to people in ONE database query (no per-row Python).

`resolve_segment_queryset(segment)` is what campaigns use; `preview_spec(...)` lets the admin
count an unsaved segment while staff edit it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from wagtail.log_actions import log

from crm.models import Affiliation, ConsentChannel, Person, Segment

from .consent import valid_consent_exists


@dataclass
class SegmentSpec:
    """The filters of a segment, saved or not."""

    countries: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    organization_kinds: list[str] = field(default_factory=list)
    sector_ids: list[int] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    diaspora: str = ""
    min_vip_level: int | None = None
    owner_ids: list[int] = field(default_factory=list)
    consent_purpose: str = ""
    last_interaction_after: object = None
    last_interaction_before: object = None
    extension_filters: list[str] = field(default_factory=list)  # crm.segment_extensions
    # Static members: a saved segment's id (read through subqueries), or explicit id lists.
    segment_id: int | None = None
    # None: too many to inline, read through subqueries of the saved segment.
    addition_ids: list[int] | None = field(default_factory=list)
    exclusion_ids: list[int] | None = field(default_factory=list)


def spec_from_segment(segment: Segment) -> SegmentSpec:
    spec = SegmentSpec(
        countries=[str(c) for c in segment.countries],
        cities=segment.city_list,
        organization_kinds=list(segment.organization_kinds or []),
        languages=list(segment.languages or []),
        diaspora=segment.diaspora,
        min_vip_level=segment.min_vip_level,
        consent_purpose=segment.consent_purpose,
        last_interaction_after=segment.last_interaction_after,
        last_interaction_before=segment.last_interaction_before,
        extension_filters=list(segment.extension_filters or []),
    )
    if segment.pk:
        spec.segment_id = segment.pk
        spec.sector_ids = list(segment.sectors.values_list("pk", flat=True))
        spec.tag_ids = list(segment.tags.values_list("pk", flat=True))
        spec.owner_ids = list(segment.owners.values_list("pk", flat=True))
        spec.addition_ids = _static_ids(segment.additions.through, segment.pk)
        spec.exclusion_ids = _static_ids(segment.exclusions.through, segment.pk)
    return spec


INLINE_STATIC_MEMBERS = 2000


def _static_ids(through, segment_id: int) -> list[int] | None:
    ids = list(
        through.objects.filter(segment_id=segment_id).values_list("person_id", flat=True)[
            : INLINE_STATIC_MEMBERS + 1
        ]
    )
    return None if len(ids) > INLINE_STATIC_MEMBERS else ids


def spec_from_data(data: dict) -> SegmentSpec:
    """From a segment form's cleaned_data (models for the many-to-many fields)."""

    def ids(values: Iterable) -> list[int]:
        return [getattr(v, "pk", v) for v in (values or [])]

    cities = data.get("cities") or ""
    return SegmentSpec(
        countries=[str(c) for c in (data.get("countries") or [])],
        cities=[c.strip() for c in cities.split(",") if c.strip()],
        organization_kinds=list(data.get("organization_kinds") or []),
        sector_ids=ids(data.get("sectors")),
        tag_ids=ids(data.get("tags")),
        languages=list(data.get("languages") or []),
        diaspora=data.get("diaspora") or "",
        min_vip_level=data.get("min_vip_level"),
        owner_ids=ids(data.get("owners")),
        consent_purpose=data.get("consent_purpose") or "",
        last_interaction_after=data.get("last_interaction_after"),
        last_interaction_before=data.get("last_interaction_before"),
        extension_filters=list(data.get("extension_filters") or []),
        addition_ids=ids(data.get("additions")),
        exclusion_ids=ids(data.get("exclusions")),
    )


def filter_q(spec: SegmentSpec) -> Q:
    """The filters as one Q over Person (AND across filters, OR within one)."""
    q = Q()
    if spec.countries:
        q &= Q(country__in=spec.countries)
    if spec.cities:
        city_q = Q()
        for city in spec.cities:
            city_q |= Q(city__iexact=city)
        q &= city_q
    if spec.organization_kinds:
        q &= Q(
            Exists(
                Affiliation.objects.filter(
                    person=OuterRef("pk"),
                    end_date__isnull=True,
                    organization__kind__in=spec.organization_kinds,
                )
            )
        )
    if spec.sector_ids:
        own = Person.sectors.through.objects.filter(
            person=OuterRef("pk"), sector_id__in=spec.sector_ids
        )
        via_organization = Affiliation.objects.filter(
            person=OuterRef("pk"),
            end_date__isnull=True,
            organization__sectors__in=spec.sector_ids,
        )
        q &= Q(Exists(own)) | Q(Exists(via_organization))
    if spec.tag_ids:
        tagged = Person.tags.through.objects.filter(
            content_object=OuterRef("pk"), tag_id__in=spec.tag_ids
        )
        q &= Q(Exists(tagged))
    if spec.languages:
        q &= Q(preferred_language__in=spec.languages)
    if spec.diaspora == "yes":
        q &= Q(is_diaspora=True)
    elif spec.diaspora == "no":
        q &= Q(is_diaspora=False)
    if spec.min_vip_level is not None:
        q &= Q(vip_level__gte=spec.min_vip_level)
    if spec.owner_ids:
        q &= Q(owner_id__in=spec.owner_ids)
    if spec.last_interaction_after:
        q &= Q(last_interaction_on__gt=spec.last_interaction_after)
    if spec.last_interaction_before:
        q &= Q(last_interaction_on__lt=spec.last_interaction_before)
    if spec.extension_filters:
        from crm.segment_extensions import extension_q

        q &= extension_q(spec.extension_filters)
    return q


def queryset_for_spec(
    spec: SegmentSpec,
    *,
    channel: str = ConsentChannel.EMAIL,
    include_do_not_contact: bool = False,
) -> QuerySet[Person]:
    q = filter_q(spec)
    if not q:
        # No filters: with a consent purpose, everyone who consented; without one, the segment
        # is its static additions only. (An empty Q would vanish when OR'ed with the additions.)
        q = Q(pk__isnull=False) if spec.consent_purpose else Q(pk__in=[])
    if spec.segment_id and (spec.addition_ids is None or spec.exclusion_ids is None):
        # Too many static members to inline: read them through subqueries (still one query,
        # but PostgreSQL can no longer answer the filters' OR from indexes alone).
        through_add = Segment.additions.through.objects.filter(
            segment_id=spec.segment_id, person_id=OuterRef("pk")
        )
        through_exclude = Segment.exclusions.through.objects.filter(
            segment_id=spec.segment_id, person_id=OuterRef("pk")
        )
        q = (q | Q(Exists(through_add))) & ~Q(Exists(through_exclude))
    else:
        # Static members inlined as id lists: "(filters) OR id IN (...)" is a BitmapOr of index
        # scans, where an OR with a correlated subquery would force a scan of every person.
        if spec.addition_ids:
            q |= Q(pk__in=spec.addition_ids)
        if spec.exclusion_ids:
            q &= ~Q(pk__in=spec.exclusion_ids)
    queryset = Person.objects.filter(q).filter(erased_at__isnull=True)
    if not include_do_not_contact:
        queryset = queryset.filter(do_not_contact=False)
    if spec.consent_purpose:
        queryset = queryset.filter(valid_consent_exists(spec.consent_purpose, channel))
    return queryset


def resolve_segment_queryset(
    segment: Segment,
    *,
    channel: str = ConsentChannel.EMAIL,
    include_do_not_contact: bool = False,
) -> QuerySet[Person]:
    """The people in the segment: (filters OR static additions) AND NOT exclusions; never erased
    people; never do-not-contact people (unless asked, e.g. for CRM counts); and when the
    segment names a consent purpose, only people with valid consent for it on `channel`
    (static additions too).

    Reading the segment's own settings takes a few small queries (its sectors, tags, owners and
    static members); the audience is then a lazy queryset: one SQL query, whatever the number
    of people, with no per-row Python."""
    return queryset_for_spec(
        spec_from_segment(segment), channel=channel, include_do_not_contact=include_do_not_contact
    )


def segment_count(segment: Segment, **kwargs) -> int:
    return resolve_segment_queryset(segment, **kwargs).count()


def preview(spec: SegmentSpec, *, user=None, sample_size: int = 10) -> dict:
    """Count and a sample, for the live preview while editing: both only of the people the
    user may see (a count over hidden people would answer questions about them)."""
    from crm.access import visible_people

    queryset = queryset_for_spec(spec)
    if user is not None:
        queryset = visible_people(user, queryset)
    return {
        "count": queryset.count(),
        "sample": [
            {"id": p.pk, "name": p.display_name, "country": str(p.country or "")}
            for p in queryset.order_by("family_name", "given_name", "id")[:sample_size]
        ],
    }


@transaction.atomic
def save_segment_from_form(form, *, acting_user, created: bool) -> Segment:
    segment = form.save(commit=False)
    if created and segment.owner_id is None and getattr(acting_user, "pk", None):
        segment.owner = acting_user
    segment.save()
    form.save_m2m()
    log(segment, "wagtail.create" if created else "wagtail.edit", user=acting_user)
    return segment


def why_left_out(segment: Segment, people: Iterable[Person], channel: str = ConsentChannel.EMAIL):
    """Of `people` (e.g. just added to the segment), who is still not in its audience, and why:
    {"erased": n, "do_not_contact": n, "no_consent": n}. One query per reason."""
    ids = [person.pk for person in people]
    base = Person.objects.filter(pk__in=ids)
    erased = set(base.filter(erased_at__isnull=False).values_list("pk", flat=True))
    do_not_contact = set(base.filter(do_not_contact=True).values_list("pk", flat=True)) - erased
    no_consent: set[int] = set()
    if segment.consent_purpose:
        with_consent = base.filter(valid_consent_exists(segment.consent_purpose, channel))
        no_consent = set(ids) - set(with_consent.values_list("pk", flat=True))
        no_consent -= erased | do_not_contact
    return {
        "erased": len(erased),
        "do_not_contact": len(do_not_contact),
        "no_consent": len(no_consent),
    }
