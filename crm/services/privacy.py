"""Data-subject requests: export everything held about one person, and erase a person.

Erasure removes personal data but keeps the row as an anonymous tombstone ("(erased contact)")
so that aggregate figures (interaction counts, event attendance) stay right. The email addresses
survive only as digests (crm.identity.email_digest) sent with crm.signals.person_erased,
so that outreach can keep them suppressed and a later import cannot re-add the person.

Other apps add their data to the export with a Wagtail hook "crm_person_data_export":
`fn(person) -> (section_name, json_serialisable_data)`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry

from crm.identity import email_digest
from crm.models import (
    Affiliation,
    Consent,
    Interaction,
    MessagingHandle,
    Person,
    PersonEmail,
    PersonMatchKey,
    PersonPhone,
    Relationship,
    Segment,
)
from crm.signals import person_erased, person_erasing

EXPORT_HOOK = "crm_person_data_export"
ERASED_LABEL = "(erased contact)"


def _iso(value):
    return value.isoformat() if value else None


def export_person_data(person: Person, *, acting_user=None) -> dict[str, Any]:
    """Everything held about `person`, as JSON-serialisable data. Audited."""
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "person": {
            "id": person.pk,
            "family_name": person.family_name,
            "given_name": person.given_name,
            "name_order": person.name_order,
            "full_name_native": person.full_name_native,
            "name_chinese": person.name_chinese,
            "name_latin": person.name_latin,
            "honorific": person.honorific,
            "gender": person.gender,
            "job_title": person.job_title,
            "preferred_language": person.preferred_language,
            "time_zone": person.time_zone,
            "country": str(person.country or ""),
            "city": person.city,
            "assistant_id": person.assistant_id,
            "send_via_assistant": person.send_via_assistant,
            "is_diaspora": person.is_diaspora,
            "ancestral_home": person.ancestral_home,
            "diaspora_generation": person.diaspora_generation,
            "diaspora_associations": [str(o) for o in person.diaspora_associations.all()],
            "sectors": [s.name for s in person.sectors.all()],
            "vip_level": person.vip_level,
            "owner": person.owner.get_username() if person.owner else None,
            "do_not_contact": person.do_not_contact,
            "restricted": person.restricted,
            "tags": sorted(t.name for t in person.tags.all()),
            "notes": person.notes,
            "source": person.source,
            "created_at": _iso(person.created_at),
            "updated_at": _iso(person.updated_at),
        },
        "emails": [
            {"email": e.email, "is_primary": e.is_primary, "label": e.label}
            for e in PersonEmail.objects.filter(person=person)
        ],
        "phones": [
            {"number": str(p.number), "kind": p.kind, "is_primary": p.is_primary}
            for p in PersonPhone.objects.filter(person=person)
        ],
        "messaging_handles": [
            {"platform": h.platform, "handle": h.handle}
            for h in MessagingHandle.objects.filter(person=person)
        ],
        "affiliations": [
            {
                "organization": str(a.organization),
                "position": a.position,
                "department": a.department,
                "start_date": _iso(a.start_date),
                "end_date": _iso(a.end_date),
                "is_primary": a.is_primary,
            }
            for a in Affiliation.objects.filter(person=person).select_related("organization")
        ],
        "relationships": [
            {
                "type": r.type.name,
                "label": r.type.forward_label
                if r.from_person_id == person.pk
                else r.type.reverse_label,
                "other_person_id": r.to_person_id
                if r.from_person_id == person.pk
                else r.from_person_id,
                "start_date": _iso(r.start_date),
                "end_date": _iso(r.end_date),
            }
            for r in Relationship.objects.filter(from_person=person).select_related("type")
            | Relationship.objects.filter(to_person=person).select_related("type")
        ],
        "interactions": [
            {
                "kind": i.kind,
                "date": _iso(i.occurred_on),
                "subject": i.subject,
                "summary": i.summary,
            }
            for i in Interaction.objects.filter(people=person)
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "channel": c.channel,
                "legal_basis": c.legal_basis,
                "source": c.source,
                "notice_version": c.notice_version,
                "given_at": _iso(c.given_at),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in Consent.objects.filter(person=person)
        ],
        "segments": {
            "added_to": list(
                Segment.objects.filter(additions=person).values_list("name", flat=True)
            ),
            "excluded_from": list(
                Segment.objects.filter(exclusions=person).values_list("name", flat=True)
            ),
        },
        "history": [
            {
                "when": _iso(entry.timestamp),
                "action": entry.action,
                "by": entry.user_display_name if entry.user_id else None,
            }
            for entry in log_registry.get_logs_for_instance(person).select_related("user")
        ],
    }
    for section in hooks.get_hooks(EXPORT_HOOK):
        name, section_data = section(person)
        data[name] = section_data
    log(person, "crm.personal_data_exported", user=acting_user)
    return data


# Shorter strings would scrub unrelated words ("Li", "Wu" are whole names, but also parts of
# words); names this short are still removed from the person's own fields.
MIN_SCRUB_LENGTH = 3


def person_secrets(person: Person) -> list[str]:
    """Every form of the person's name and every address and number they have, longest first
    (so that "Zebulon Quixotewright" is replaced before "Zebulon")."""
    values = {
        person.family_name,
        person.given_name,
        person.full_name_native,
        person.name_chinese,
        person.name_latin,
        person.composed_name,
        f"{person.given_name} {person.family_name}",
        person.display_name if not person.erased_at else "",
    }
    values |= set(person.emails.values_list("email", flat=True))
    values |= set(person.emails.values_list("email_normalized", flat=True))
    values |= {str(n) for n in person.phones.values_list("number", flat=True)}
    values |= set(person.handles.values_list("handle", flat=True))
    return sorted(
        (v.strip() for v in values if v and len(v.strip()) >= MIN_SCRUB_LENGTH),
        key=len,
        reverse=True,
    )


def scrub_text(text: str, secrets: list[str]) -> str:
    """`text` with every secret (case-insensitive) replaced by the erased-contact label."""
    import re

    if not text:
        return text
    for secret in secrets:
        text = re.sub(re.escape(secret), ERASED_LABEL, text, flags=re.IGNORECASE)
    return text


def _scrub_log_entries(secrets: list[str]) -> None:
    """Audit log labels and data of any object (a consent "of X", a relationship "X assists
    Y") that carry the person's name or address."""
    from django.db.models import Q, TextField
    from django.db.models.functions import Cast
    from wagtail.models import ModelLogEntry, PageLogEntry

    if not secrets:
        return
    for model in (ModelLogEntry, PageLogEntry):
        match = Q()
        for secret in secrets:
            match |= Q(label__icontains=secret) | Q(data_text__icontains=secret)
        rows = model.objects.annotate(data_text=Cast("data", TextField())).filter(match)
        for entry in rows:
            entry.label = scrub_text(entry.label, secrets)
            entry.data = {}
            entry.save(update_fields=["label", "data"])


@transaction.atomic
def erase_person(person: Person, *, acting_user=None) -> list[str]:
    """Erase personal data; returns the email digests that person_erased carries."""
    digests = sorted(
        {email_digest(e) for e in person.emails.values_list("email_normalized", flat=True)}
    )
    person_id = person.pk
    secrets = person_secrets(person)
    # Other apps (outreach: messages, stored webhook payloads) scrub their copies first.
    person_erasing.send(sender=Person, person=person, secrets=secrets, acting_user=acting_user)
    # Interactions stay (for the figures), without the person's name or address in their text.
    for interaction in Interaction.objects.filter(people=person):
        subject = scrub_text(interaction.subject, secrets)
        summary = scrub_text(interaction.summary, secrets)
        if (subject, summary) != (interaction.subject, interaction.summary):
            Interaction.objects.filter(pk=interaction.pk).update(subject=subject, summary=summary)
    _scrub_log_entries(secrets)
    PersonEmail.objects.filter(person=person).delete()
    PersonPhone.objects.filter(person=person).delete()
    MessagingHandle.objects.filter(person=person).delete()
    Affiliation.objects.filter(person=person).delete()
    Relationship.objects.filter(from_person=person).delete()
    Relationship.objects.filter(to_person=person).delete()
    Consent.objects.filter(person=person).delete()
    Segment.additions.through.objects.filter(person=person).delete()
    Segment.exclusions.through.objects.filter(person=person).delete()
    Person.objects.filter(assistant=person).update(assistant=None, send_via_assistant=False)
    person.tags.clear()
    person.diaspora_associations.clear()
    for name in (
        "family_name",
        "given_name",
        "full_name_native",
        "name_chinese",
        "name_latin",
        "job_title",
        "time_zone",
        "city",
        "ancestral_home",
        "notes",
        "source",
        "honorific",
        "gender",
    ):
        setattr(person, name, "")
    person.assistant = None
    person.send_via_assistant = False
    person.diaspora_generation = None
    person.do_not_contact = True
    person.erased_at = timezone.now()
    person.search_text = ""
    person.save()
    Person.objects.filter(pk=person.pk).update(search_text="")
    # Duplicate-matching keys hold the name, email identities and numbers folded: gone too.
    PersonMatchKey.objects.filter(person=person).delete()
    # Past history entries carry the name as their label: keep the entries, drop the name.
    for entry in log_registry.get_logs_for_instance(person):
        entry.label = ERASED_LABEL
        entry.data = {}
        entry.save(update_fields=["label", "data"])
    log(
        person,
        "crm.erase",
        user=acting_user,
        data={"email_count": len(digests)},
    )
    transaction.on_commit(
        lambda: person_erased.send(
            sender=Person, person_id=person_id, email_digests=digests, acting_user=acting_user
        )
    )
    return digests
