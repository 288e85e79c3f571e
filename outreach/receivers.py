"""Signal receivers, connected in OutreachConfig.ready()."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver

logger = logging.getLogger(__name__)


def on_tracking(sender, event, esp_name, **kwargs) -> None:
    """anymail's tracking signal, one call per event: store it and ask a worker to apply."""
    from outreach.services import tracking

    tracking.record_events(esp_name, [event])

    def wake() -> None:
        # At most one apply task per second, whatever the burst.
        try:
            if cache.add("outreach:apply-tracking", 1, timeout=1):
                from outreach.tasks import apply_tracking_events

                apply_tracking_events.apply_async(countdown=1)
        except Exception as exc:  # the beat task applies them anyway
            logger.warning("could not enqueue tracking apply: %s", exc)

    transaction.on_commit(wake)


def on_person_erased(sender, email_digests=(), **kwargs) -> None:
    from outreach.services import suppression

    suppression.keep_suppressions_of_erased_person(email_digests)


def connect() -> None:
    from anymail.signals import tracking

    from crm.signals import person_erased

    receiver(tracking, dispatch_uid="outreach.tracking")(on_tracking)
    receiver(person_erased, dispatch_uid="outreach.person_erased")(on_person_erased)
