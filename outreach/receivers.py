"""Signal receivers, connected in OutreachConfig.ready()."""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.dispatch import receiver

logger = logging.getLogger(__name__)


_last_wake = 0.0


def on_tracking(sender, event, esp_name, **kwargs) -> None:
    """anymail's tracking signal, one call per event: store it (one INSERT) and, at most once a
    second per process, ask a worker to apply what arrived. The beat task applies anything a
    lost wake-up left behind."""
    global _last_wake
    from outreach.services import tracking

    tracking.record_events(esp_name, [event])
    now = time.monotonic()
    if now - _last_wake < 1.0:
        return
    _last_wake = now

    def wake() -> None:
        try:
            from outreach.tasks import apply_tracking_events

            apply_tracking_events.apply_async(countdown=1)
        except Exception as exc:
            logger.warning("could not enqueue tracking apply: %s", exc)

    transaction.on_commit(wake)


def on_person_erased(sender, email_digests=(), **kwargs) -> None:
    from outreach.services import suppression

    suppression.keep_suppressions_of_erased_person(email_digests)


def on_people_merged(sender, kept_id, dropped_id, moved=None, **kwargs) -> None:
    """Inside the merge's transaction: messages, campaign additions and exclusions (and every
    other outreach row naming a person) follow the kept person, so an excluded duplicate stays
    excluded and sent messages keep their addressee."""
    from crm.services.merge import repoint_references

    record = repoint_references("outreach", kept_id, dropped_id)
    if moved is not None:
        moved["outreach"] = record


def on_people_unmerged(sender, kept_id, dropped_id, moved=None, **kwargs) -> None:
    from crm.services.merge import restore_references

    restore_references((moved or {}).get("outreach", {}), kept_id, dropped_id)


def on_person_erasing(sender, person, secrets=(), **kwargs) -> None:
    from outreach.services.privacy import erase_person_outreach_data

    erase_person_outreach_data(person, list(secrets))


# What a guest's calendar entry holds: a change of any of these sends an update.
CALENDAR_FIELDS = ("starts_at", "ends_at", "time_zone", "venue", "address", "city")


def on_event_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    """A change of time or venue sends accepted guests an updated invitation (SEQUENCE + 1);
    a cancellation sends METHOD:CANCEL. Compared with the row as it was before the save."""
    if created or kwargs.get("raw"):
        return
    before = getattr(instance, "_calendar_before", None)
    if before is None:
        return
    now = {name: getattr(instance, name) for name in (*CALENDAR_FIELDS, "status")}
    cancelled = now["status"] == "cancelled" and before["status"] != "cancelled"
    moved = any(before[name] != now[name] for name in CALENDAR_FIELDS)
    if not (cancelled or (moved and now["status"] != "cancelled")):
        return
    from outreach import tasks

    event_id = instance.pk
    transaction.on_commit(lambda: tasks.send_event_update.delay(event_id, cancelled))


def remember_event_before_save(sender, instance, **kwargs) -> None:
    if not instance.pk or kwargs.get("raw"):
        return
    row = sender.objects.filter(pk=instance.pk).values(*CALENDAR_FIELDS, "status").first()
    instance._calendar_before = row


def connect() -> None:
    from anymail.signals import tracking
    from django.db.models.signals import post_save, pre_save

    from crm.signals import people_merged, people_unmerged, person_erased, person_erasing
    from outreach.models import Event

    receiver(people_merged, dispatch_uid="outreach.people_merged")(on_people_merged)
    receiver(people_unmerged, dispatch_uid="outreach.people_unmerged")(on_people_unmerged)

    receiver(tracking, dispatch_uid="outreach.tracking")(on_tracking)
    receiver(person_erased, dispatch_uid="outreach.person_erased")(on_person_erased)
    receiver(person_erasing, dispatch_uid="outreach.person_erasing")(on_person_erasing)
    pre_save.connect(remember_event_before_save, sender=Event, dispatch_uid="outreach.event_pre")
    post_save.connect(on_event_saved, sender=Event, dispatch_uid="outreach.event_calendar")
