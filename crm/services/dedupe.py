"""Duplicate detection: the matching keys of every person, the candidates for one new contact,
the review queue and its background scan.

Every person has rows in PersonMatchKey (crm/models/dedupe.py), rewritten by
`refresh_match_keys` whenever the person services save a person (it is called from
crm.services.people.refresh_search_text). A new contact - an import row, the admin form while
it is typed, an API call - is described by a `Probe`; its keys are looked up in that one
indexed table, and each person found is scored from the keys both share:

  same email / same mobile / same external id   exact identity: an import merges automatically
  same name (any script, either order)          50
  similar name (rapidfuzz ratio >= 85)          35
  + same organization 30, + same city 20, + a shared (office) phone 15

A shared office or switchboard number, or a name alone, is never enough to merge: a name and
an organization or city put the pair in the review queue (REVIEW_MIN_SCORE), where staff merge
or mark "not a duplicate" (remembered: the pair is never proposed again).

For the import pipeline:
    exact_matches(emails, phones, external_id) -> list[Person]
    likely_duplicates(probe_or_person) -> list[Match(person, score, reasons)]
    enqueue_review(person, matches) -> list[DuplicateCandidate]
    set_external_ids(person, ids)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz
from wagtail.log_actions import log

from crm import names
from crm.identity import normalize_email
from crm.models import (
    Affiliation,
    DuplicateCandidate,
    DuplicateStatus,
    Person,
    PersonEmail,
    PersonExternalId,
    PersonMatchKey,
    PersonPhone,
    PhoneKind,
)
from crm.models.people import is_japanese_person

EXACT_SCORE = 100
SAME_NAME_SCORE = 50
SIMILAR_NAME_SCORE = 35
SAME_ORGANIZATION_SCORE = 30
SAME_CITY_SCORE = 20
SHARED_PHONE_SCORE = 15
SIMILAR_NAME_RATIO = 85
# The queue: a name plus an organization, a city or a shared phone; a similar name plus an
# organization. (A similar name in the same city is only a warning.)
REVIEW_MIN_SCORE = 60
WARN_MIN_SCORE = SIMILAR_NAME_SCORE  # shown while a person is typed

# How many people one key may bring back in a live lookup (a very common name is thousands
# of homonyms: the organization and city blocks find the ones that matter).
LOOKUP_KEY_CAP = 200
BLOCK_KEY_CAP = 100
# The background scan compares everyone within a block; blocks larger than this (a family
# name in a big city) are compared by exact name only (the "nc"/"no" blocks).
SCAN_BLOCK_CAP = 60
# More people than this with one name in one city: the name is common there, and name + city
# says nothing (Fellegi-Sunter's frequency-based weight, reduced to a cut-off).
NAME_CITY_COMMON = 4
SCAN_PAIRS_PER_CHUNK = 50_000

EXACT_KINDS = ("e", "m", "x")
SCAN_KINDS = ("m", "x", "nc", "no", "fo")

REASONS = {
    "same_email": _("same email address"),
    "same_mobile": _("same mobile number"),
    "same_external_id": _("same external id"),
    "same_name": _("same name"),
    "similar_name": _("similar name"),
    "same_organization": _("same organization"),
    "same_city": _("same city"),
    "shared_phone": _("shares a phone number"),
}


def reason_labels(codes: Iterable[str]) -> list[str]:
    return [str(REASONS.get(code, code)) for code in codes]


@dataclass
class Probe:
    """A contact to find duplicates of: a person being typed, an import row, an API payload.
    `phones` are E.164 strings or (E.164, kind) pairs; a bare number counts as a mobile when
    the numbering plan says it can be one."""

    family_name: str = ""
    given_name: str = ""
    full_names: Sequence[str] = ()
    emails: Sequence[str] = ()
    phones: Sequence[str | tuple[str, str]] = ()
    city: str = ""
    organization_ids: Sequence[int] = ()
    external_ids: Sequence[str] = ()
    exclude_id: int | None = None
    # A Han-only name is read in Japanese for a person known as Japanese (crm.names).
    japanese: bool = False
    keys: set[str] = field(default_factory=set, repr=False)


class Match(NamedTuple):
    person: Person
    score: int
    reasons: list[str]

    @property
    def exact(self) -> bool:
        return self.score >= EXACT_SCORE


def _is_mobile_number(e164: str) -> bool:
    try:
        kind = phonenumbers.number_type(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return False
    return kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def probe_keys(probe: Probe) -> set[str]:
    """Every key of a probe, as refresh_match_keys stores them for a person."""
    keys: set[str] = set()
    for email in probe.emails:
        if email and "@" in email:
            keys.add("e:" + normalize_email(email))
    for phone in probe.phones:
        number, kind = phone if isinstance(phone, tuple) else (phone, "")
        number = str(number or "").strip()
        if not number:
            continue
        mobile = kind == PhoneKind.MOBILE if kind else _is_mobile_number(number)
        keys.add(("m:" if mobile else "t:") + number)
    for external_id in probe.external_ids:
        if external_id:
            keys.add("x:" + str(external_id).strip())
    name_keys, han, canonical, family = _name_keys(
        probe.family_name,
        probe.given_name,
        tuple(f or "" for f in probe.full_names),
        probe.japanese,
    )
    keys.update("n:" + k for k in name_keys)
    keys.update("h:" + k for k in han)
    city = _place_key(probe.city)
    if city:
        if canonical:
            keys.add(f"nc:{canonical}|{city}")
        if family:
            keys.add(f"fc:{family}|{city}")
    for org_id in probe.organization_ids:
        if canonical:
            keys.add(f"no:{canonical}|{org_id}")
        if family:
            keys.add(f"fo:{family}|{org_id}")
    return {k[:300] for k in keys}


@lru_cache(maxsize=50_000)
def _name_keys(
    family: str, given: str, full_names: tuple[str, ...], japanese: bool
) -> tuple[frozenset[str], frozenset[str], str, str]:
    """(name keys, Han keys, canonical name key, family key) of a name: cached, because the
    readings (pinyin, romaji) are the slow part and names repeat (imports, the review scan)."""
    name_keys = names.structured_name_keys(family, given, japanese=japanese)
    for full in full_names:
        name_keys |= names.full_name_keys(full, japanese=japanese)
    name_keys = {k for k in name_keys if k}
    han = names.han_keys(family, given)
    for full in full_names:
        han |= names.han_keys(full=full)
    canonical = min(name_keys) if name_keys else ""
    family_key = names.family_key(
        family, given, next((f for f in full_names if f), ""), japanese=japanese
    )
    return frozenset(name_keys), frozenset(han), canonical, family_key


@lru_cache(maxsize=20_000)
def _place_key(city: str) -> str:
    return names.place_key(city)


def probe_for_person(person: Person) -> Probe:
    """The probe of a saved person (their stored emails, phones and current organizations), or
    of an unsaved one (names and city only)."""
    emails: list[str] = []
    phones: list[tuple[str, str]] = []
    orgs: list[int] = []
    if person.pk:
        emails = list(person.emails.values_list("email_normalized", flat=True))
        phones = [(str(n), k) for n, k in person.phones.values_list("number", "kind")]
        orgs = list(
            Affiliation.objects.filter(person=person, end_date__isnull=True)
            .values_list("organization_id", flat=True)
            .distinct()
        )
    return Probe(
        family_name=person.family_name,
        given_name=person.given_name,
        full_names=[person.full_name_native, person.name_chinese, person.name_latin],
        emails=emails,
        phones=phones,
        city=person.city,
        organization_ids=orgs,
        exclude_id=person.pk,
        japanese=is_japanese_person(person.country, person.preferred_language),
    )


def refresh_match_keys(person: Person) -> None:
    """Rewrite the person's matching keys."""
    if person.erased_at:
        PersonMatchKey.objects.filter(person=person).delete()
        return
    probe = probe_for_person(person)
    probe.external_ids = list(person.external_ids.values_list("value", flat=True))
    wanted = probe_keys(probe)
    stored = set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))
    stale = stored - wanted
    if stale:
        PersonMatchKey.objects.filter(person=person, key__in=stale).delete()
    new = wanted - stored
    if new:
        PersonMatchKey.objects.bulk_create(
            [PersonMatchKey(person=person, key=k) for k in sorted(new)], ignore_conflicts=True
        )


def set_external_ids(person: Person, external_ids: Iterable[str]) -> None:
    """Record ids a source system gave the person (an import's external id column)."""
    PersonExternalId.objects.bulk_create(
        [PersonExternalId(person=person, value=str(x).strip()[:255]) for x in external_ids if x],
        ignore_conflicts=True,
    )
    refresh_match_keys(person)


def refresh_match_keys_for(person_ids: Iterable[int]) -> None:
    """refresh_match_keys for many people at once (imports write people in bulk): a handful of
    queries for the whole batch."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    emails: dict[int, list[str]] = defaultdict(list)
    for pid, email in PersonEmail.objects.filter(person_id__in=ids).values_list(
        "person_id", "email_normalized"
    ):
        emails[pid].append(email)
    phones: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pid, number, kind in PersonPhone.objects.filter(person_id__in=ids).values_list(
        "person_id", "number", "kind"
    ):
        phones[pid].append((str(number), kind))
    orgs: dict[int, set[int]] = defaultdict(set)
    for pid, org in Affiliation.objects.filter(
        person_id__in=ids, end_date__isnull=True
    ).values_list("person_id", "organization_id"):
        orgs[pid].add(org)
    externals: dict[int, list[str]] = defaultdict(list)
    for pid, value in PersonExternalId.objects.filter(person_id__in=ids).values_list(
        "person_id", "value"
    ):
        externals[pid].append(value)
    rows = []
    fields = ("family_name", "given_name", "full_name_native", "name_chinese", "name_latin")
    for p in Person.objects.filter(pk__in=ids, erased_at__isnull=True).values(
        "pk", "city", "country", "preferred_language", *fields
    ):
        probe = Probe(
            family_name=p["family_name"],
            given_name=p["given_name"],
            full_names=[p["full_name_native"], p["name_chinese"], p["name_latin"]],
            emails=emails[p["pk"]],
            phones=phones[p["pk"]],
            city=p["city"],
            organization_ids=sorted(orgs[p["pk"]]),
            external_ids=externals[p["pk"]],
            japanese=is_japanese_person(p["country"], p["preferred_language"]),
        )
        rows += [PersonMatchKey(person_id=p["pk"], key=k) for k in sorted(probe_keys(probe))]
    PersonMatchKey.objects.filter(person_id__in=ids).delete()
    PersonMatchKey.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


def index_after_commit(
    person_ids: Iterable[int], *, review_ids: Iterable[int] = (), keys_current: bool = False
) -> None:
    """For code that writes people in bulk (imports): once the transaction commits, a worker
    computes the matching keys of `person_ids` and `review_ids` (only of `person_ids` when the
    caller wrote the keys of `review_ids` itself: `keys_current`) and puts the likely
    duplicates of `review_ids` in the review queue (crm.tasks.index_people). Nothing happens on
    rollback (a dry run)."""
    review = sorted(set(review_ids))
    ids = sorted(set(person_ids) if keys_current else set(person_ids) | set(review))
    if not ids and not review:
        return

    def enqueue() -> None:
        from crm.tasks import index_people

        index_people.delay(ids, review)

    transaction.on_commit(enqueue)


def index_people(person_ids: list[int], review_ids: list[int]) -> int:
    """The worker's half of index_after_commit; returns how many pairs were queued."""
    refresh_match_keys_for(person_ids)
    queued = 0
    for person in Person.objects.active().filter(pk__in=review_ids):
        queued += len(enqueue_review(person))
    return queued


def _split(key: str) -> tuple[str, str]:
    kind, _sep, value = key.partition(":")
    return kind, value


def score_keys(
    a: set[str], b: set[str], common: Iterable[str] = frozenset()
) -> tuple[int, list[str]]:
    """Score two people (or a probe and a person) from their keys: (score, reason codes).
    `common` are name-and-city keys many people share (王伟 in Ningbo): no evidence."""
    shared = (a & b) - set(common)
    kinds = {_split(k)[0] for k in shared}
    reasons: list[str] = []
    if "e" in kinds:
        reasons.append("same_email")
    if "m" in kinds:
        reasons.append("same_mobile")
    if "x" in kinds:
        reasons.append("same_external_id")
    if reasons:
        return EXACT_SCORE, reasons
    score = 0
    a_han = any(k.startswith("h:") for k in a)
    b_han = any(k.startswith("h:") for k in b)
    # 王伟 and 汪伟 share the pinyin "wangwei": written in Han on both sides, they differ.
    homophones = a_han and b_han and "h" not in kinds
    if "n" in kinds and not homophones:
        score, reasons = SAME_NAME_SCORE, ["same_name"]
    elif "n" in kinds:
        score, reasons = SIMILAR_NAME_SCORE, ["similar_name"]
    elif not (a_han and b_han):  # close pinyin of two Han names (wangwei, wangwen) is noise
        a_names = [v for k, v in map(_split, a) if k == "n"]
        b_names = [v for k, v in map(_split, b) if k == "n"]
        best = max((fuzz.ratio(x, y) for x in a_names for y in b_names), default=0)
        if best >= SIMILAR_NAME_RATIO:
            score, reasons = SIMILAR_NAME_SCORE, ["similar_name"]
    if not score:
        return 0, []  # a shared organization, city or switchboard alone says nothing
    if kinds & {"fo", "no"}:
        score += SAME_ORGANIZATION_SCORE
        reasons.append("same_organization")
    # The city counts with the same name in it (a rare one), or with a similar name.
    if "nc" in kinds or ("fc" in kinds and reasons[0] == "similar_name"):
        score += SAME_CITY_SCORE
        reasons.append("same_city")
    a_phones = {v for k, v in map(_split, a) if k in ("m", "t")}
    b_phones = {v for k, v in map(_split, b) if k in ("m", "t")}
    if a_phones & b_phones:
        score += SHARED_PHONE_SCORE
        reasons.append("shared_phone")
    return min(score, EXACT_SCORE - 1), reasons


def _keys_by_person(person_ids: Iterable[int]) -> dict[int, set[str]]:
    by_person: dict[int, set[str]] = defaultdict(set)
    for person_id, key in PersonMatchKey.objects.filter(person_id__in=list(person_ids)).values_list(
        "person_id", "key"
    ):
        by_person[person_id].add(key)
    return by_person


def _phone_variants(keys: set[str]) -> set[str]:
    """A phone matches whatever kind the other side recorded it as (mobile or other)."""
    variants = set(keys)
    for key in keys:
        kind, value = _split(key)
        if kind in ("m", "t"):
            variants |= {"m:" + value, "t:" + value}
    return variants


def _hits(keys: set[str], exclude_id: int | None) -> dict[int, set[str]]:
    """{person id: the keys they share with the probe}, each key bringing back at most
    LOOKUP_KEY_CAP people (BLOCK_KEY_CAP for the family-name blocks). One round trip."""
    lookup = sorted(_phone_variants(keys))
    if not lookup:
        return {}
    parts, params = [], []
    # The table name is the model's, never input; keys and caps are parameters.
    one_key = f"SELECT person_id, key FROM {PersonMatchKey._meta.db_table} WHERE key = %s LIMIT %s"  # noqa: S608
    for index, key in enumerate(lookup):
        cap = BLOCK_KEY_CAP if _split(key)[0] in ("fc", "fo") else LOOKUP_KEY_CAP
        parts.append(f"SELECT * FROM ({one_key}) AS k{index}")  # noqa: S608
        params += [key, cap]
    shared: dict[int, set[str]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for person_id, key in cursor.fetchall():
            if person_id != exclude_id:
                shared[person_id].add(key)
    return shared


def _keys_of_kind(person_ids: Iterable[int], *kinds: str) -> dict[int, set[str]]:
    by_person: dict[int, set[str]] = defaultdict(set)
    ids = list(person_ids)
    if not ids:
        return by_person
    of_kind = Q()
    for kind in kinds:
        of_kind |= Q(key__startswith=kind + ":")
    rows = PersonMatchKey.objects.filter(of_kind, person_id__in=ids)
    for person_id, key in rows.values_list("person_id", "key"):
        by_person[person_id].add(key)
    return by_person


def _not_duplicates_of(person_id: int | None) -> set[int]:
    if not person_id:
        return set()
    pairs = DuplicateCandidate.objects.filter(
        Q(first_id=person_id) | Q(second_id=person_id), status=DuplicateStatus.NOT_DUPLICATE
    ).values_list("first_id", "second_id")
    return {a if b == person_id else b for a, b in pairs}


def likely_duplicates(
    candidate: Probe | Person,
    *,
    queryset: QuerySet[Person] | None = None,
    min_score: int = WARN_MIN_SCORE,
    limit: int = 10,
) -> list[Match]:
    """People who may be `candidate`, best first: [(person, score, reason codes)].

    `queryset` limits the answer to the people a user may see (the caller's visibility rules);
    pairs marked "not a duplicate" are left out."""
    probe = probe_for_person(candidate) if isinstance(candidate, Person) else candidate
    keys = probe.keys or probe_keys(probe)
    shared = _hits(keys, probe.exclude_id)
    for person_id in _not_duplicates_of(probe.exclude_id):
        shared.pop(person_id, None)
    if not shared:
        return []
    # What scoring needs beyond the shared keys: the names of people found only through a
    # family-name block (similar names), and whether people sharing a pinyin key have Han
    # names at all (homophones).
    names_only_in_block = [
        pid for pid, found in shared.items() if not any(k.startswith("n:") for k in found)
    ]
    their_names = _keys_of_kind(names_only_in_block, "n", "h")
    probe_has_han = any(k.startswith("h:") for k in keys)
    han_unknown = [
        pid
        for pid, found in shared.items()
        if probe_has_han
        and any(k.startswith("n:") for k in found)
        and not any(k.startswith("h:") for k in found)
    ]
    their_han = _keys_of_kind(han_unknown, "h")
    per_key: dict[str, int] = defaultdict(int)
    for found in shared.values():
        for key in found:
            per_key[key] += 1
    common = {k for k, n in per_key.items() if k.startswith("nc:") and n > NAME_CITY_COMMON}
    scored = []
    for person_id, found in shared.items():
        theirs = found | their_names.get(person_id, set()) | their_han.get(person_id, set())
        score, reasons = score_keys(keys, theirs, common)
        if score >= min_score:
            scored.append((score, person_id, reasons))
    scored.sort(key=lambda item: (-item[0], item[1]))
    people = (queryset if queryset is not None else Person.objects).active()
    by_id = people.in_bulk([person_id for _score, person_id, _r in scored[: limit * 3]])
    return [
        Match(by_id[person_id], score, reasons)
        for score, person_id, reasons in scored
        if person_id in by_id
    ][:limit]


def exact_matches(
    emails: Iterable[str] = (), phones: Iterable[str] = (), external_id: str | None = None
) -> list[Person]:
    """People who are certainly this contact: the same email identity, the same mobile number
    (E.164; a number that cannot be a mobile - an office switchboard - never matches) or the
    same external id. More than one person means the row joins several: the caller decides."""
    probe = Probe(
        emails=list(emails),
        phones=list(phones),
        external_ids=[external_id] if external_id else [],
    )
    keys = [k for k in probe_keys(probe) if _split(k)[0] in EXACT_KINDS]
    if not keys:
        return []
    ids = PersonMatchKey.objects.filter(key__in=keys).values_list("person_id", flat=True)
    return list(Person.objects.active().filter(pk__in=ids).order_by("pk"))


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


@transaction.atomic
def enqueue_review(
    person: Person, matches: Iterable[Match] | None = None, *, min_score: int = REVIEW_MIN_SCORE
) -> list[DuplicateCandidate]:
    """Put `person` and each match scoring at least `min_score` in the review queue. A pair
    already decided (merged, not a duplicate) stays decided; an open pair gets the new score."""
    if matches is None:
        matches = likely_duplicates(person, min_score=min_score, limit=20)
    rows = []
    for match in matches:
        if match.score < min_score or match.person.pk == person.pk:
            continue
        first, second = _pair(person.pk, match.person.pk)
        rows.append(
            DuplicateCandidate(
                first_id=first, second_id=second, score=match.score, reasons=list(match.reasons)
            )
        )
    _upsert_candidates(rows)
    return list(
        DuplicateCandidate.objects.filter(
            Q(first=person) | Q(second=person), status=DuplicateStatus.OPEN
        )
    )


def _upsert_candidates(rows: list[DuplicateCandidate]) -> None:
    if not rows:
        return
    # Decided pairs keep their status: only open ones take the new score and reasons.
    existing = {
        (c.first_id, c.second_id): c
        for c in DuplicateCandidate.objects.filter(
            first_id__in={r.first_id for r in rows}, second_id__in={r.second_id for r in rows}
        )
    }
    new, changed = [], []
    for row in rows:
        known = existing.get((row.first_id, row.second_id))
        if known is None:
            new.append(row)
            existing[(row.first_id, row.second_id)] = row
        elif known.status == DuplicateStatus.OPEN and (known.score, known.reasons) != (
            row.score,
            row.reasons,
        ):
            known.score, known.reasons = row.score, row.reasons
            changed.append(known)
    DuplicateCandidate.objects.bulk_create(new, ignore_conflicts=True)
    if changed:
        DuplicateCandidate.objects.bulk_update(changed, ["score", "reasons"])


@transaction.atomic
def mark_not_duplicate(candidate: DuplicateCandidate, *, acting_user=None) -> DuplicateCandidate:
    """Staff decided the pair are two people: remembered, never proposed again."""
    candidate.status = DuplicateStatus.NOT_DUPLICATE
    candidate.decided_at = timezone.now()
    candidate.decided_by = acting_user
    candidate.save(update_fields=["status", "decided_at", "decided_by"])
    for person_id, other_id in (
        (candidate.first_id, candidate.second_id),
        (candidate.second_id, candidate.first_id),
    ):
        log(
            Person.objects.get(pk=person_id),
            "crm.not_duplicate",
            user=acting_user,
            data={"other_id": other_id},
        )
    return candidate


def mark_pair_merged(kept_id: int, dropped_id: int, *, acting_user=None) -> None:
    """A merge decides the pair (its row goes with the dropped person; the others of the
    dropped person are re-proposed against the kept one by the next scan)."""
    first, second = _pair(kept_id, dropped_id)
    DuplicateCandidate.objects.filter(first_id=first, second_id=second).update(
        status=DuplicateStatus.MERGED, decided_at=timezone.now(), decided_by=acting_user
    )


@dataclass
class ScanResult:
    blocks: int = 0
    pairs_compared: int = 0
    candidates: int = 0
    skipped_blocks: int = 0


def scan_for_duplicates(
    *, pairs_per_chunk: int = SCAN_PAIRS_PER_CHUNK, progress=None
) -> ScanResult:
    """Compare everyone within each block (same mobile, same external id, same name and city,
    same name and organization, same family name and city, same family name and organization)
    and put pairs scoring REVIEW_MIN_SCORE or more in the review queue.

    Memory stays flat: the blocks stream from a server-side cursor and are scored in chunks of
    about `pairs_per_chunk` pairs, with only their people's keys loaded. Blocks larger than
    SCAN_BLOCK_CAP are skipped (counted). Safe to run twice; decided pairs stay decided."""
    result = ScanResult()
    kind_filter = Q()
    for kind in SCAN_KINDS:
        kind_filter |= Q(key__startswith=kind + ":")
    blocks = (
        PersonMatchKey.objects.filter(kind_filter)
        .values("key")
        .annotate(size=Count("person_id"))
        .filter(size__gte=2)
        .order_by()
    )
    from django.contrib.postgres.aggregates import ArrayAgg
    from django.db import connection

    if connection.vendor == "postgresql":
        blocks = blocks.annotate(ids=ArrayAgg("person_id"))
        rows = blocks.values_list("key", "size", "ids").iterator(chunk_size=2000)
    else:
        rows = (
            (
                key,
                size,
                list(PersonMatchKey.objects.filter(key=key).values_list("person_id", flat=True)),
            )
            for key, size in blocks.values_list("key", "size").iterator(chunk_size=2000)
        )
    common = set(
        PersonMatchKey.objects.filter(key__startswith="nc:")
        .values("key")
        .annotate(size=Count("person_id"))
        .filter(size__gt=NAME_CITY_COMMON)
        .order_by()
        .values_list("key", flat=True)
    )
    chunk: list[list[int]] = []
    pending = 0
    for key, size, ids in rows:
        result.blocks += 1
        if key in common or size > SCAN_BLOCK_CAP:
            result.skipped_blocks += 1
            continue
        chunk.append(sorted(ids))
        pending += size * (size - 1) // 2
        if pending >= pairs_per_chunk:
            _scan_chunk(chunk, result, common)
            chunk, pending = [], 0
            if progress:
                progress(result)
    if chunk:
        _scan_chunk(chunk, result, common)
    if progress:
        progress(result)
    return result


def _scan_chunk(blocks: list[list[int]], result: ScanResult, common: set[str]) -> None:
    pairs = {(a, b) for ids in blocks for i, a in enumerate(ids) for b in ids[i + 1 :]}
    keys = _keys_by_person({p for pair in pairs for p in pair})
    rows = []
    for a, b in pairs:
        score, reasons = score_keys(keys[a], keys[b], common)
        result.pairs_compared += 1
        if score >= REVIEW_MIN_SCORE:
            rows.append(DuplicateCandidate(first_id=a, second_id=b, score=score, reasons=reasons))
    with transaction.atomic():
        _upsert_candidates(rows)
    result.candidates += len(rows)
