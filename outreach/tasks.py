"""Celery tasks: thin wrappers that take ids and call services (safe to run twice).

The ledger's state lives in the database: a lost task costs only time (the beat dispatcher wakes
the senders again), a duplicated one only finds nothing left to claim."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import cache

from outreach.services import system


@shared_task
def record_worker_heartbeat(requested_by_pid: int | None = None) -> None:
    system.record_worker_heartbeat(requested_by_pid=requested_by_pid)


@shared_task(ignore_result=True)
def start_sending_wave(force: bool = False) -> None:
    """Fan out CAMPAIGN_SENDERS sender tasks. The periodic wake-up sends at most one wave per
    task budget; a campaign that starts now (``force``) always gets one."""
    gate = "outreach:sending-wave"
    if force:
        cache.set(gate, 1, timeout=settings.CAMPAIGN_WAVE_SECONDS)
    elif not cache.add(gate, 1, timeout=settings.CAMPAIGN_WAVE_SECONDS):
        return
    for _ in range(int(settings.CAMPAIGN_SENDERS)):
        send_due_messages.delay()


@shared_task(ignore_result=True, acks_late=True)
def send_due_messages() -> dict:
    from outreach.services import sending

    tally = sending.send_due_messages()
    if tally.get("more"):
        send_due_messages.delay()  # one for one: the wave keeps its width
    return tally


@shared_task(ignore_result=True, acks_late=True)
def freeze_approved_campaign(campaign_id: int) -> None:
    """Freeze the audience of a large campaign after its approval (safe to run twice)."""
    from outreach.services import campaigns

    campaigns.finish_approval(campaign_id)


@shared_task(ignore_result=True)
def dispatch_due_campaigns() -> None:
    """Beat: start what is due, sweep expired leases, finish what is done."""
    from outreach.services import campaigns, dispatch, sending

    campaigns.resume_lost_approvals()
    sending.sweep_expired_leases()
    dispatch.dispatch_due_campaigns()
    dispatch.finish_campaigns()


@shared_task(ignore_result=True)
def apply_tracking_events() -> int:
    from outreach.services import tracking

    return tracking.apply_all_pending_events()


@worker_ready.connect
def _announce_worker(sender=None, **kwargs) -> None:
    """A worker that has just started says so through the broker, so the dashboard shows it at
    once instead of after beat's first heartbeat a minute later."""
    record_worker_heartbeat.delay()


# --- RSVP ---------------------------------------------------------------------------------------


@shared_task(ignore_result=True)
def send_registration_mail(change_id: int) -> int:
    from outreach.services import registration_mail

    return registration_mail.send_for_change(change_id)


@shared_task(ignore_result=True)
def record_registration_interaction(change_id: int) -> None:
    from outreach.services import registration_crm

    registration_crm.record_change(change_id)


@shared_task(ignore_result=True)
def after_registration_change(change_id: int, notify: bool = True) -> None:
    """Everything an answer sets off once committed, in one task (one message to the broker per
    answer): the guest's mail, the CRM interaction, and the registration's entry in Wagtail's
    reference index ("used by"), kept out of the answer's transaction. Safe to run twice."""
    from wagtail.models import ReferenceIndex

    from outreach.models import Registration
    from outreach.services import registration_crm, registration_mail

    if notify:
        registration_mail.send_for_change(change_id)
    registration_crm.record_change(change_id)
    registration = Registration.objects.filter(changes__pk=change_id).first()
    if registration is not None:
        ReferenceIndex.create_or_update_for_object(registration)


@shared_task(ignore_result=True)
def send_new_rsvp_link(message_id: int) -> bool:
    from outreach.services import rsvp_links

    return rsvp_links.send_new_link(message_id)


@shared_task(ignore_result=True)
def expire_rsvp_holds() -> int:
    from outreach.services import registration

    return registration.expire_holds()


@shared_task(ignore_result=True)
def send_event_update(event_id: int, cancelled: bool = False) -> int:
    from outreach.models import Event
    from outreach.services import registration_mail

    event = Event.objects.filter(pk=event_id).first()
    return registration_mail.send_event_update(event, cancelled=cancelled) if event else 0


@shared_task(ignore_result=True)
def send_registration_confirmation(token: str) -> None:
    """Double opt-in: mail the link that confirms an open registration (the token carries the
    form; a repeat sends the same link again, which confirms once)."""
    from outreach.public import registration

    registration.send_confirmation_request(token)


@shared_task(ignore_result=True)
def record_attendance(registration_ids: list[int], acting_user_id: int | None = None) -> None:
    """Attendance interactions for guests admitted by a synced queue (idempotent per guest)."""
    from django.contrib.auth import get_user_model

    from outreach.services import checkin

    user = get_user_model().objects.filter(pk=acting_user_id).first() if acting_user_id else None
    for registration_id in registration_ids:
        checkin.record_attendance(registration_id, user)
