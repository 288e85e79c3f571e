"""Consent: recording, withdrawing, and the audience rule "no valid consent, no message"."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from wagtail.log_actions import log

from crm.models import Consent, ConsentChannel, Person


def valid_consent_exists(purpose: str, channel: str = ConsentChannel.EMAIL, at=None) -> Exists:
    """An EXISTS subquery (on OuterRef("pk") of a Person queryset) for valid consent."""
    return Exists(
        Consent.objects.valid(at).filter(person=OuterRef("pk"), purpose=purpose, channel=channel)
    )


def people_with_valid_consent(
    purpose: str,
    channel: str = ConsentChannel.EMAIL,
    *,
    queryset: QuerySet[Person] | None = None,
    at: datetime.datetime | None = None,
) -> QuerySet[Person]:
    """People (not erased) who hold a valid consent for `purpose` on `channel` at `at` (now)."""
    queryset = Person.objects.all() if queryset is None else queryset
    return queryset.filter(erased_at__isnull=True).filter(
        valid_consent_exists(purpose, channel, at)
    )


def has_valid_consent(person: Person, purpose: str, channel: str = ConsentChannel.EMAIL) -> bool:
    return Consent.objects.valid().filter(person=person, purpose=purpose, channel=channel).exists()


@transaction.atomic
def record_consent(
    person: Person,
    *,
    purpose: str,
    channel: str = ConsentChannel.EMAIL,
    legal_basis: str = "consent",
    source: str = "",
    notice_version: str = "",
    given_at: datetime.datetime | None = None,
    acting_user=None,
) -> Consent:
    """Record a consent. An already valid consent for the same purpose and channel is kept
    (recording twice changes nothing)."""
    existing = Consent.objects.valid().filter(person=person, purpose=purpose, channel=channel)
    current = existing.first()
    if current is not None:
        return current
    consent = Consent.objects.create(
        person=person,
        purpose=purpose,
        channel=channel,
        legal_basis=legal_basis,
        source=source,
        notice_version=notice_version,
        given_at=given_at or timezone.now(),
        recorded_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    log(person, "crm.consent_given", user=acting_user, data={"consent_id": consent.pk})
    return consent


@transaction.atomic
def withdraw_consent(
    person: Person,
    *,
    purpose: str,
    channel: str = ConsentChannel.EMAIL,
    at: datetime.datetime | None = None,
    acting_user=None,
) -> int:
    """Withdraw every current consent of the person for the purpose/channel; returns how many."""
    at = at or timezone.now()
    count = Consent.objects.filter(
        person=person, purpose=purpose, channel=channel, withdrawn_at__isnull=True
    ).update(withdrawn_at=at)
    if count:
        log(
            person,
            "crm.consent_withdrawn",
            user=acting_user,
            data={"purpose": purpose, "channel": channel},
        )
    return count
