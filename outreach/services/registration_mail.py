"""Mail about a guest's answer: confirmation (with the .ics invitation and add-to-calendar
links), waitlist, held place, request received or refused, and calendar cancellations.

One mail per registration change and recipient, each rendered in the recipient's own language:
the guest, and the assistant who answered for them. Sent through Django's mail (the configured
anymail ESP, or the development outbox), not the campaign ledger: these are transactional
messages to one person, sent right after their own action. `send_for_change` marks the change
as mailed under a row lock, so a task that runs twice sends once."""

from __future__ import annotations

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outreach.models import Registration, RegistrationChange, RegistrationStatus
from outreach.presentation import event_facts
from outreach.services import calendar
from outreach.services.tokens import make_rsvp_token

S = RegistrationStatus


def rsvp_page_url(registration: Registration) -> str:
    from django.urls import reverse

    token = make_rsvp_token("r", registration.public_id)
    return settings.SITE_URL.rstrip("/") + reverse("outreach_rsvp", args=[token])


def _subject(change: RegistrationChange, title: str) -> str | None:
    to, before = change.to_status, change.from_status
    was_holding = (change.details or {}).get("was_holding")
    subjects = {
        S.ACCEPTED: _("Your place is confirmed: %(event)s"),
        S.WAITLISTED: _("You are on the waitlist: %(event)s"),
        S.OFFERED: _("A place is free for you: %(event)s"),
        S.REQUESTED: _("Your request has been received: %(event)s"),
        S.REJECTED: _("Your request could not be accepted: %(event)s"),
        S.EXPIRED: _("The place held for you has been released: %(event)s"),
        S.DECLINED: _("Thank you for your answer: %(event)s"),
        S.DELEGATED: _("Your delegate is registered: %(event)s"),
        S.CANCELLED: _("Your registration is cancelled: %(event)s"),
    }
    if to == S.CANCELLED and not was_holding:
        return None
    if to == before == S.ACCEPTED:
        return _("Your registration is updated: %(event)s") % {"event": title}
    template = subjects.get(to)
    return template % {"event": title} if template else None


def _method(change: RegistrationChange) -> str | None:
    if change.to_status == S.ACCEPTED:
        return "REQUEST"
    if change.to_status in (S.DECLINED, S.DELEGATED, S.CANCELLED) and (change.details or {}).get(
        "was_holding"
    ):
        return "CANCEL"
    return None


def _organizer() -> tuple[str, str]:
    name, address = parseaddr(
        getattr(settings, "RSVP_ORGANIZER_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    )
    return name or "Liaison", address


def build_mail(
    change: RegistrationChange, *, recipient, address: str, language: str
) -> EmailMultiAlternatives | None:
    """The mail about `change` for one recipient, in `language`."""
    from outreach.services.rendering import name_for

    registration = change.registration
    event = registration.event
    with translation.override(language):
        facts = event_facts(event, language)
        subject = _subject(change, facts.title)
        if subject is None:
            return None
        guest_name = name_for(registration.person, language)
        context = {
            "change": change,
            "registration": registration,
            "status": change.to_status,
            "facts": facts,
            "guest_name": guest_name,
            "for_someone_else": recipient.pk != registration.person_id,
            "salutation": recipient.salutation(language),
            "rsvp_url": rsvp_page_url(registration),
            "companions": list(registration.companions.all()),
            "hold_until": registration.hold_until,
            "links": calendar.add_to_calendar_links(event, title=facts.title, description=facts.url)
            if change.to_status == S.ACCEPTED
            else None,
            "language": language,
            "code_url": _code_url(registration) if change.to_status == S.ACCEPTED else "",
        }
        text = render_to_string("outreach/rsvp/mail.txt", context)
        html = render_to_string("outreach/rsvp/mail.html", context)
        organizer_name, organizer_email = _organizer()
        email = EmailMultiAlternatives(
            subject=subject.replace("\n", " "),
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[formataddr((guest_name if not context["for_someone_else"] else "", address))],
        )
        email.attach_alternative(html, "text/html")
        method = _method(change)
        if method:
            ics = calendar.guest_calendar_file(
                registration,
                method=method,
                title=facts.title,
                description=facts.url,
                url=facts.url,
                language=language,
                organizer_email=organizer_email,
                organizer_name=organizer_name,
                attendee_email=registration.person.primary_email_address or address,
                attendee_name=guest_name,
            )
            email.attach("invitation.ics", ics, f"text/calendar; charset=utf-8; method={method}")
        if context["code_url"]:
            # The door's QR code travels with the confirmation (outreach/checkin_codes.py)
            from outreach.badges import qr_png
            from outreach.services.checkin import code_for

            email.attach("checkin-code.png", qr_png(code_for(registration)), "image/png")
        email.metadata = {"registration": str(registration.public_id)}
        return email


def _code_url(registration: Registration) -> str:
    """The page with the guest's (and companions') check-in codes."""
    from django.urls import reverse

    token = make_rsvp_token("r", registration.public_id)
    return settings.SITE_URL.rstrip("/") + reverse("outreach_checkin_code", args=[token])


def recipients(change: RegistrationChange) -> list[tuple[object, str, str]]:
    """(person, address, language) for the guest and, when someone else answered for them (an
    assistant), for that person too; each in their own language."""
    registration = change.registration
    guest = registration.person
    out = []
    if guest.primary_email_address:
        out.append(
            (guest, guest.primary_email_address, registration.language or guest.preferred_language)
        )
    helper = change.answered_by
    if (
        helper is not None
        and helper.pk != guest.pk
        and helper.primary_email_address
        and helper.pk == guest.assistant_id
    ):
        out.append((helper, helper.primary_email_address, helper.preferred_language or "en"))
    return [(p, a, lang or "en") for p, a, lang in out]


def send_for_change(change_id: int) -> int:
    """Send the mail about one change to each recipient; returns how many went out."""
    with transaction.atomic():
        change = (
            RegistrationChange.objects.select_for_update(of=("self",))
            .select_related("registration__event", "registration__person", "answered_by")
            .filter(pk=change_id)
            .first()
        )
        if change is None or change.mailed_at is not None:
            return 0
        sent = 0
        for person, address, language in recipients(change):
            email = build_mail(change, recipient=person, address=address, language=language)
            if email is not None:
                email.send()
                sent += 1
        if _method(change):
            _next_sequence(change.registration)
        change.mailed_at = timezone.now()
        change.save(update_fields=["mailed_at"])
        return sent


def _next_sequence(registration: Registration) -> None:
    """The calendar entry was sent with the current SEQUENCE; the next one must be higher."""
    registration.calendar_sequence += 1
    Registration.objects.filter(pk=registration.pk).update(
        calendar_sequence=registration.calendar_sequence
    )


def send_event_update(event, *, cancelled: bool = False) -> int:
    """After a change of time or venue (or a cancellation): every guest holding a place gets
    the updated invitation (SEQUENCE + 1) or METHOD:CANCEL."""
    sent = 0
    for registration in Registration.objects.filter(event=event, status=S.ACCEPTED).select_related(
        "person", "event"
    ):
        with transaction.atomic():
            change = RegistrationChange(
                registration=registration,
                from_status=S.ACCEPTED,
                to_status=S.CANCELLED if cancelled else S.ACCEPTED,
                channel="system",
                details={"was_holding": True, "event_update": True},
            )
            for person, address, language in recipients(change):
                email = build_update_mail(change, address=address, language=language, person=person)
                email.send()
                sent += 1
            _next_sequence(registration)
    return sent


def build_update_mail(change, *, address: str, language: str, person) -> EmailMultiAlternatives:
    registration = change.registration
    with translation.override(language):
        facts = event_facts(registration.event, language)
        email = build_mail(change, recipient=person, address=address, language=language)
        if change.to_status == S.ACCEPTED:
            email.subject = _("Changed: %(event)s") % {"event": facts.title}
        else:
            email.subject = _("Cancelled: %(event)s") % {"event": facts.title}
        return email
