"""Open registration: anyone may register for an event marked open, confirming their address
first (double opt-in).

`request_registration` validates the form and mails a signed, time-limited confirmation link
that carries the form's content (nothing is stored before the address is confirmed, so a
stranger's typing leaves no personal data behind). `confirm_registration` matches the
registrant to a person by email identity or creates one with the consent recorded (purpose,
legal basis, privacy notice version, source), then accepts like any answer (a request when the
event's registrations need approval). Confirming twice changes nothing."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction

from crm.models import Person, PersonEmail
from outreach.models import AnswerChannel, Event
from outreach.services import registration as registering

SALT = "outreach.open-registration"
CONFIRM_MAX_AGE = 2 * 86400


@dataclass
class Registrant:
    event_id: int
    email: str
    family_name: str
    given_name: str = ""
    name_native: str = ""
    language: str = "en"
    # "I am not <invitee>": the invitation (message id) forwarded to the registrant.
    forwarded_invitation: int | None = None


def make_confirmation_token(registrant: Registrant) -> str:
    return signing.dumps(asdict(registrant), salt=SALT, compress=True)


def read_confirmation_token(token: str) -> Registrant | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    try:
        return Registrant(**data)
    except TypeError:
        return None


def request_registration(registrant: Registrant) -> None:
    """Mail the confirmation link (after commit, by a worker)."""
    from outreach import tasks

    token = make_confirmation_token(registrant)
    transaction.on_commit(lambda: tasks.send_registration_confirmation.delay(token))


def find_or_create_registrant(registrant: Registrant, *, source: str = "registration") -> Person:
    from crm.identity import normalize_email
    from crm.services.consent import record_consent
    from crm.services.people import EmailInput, PersonInput, create_person

    event = Event.objects.get(pk=registrant.event_id)
    match = (
        PersonEmail.objects.filter(
            email_normalized=normalize_email(registrant.email), person__erased_at__isnull=True
        )
        .select_related("person")
        .first()
    )
    if match is not None:
        person = match.person
    else:
        person = create_person(
            PersonInput(
                fields={
                    "family_name": registrant.family_name[:150],
                    "given_name": registrant.given_name[:150],
                    "full_name_native": registrant.name_native[:200],
                    "preferred_language": registrant.language,
                    "source": f"{source}:{event.code}"[:50],
                },
                emails=[EmailInput(email=registrant.email, is_primary=True)],
            )
        )
    record_consent(
        person,
        purpose="event_invitations",
        legal_basis="consent",
        source=f"{source} {event.code}"[:100],
        notice_version=settings.PRIVACY_NOTICE_VERSION,
    )
    return person


@transaction.atomic
def confirm_registration(registrant: Registrant) -> registering.Outcome:
    event = Event.objects.get(pk=registrant.event_id)
    if registrant.forwarded_invitation:
        return _confirm_forwarded(registrant, event)
    if not event.accepts_registrations:
        raise registering.RegistrationError("event_closed", "registration closed")
    person = find_or_create_registrant(registrant)
    existing = event.registrations.filter(person=person).first()
    if existing is not None and existing.status in ("accepted", "waitlisted", "requested"):
        return registering.Outcome(existing, changed=False)
    return registering.accept(
        event,
        person,
        registering.AcceptInput(),
        channel=AnswerChannel.FORM,
        language=registrant.language,
        as_request=event.registration_needs_approval,
    )


def _confirm_forwarded(registrant: Registrant, event: Event) -> registering.Outcome:
    """Someone answering a forwarded invitation as themselves: their own registration, a
    request staff approve (whatever the event's settings), through the invitation it came by;
    the invitee's registration is not touched."""
    from django.utils.translation import gettext as _

    from outreach.models import Message

    invitation = (
        Message.objects.filter(pk=registrant.forwarded_invitation, campaign__event=event)
        .only("pk", "person_id")
        .first()
    )
    if invitation is None:
        raise registering.RegistrationError("event_closed", "invitation gone")
    person = find_or_create_registrant(registrant, source="forwarded invitation")
    if person.pk == invitation.person_id:
        raise registering.RegistrationError(
            "invalid_answer", _("This is your own invitation: please answer it above.")
        )
    existing = event.registrations.filter(person=person).first()
    if existing is not None and existing.status in ("accepted", "waitlisted", "requested"):
        return registering.Outcome(existing, changed=False)
    return registering.accept(
        event,
        person,
        registering.AcceptInput(),
        invitation=invitation,
        channel=AnswerChannel.FORM,
        language=registrant.language,
        as_request=True,
        details={"forwarded_invitation": invitation.pk, "invitee": invitation.person_id},
    )
