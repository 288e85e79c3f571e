"""Finding a contact from whatever staff type: any name form in any script (case- and
accent-insensitive), an email address, or a phone number in any format.

The folded `search_text` column (crm.services.identity.fold_text, maintained on every save) is
searched with LIKE '%term%': a trigram GIN index scan on PostgreSQL (migration 0002), a narrow
column scan on SQLite. Email and phone terms are additionally matched exactly on their identity
columns (unique/btree indexes)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from crm.models import Person, PersonEmail, PersonPhone

from .identity import fold_text, normalize_email, phone_digits
from .phones import try_parse_phone


def person_search_q(term: str, *, region: str | None = None) -> Q:
    term = (term or "").strip()
    if not term:
        return Q()
    q = Q(search_text__contains=fold_text(term))
    if "@" in term:
        q |= Q(
            Exists(
                PersonEmail.objects.filter(
                    person=OuterRef("pk"), email_normalized=normalize_email(term)
                )
            )
        )
    digits = phone_digits(term)
    if len(digits) >= 6 and len(digits) >= len(term.replace(" ", "")) * 0.6:
        # Looks like a phone number: exact E.164 match (typed in any format), else the digits as
        # typed inside the stored digits ("138 0013 8000" finds +8613800138000).
        q |= Q(search_text__contains=digits)
        for candidate_region in filter(None, [region, None]):
            parsed = try_parse_phone(term, candidate_region)
            if parsed:
                q |= Q(Exists(PersonPhone.objects.filter(person=OuterRef("pk"), number=parsed)))
        if term.strip().startswith("+"):
            parsed = try_parse_phone(term, None)
            if parsed:
                q |= Q(Exists(PersonPhone.objects.filter(person=OuterRef("pk"), number=parsed)))
    return q


def search_people(queryset: QuerySet[Person], term: str, *, region: str | None = None):
    return queryset.filter(person_search_q(term, region=region))


def search_organizations(queryset, term: str):
    term = (term or "").strip()
    if not term:
        return queryset
    return queryset.filter(search_text__contains=fold_text(term))
