"""Finding a contact from whatever staff type: any name form in any script (case- and
accent-insensitive), an email address, or a phone number in any format.

Everything is matched against one folded column, `Person.search_text`
(crm.identity.fold_text of every name form, plus the normalised email addresses and
the phone numbers' E.164 digits, maintained by the services on every save). A term becomes a
few LIKE '%pattern%' alternatives on that column: the folded text, the email identity, the
phone's digits as typed, without a national trunk prefix, and parsed to E.164. On PostgreSQL
each alternative is a scan of the trigram GIN index (migration 0002), OR'ed in a BitmapOr; on
SQLite it is a scan of one narrow column. No joins, so no DISTINCT."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from crm import names
from crm.identity import fold_text, normalize_email, phone_digits
from crm.models import Person
from crm.phones import try_parse_phone


def search_patterns(term: str, *, region: str | None = None) -> list[str]:
    term = (term or "").strip()
    if not term:
        return []
    patterns = [fold_text(term)]
    # 陳靜 finds 陈静; "chen2 jing4" finds Chen Jing (tone marks as accents fold away already).
    patterns.append(fold_text(names.to_simplified(term)))
    toneless = names.strip_tone_numbers(term)
    if toneless != term:
        patterns.append(fold_text(toneless))
    if "@" in term:
        patterns.append(normalize_email(term))
    compact = term.replace(" ", "").replace("-", "").replace("(", "").replace(")", "")
    if compact.startswith("00") and compact[2:].isdigit():
        term = "+" + compact[2:]  # 0049... is +49... from most countries
    digits = phone_digits(term)
    if len(digits) >= 6 and len(digits) >= len(compact) * 0.6:
        patterns.append(digits)
        if digits.startswith("0") and len(digits.lstrip("0")) >= 6:
            # A national format ("0171 1234567"): without its trunk prefix, the digits are the
            # tail of the stored E.164 digits (+49 171 1234567).
            patterns.append(digits.lstrip("0"))
        for candidate_region in {region, None}:
            parsed = try_parse_phone(term, candidate_region)
            if parsed:
                patterns.append(phone_digits(str(parsed)))
    unique: list[str] = []
    for pattern in patterns:
        if pattern and pattern not in unique:
            unique.append(pattern)
    return unique


def person_search_q(term: str, *, region: str | None = None) -> Q:
    q = Q()
    for pattern in search_patterns(term, region=region):
        q |= Q(search_text__contains=pattern)
    return q


def masked_person_search_q(term: str, *, region: str | None = None) -> Q:
    """Search for staff who may not see contact details: any name form (never a part of an
    address or number), a whole email address (its identity) or a whole phone number. Typing
    part of a masked address or number confirms nothing."""
    from crm.models import PersonEmail, PersonPhone

    term = (term or "").strip()
    if not term:
        return Q()
    if "@" in term:
        return Q(
            pk__in=PersonEmail.objects.filter(email_normalized=normalize_email(term)).values(
                "person_id"
            )
        )
    folded = fold_text(term)
    if "|" in folded:
        return Q(pk__in=[])
    compact = "".join(c for c in term if c not in " -()./")
    if compact.lstrip("+").isdigit():
        numbers = {str(p) for p in (try_parse_phone(term, r) for r in {region, None}) if p}
        return Q(pk__in=PersonPhone.objects.filter(number__in=numbers).values("person_id"))
    # A name item of search_text: between " | " separators, without "@" (not an address).
    item = r"(^|\| )[^|@]*" + re.escape(folded) + r"[^|@]*( \||$)"
    return Q(search_text__contains=folded) & Q(search_text__regex=item)


def search_people(
    queryset: QuerySet[Person], term: str, *, region: str | None = None, masked: bool = False
) -> QuerySet[Person]:
    if masked:
        return queryset.filter(masked_person_search_q(term, region=region))
    return queryset.filter(person_search_q(term, region=region))


def search_organizations(queryset, term: str):
    term = (term or "").strip()
    if not term:
        return queryset
    return queryset.filter(search_text__contains=fold_text(term))


SEARCH_RESULT_CAP = 1000


def search_people_for_listing(
    queryset: QuerySet[Person], term: str, *, cap: int = SEARCH_RESULT_CAP, masked: bool = False
) -> tuple[QuerySet[Person], bool]:
    """Search for a paginated listing ordered by name: (queryset, capped).

    Most searches match a handful of people: their ids are read first from the trigram index
    (at most cap + 1 of them), and the listing is those ids ordered by name - fast whatever the
    table size. Otherwise PostgreSQL, misjudging how many rows a LIKE matches, may walk the
    whole name index looking for 25 matches that do not exist. A search matching more than
    `cap` people (a very common name) lists `cap` of them, in name order, and says so
    (capped=True): staff refine the search rather than page through thousands.

    ``masked``: for staff who may not see contact details (masked_person_search_q)."""
    matches = search_people(queryset, term, masked=masked)
    ids = list(matches.order_by().values_list("pk", flat=True)[: cap + 1])
    return queryset.filter(pk__in=ids[:cap]), len(ids) > cap
