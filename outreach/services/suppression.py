"""The suppression list: who must not be mailed. Consulted when an audience is frozen and again
right before each message is sent."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from wagtail.log_actions import log

from crm.identity import email_digest
from outreach.models import Suppression, SuppressionReason


def digest_of(email_or_digest: str) -> str:
    value = (email_or_digest or "").strip()
    if len(value) == 64 and "@" not in value:
        return value.lower()
    return email_digest(value)


def suppress(
    email_or_digest: str,
    reason: str,
    *,
    purpose: str = "",
    acting_user=None,
    message=None,
    note: str = "",
) -> Suppression:
    """Add an entry (idempotent: an address already suppressed for that scope stays as it is)."""
    digest = digest_of(email_or_digest)
    try:
        with transaction.atomic():
            entry, created = Suppression.objects.get_or_create(
                email_digest=digest,
                purpose=purpose,
                defaults={
                    "reason": reason,
                    "source_message": message,
                    "created_by": acting_user,
                    "note": note[:255],
                },
            )
    except IntegrityError:  # a concurrent webhook added it first
        return Suppression.objects.get(email_digest=digest, purpose=purpose)
    if created and acting_user is not None:
        log(entry, "outreach.suppression.add", user=acting_user)
    return entry


@transaction.atomic
def remove_suppression(entry: Suppression, *, acting_user) -> None:
    log(entry, "wagtail.delete", user=acting_user)
    entry.delete()


def suppressed_digests(digests: Iterable[str], purposes: Iterable[str]) -> set[str]:
    """Which of these digests are suppressed for any of these purposes (or for all purposes)."""
    digests = list(set(digests))
    purposes = list(purposes)
    scope = Q(purpose="") | Q(purpose__in=[p for p in purposes if p])
    found: set[str] = set()
    if len(digests) > 5000:
        # Reading the scoped list once (one index scan) costs less than many 5,000-item IN lists.
        return suppressed_digests_for_purposes(purposes) & set(digests)
    for start in range(0, len(digests), 5000):
        found.update(
            Suppression.objects.filter(
                scope, email_digest__in=digests[start : start + 5000]
            ).values_list("email_digest", flat=True)
        )
    return found


def suppressed_digests_for_purposes(purposes: Iterable[str]) -> set[str]:
    """Every digest suppressed for any of these purposes or for all purposes (an audience
    freeze compares a whole audience with it; the list is far shorter than a large audience)."""
    scope = Q(purpose="") | Q(purpose__in=[p for p in purposes if p])
    scoped = Suppression.objects.filter(scope).values_list("email_digest", flat=True)
    return set(scoped.iterator(chunk_size=20000))


def suppressed_for(purpose: str):
    """A queryset of digests suppressed for this purpose, for use in a subquery."""
    return Suppression.objects.filter(Q(purpose="") | Q(purpose=purpose)).values("email_digest")


def is_suppressed(email_or_digest: str, purpose: str = "") -> bool:
    return bool(suppressed_digests([digest_of(email_or_digest)], [purpose]))


def keep_suppressions_of_erased_person(digests: Iterable[str]) -> None:
    """An erased person is never mailed again: their addresses stay suppressed (hashed)."""
    for digest in set(digests):
        suppress(digest, SuppressionReason.ERASURE, note="person erased")
