"""Who is left out of a campaign's audience, and why: the people its segments and additions
name who will get no message. Each person gets the first reason that applies, in this order:

1. listed under the campaign's "never send to";
2. personal data erased;
3. marked do-not-contact;
4. no valid consent for the campaign's purpose;
   (1-4 are what ``audience.audience_people`` takes out: the audience count is after them)
5. no email address (neither their own nor, when mail goes via an assistant, the assistant's);
6. they read a language the campaign is not written in and it has no fallback language;
7. their address is on the suppression list (for this purpose or all).
   (5-7 are applied when the audience is frozen: the count "before suppression" includes them)

Counts and lists are of the people the viewing user may see (crm.access), like the audience
count beside them. Reasons 1-6 are one SQL query; 7 compares address digests with the
suppression list in Python (the list holds keyed hashes, not addresses), reading the
audience's addresses once in chunks."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from config.db import stream
from crm import access
from crm.identity import email_digest
from crm.models import Person
from crm.services.consent import valid_consent_exists
from outreach.models import Campaign
from outreach.services import suppression
from outreach.services.audience import _primary_email, audience_candidates


class Reason(models.TextChoices):
    EXCLUDED = "excluded", _("Listed under “never send to”")
    ERASED = "erased", _("Personal data erased")
    DO_NOT_CONTACT = "do_not_contact", _("Marked do-not-contact")
    NO_CONSENT = "no_consent", _("No valid consent for the campaign's purpose")
    NO_ADDRESS = "no_address", _("No email address")
    LANGUAGE = "language", _("Reads a language the campaign is not written in (no fallback)")
    SUPPRESSED = "suppressed", _("Address on the suppression list")


_VIA_ASSISTANT = (
    Q(send_via_assistant=True)
    & Q(assistant__isnull=False)
    & Q(assistant__erased_at__isnull=True)
    & Q(assistant_email__isnull=False)
)


def _language_matches(campaign: Campaign) -> Q:
    """The rule of ``audience.choose_language`` as a condition on ``delivery_language``: the
    recipient's language, or its base language, is one of the campaign's."""
    q = Q(pk__in=[])
    for language in campaign.languages:
        base = language.lower().split("-")[0]
        q |= Q(delivery_language__iexact=language)
        q |= Q(delivery_language__iexact=base) | Q(delivery_language__istartswith=f"{base}-")
    return q


def annotated_candidates(campaign: Campaign):
    """The campaign's candidates, each with ``exclusion``: the first reason (1-6) that leaves
    them out, or None, and ``delivery_email`` (where their message would go)."""
    candidates, exclusions = audience_candidates(campaign)
    people = candidates.annotate(
        own_email=_primary_email("pk"), assistant_email=_primary_email("assistant")
    ).annotate(
        delivery_email=Case(
            When(_VIA_ASSISTANT, then="assistant_email"),
            default="own_email",
            output_field=CharField(),
        ),
        delivery_language=Case(
            When(
                _VIA_ASSISTANT,
                then=Coalesce(
                    NullIf("assistant__preferred_language", Value("")), "preferred_language"
                ),
            ),
            default="preferred_language",
            output_field=CharField(),
        ),
    )
    rules = [
        When(pk__in=exclusions, then=Value(Reason.EXCLUDED.value)),
        When(erased_at__isnull=False, then=Value(Reason.ERASED.value)),
        When(do_not_contact=True, then=Value(Reason.DO_NOT_CONTACT.value)),
        When(~valid_consent_exists(campaign.purpose), then=Value(Reason.NO_CONSENT.value)),
        When(delivery_email__isnull=True, then=Value(Reason.NO_ADDRESS.value)),
    ]
    if not campaign.fallback_language:
        rules.append(When(~_language_matches(campaign), then=Value(Reason.LANGUAGE.value)))
    return people.annotate(exclusion=Case(*rules, default=None, output_field=CharField()))


def _suppressed_ids(campaign: Campaign, people) -> list[int]:
    blocked = suppression.suppressed_digests_for_purposes([campaign.purpose])
    if not blocked:
        return []
    ids = []
    rows = people.filter(exclusion__isnull=True).values_list("pk", "delivery_email").order_by("pk")
    for pk, address in stream(rows, chunk_size=5000):
        if address and email_digest(address) in blocked:
            ids.append(pk)
    return ids


def summary(campaign: Campaign, user) -> list[tuple[str, str, int]]:
    """(reason, label, count) for every reason, among the people `user` may see."""
    people = access.visible_people(user, annotated_candidates(campaign))
    counts = dict(
        people.filter(exclusion__isnull=False)
        .values_list("exclusion")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts[Reason.SUPPRESSED.value] = len(_suppressed_ids(campaign, people))
    return [(reason.value, reason.label, counts.get(reason.value, 0)) for reason in Reason]


def excluded_people(campaign: Campaign, user, reason: str):
    """The people `user` may see who are left out for `reason`, by name."""
    people = access.visible_people(user, annotated_candidates(campaign))
    if reason == Reason.SUPPRESSED:
        chosen = Person.objects.filter(pk__in=_suppressed_ids(campaign, people))
    elif reason in Reason.values:
        chosen = Person.objects.filter(pk__in=people.filter(exclusion=reason).values("pk"))
    else:
        chosen = Person.objects.none()
    return chosen.order_by("family_name", "given_name", "pk")
