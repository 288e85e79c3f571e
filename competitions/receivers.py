"""Reactions to signals of lower apps: a merge of two CRM people re-points team members and
judge roles, and an undo puts them back (crm.signals.people_merged / people_unmerged); an
erasure scrubs the person's copies in entries (crm.signals.person_erasing)."""

from __future__ import annotations


def on_people_merged(sender, kept_id, dropped_id, moved=None, **kwargs) -> None:
    from crm.services.merge import repoint_references

    record = repoint_references("competitions", kept_id, dropped_id)
    if moved is not None:
        moved["competitions"] = record


def on_people_unmerged(sender, kept_id, dropped_id, moved=None, **kwargs) -> None:
    from crm.services.merge import restore_references

    restore_references((moved or {}).get("competitions", {}), kept_id, dropped_id)


def on_person_erasing(sender, person, secrets=(), **kwargs) -> None:
    """Entries the person is on keep their project, not the person: the contact address, the
    team as typed into the form and the judges' comments lose every name and address of
    theirs."""
    from django.db.models import Q

    from competitions.models import Assignment, Entry
    from crm.services.privacy import scrub_text

    lowered = {s.lower() for s in secrets if s}
    entries = Entry.objects.filter(
        Q(team__person=person) | Q(contact_email__in=[s for s in secrets if "@" in s])
    ).distinct()
    for entry in entries:
        team = [
            {"family_name": "", "given_name": "", "email": ""}
            if {str(v).lower() for v in member.values()} & lowered
            else member
            for member in entry.pending_team or []
        ]
        contact = "" if entry.contact_email.lower() in lowered else entry.contact_email
        Entry.objects.filter(pk=entry.pk).update(pending_team=team, contact_email=contact)
        for assignment in Assignment.objects.filter(entry=entry).exclude(comment=""):
            Assignment.objects.filter(pk=assignment.pk).update(
                comment=scrub_text(assignment.comment, secrets)
            )


def connect() -> None:
    from crm.signals import people_merged, people_unmerged, person_erasing

    person_erasing.connect(on_person_erasing, dispatch_uid="competitions.person_erasing")

    people_merged.connect(on_people_merged, dispatch_uid="competitions.people_merged")
    people_unmerged.connect(on_people_unmerged, dispatch_uid="competitions.people_unmerged")
