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


def on_person_erasing(sender, person, secrets=(), **kwargs) -> None:
    from outreach.services.privacy import erase_person_outreach_data

    erase_person_outreach_data(person, list(secrets))


def connect() -> None:
    from anymail.signals import tracking

    from crm.signals import person_erased, person_erasing

    receiver(tracking, dispatch_uid="outreach.tracking")(on_tracking)
    receiver(person_erased, dispatch_uid="outreach.person_erased")(on_person_erased)
    receiver(person_erasing, dispatch_uid="outreach.person_erasing")(on_person_erasing)
