"""Finding a campaign's messages by recipient ("did Mr X get the invitation?") without revealing
addresses to staff who may not see contact details."""

from __future__ import annotations

from django.db.models import Q

from crm.identity import email_digest


def search_messages(queryset, term: str, *, user):
    """Messages whose recipient matches ``term``: any name form (the CRM's person search, among
    the people ``user`` may see), or the address. Staff who may see contact details find any
    part of an address; for the others a term with an "@" matches only a whole address (by its
    digest, so typing it reveals nothing they did not know)."""
    from crm import access

    term = (term or "").strip()
    if not term:
        return queryset
    details = access.can_see_contact_details(user)
    matches = Q(pk__in=[])
    if details or "@" not in term:
        people, _capped = access.search_people(user, access.visible_people(user), term)
        matches |= Q(person__in=people)
    if "@" in term:
        matches |= Q(email_digest=email_digest(term))
    if details:
        matches |= Q(email__icontains=term)
    # A match on a hidden recipient would confirm their address.
    return access.visible_messages(user, queryset.filter(matches))
