"""Reactions to signals of lower apps: a merge of two CRM people re-points team members and
judge roles, and an undo puts them back (crm.signals.people_merged / people_unmerged)."""

from __future__ import annotations


def on_people_merged(sender, kept_id, dropped_id, moved=None, **kwargs) -> None:
    from crm.services.merge import repoint_references

    record = repoint_references("competitions", kept_id, dropped_id)
    if moved is not None:
        moved["competitions"] = record


def on_people_unmerged(sender, kept_id, dropped_id, moved=None, **kwargs) -> None:
    from crm.services.merge import restore_references

    restore_references((moved or {}).get("competitions", {}), kept_id, dropped_id)


def connect() -> None:
    from crm.signals import people_merged, people_unmerged

    people_merged.connect(on_people_merged, dispatch_uid="competitions.people_merged")
    people_unmerged.connect(on_people_unmerged, dispatch_uid="competitions.people_unmerged")
