"""Answers to invitations: accept (with companions, sessions and the event's questions), decline,
send a delegate; staff recording and changing answers; approving requests.

Every status change goes through `transition()` (lock, check `TRANSITIONS`, save, history, log).
Capacity is kept by locking the event's row (and the chosen sessions' rows, in id order) for the
whole answer: answers to one event are serialised, so places are never oversold whatever the
number of web processes. Side effects (confirmation mail with its .ics, CRM interaction, the
next guest's offer) run after commit.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.signal_handlers import disable_reference_index_auto_update

from crm.models import Person
from outreach.models import (
    TRANSITIONS,
    Answer,
    AnswerChannel,
    Companion,
    Event,
    Message,
    Question,
    Registration,
    RegistrationChange,
    RegistrationStatus,
    SessionChoice,
    WaitlistEntry,
)
from outreach.models.registrations import HOLDS_PLACE

S = RegistrationStatus


class RegistrationError(Exception):
    """A refused answer, with a stable code the API returns (`invalid_state`, `capacity_full`,
    `session_full`, `deadline_passed`, `too_many_companions`, `invalid_session`,
    `missing_answer`, `invalid_answer`, `event_closed`)."""

    def __init__(self, code: str, message: str, *, field: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass
class CompanionInput:
    name_native: str = ""
    name_latin: str = ""


@dataclass
class AcceptInput:
    companions: list[CompanionInput] = field(default_factory=list)
    session_ids: list[int] = field(default_factory=list)
    answers: dict[int, str] = field(default_factory=dict)  # source question id -> value


@dataclass
class DelegateInput:
    email: str
    family_name: str = ""
    given_name: str = ""
    name_native: str = ""
    language: str = ""


@dataclass
class Outcome:
    registration: Registration
    changed: bool
    delegate: Registration | None = None


# --- the one transition function -------------------------------------------------------------


def transition(
    registration: Registration,
    to: str,
    *,
    channel: str,
    answered_by: Person | None = None,
    staff=None,
    reason: str = "",
    details: dict | None = None,
    fields: dict | None = None,
    locked: bool = False,
) -> RegistrationChange:
    """Move `registration` to `to`: lock the row, check the table, save (with `fields`), write the
    history row and the audit log. A new registration (no pk) is created here. `locked`: the
    caller read `registration` with select_for_update in this transaction (no second read).
    Its entry in Wagtail's reference index is updated after commit (after_registration_change),
    not inside the answer's transaction."""
    if registration.pk and locked:
        before: str | None = registration.status
    elif registration.pk:
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        before = current.status
    else:
        before = None
    if to not in TRANSITIONS.get(before, frozenset()):
        raise RegistrationError(
            "invalid_state",
            _("An answer cannot go from %(before)s to %(after)s.")
            % {"before": before or "-", "after": to},
        )
    for name, value in (fields or {}).items():
        setattr(registration, name, value)
    registration.status = to
    registration.channel = channel
    registration.answered_by = answered_by
    registration.answered_at = timezone.now()
    with disable_reference_index_auto_update():
        registration.save()
    change = RegistrationChange.objects.create(
        registration=registration,
        from_status=before or "",
        to_status=to,
        channel=channel,
        answered_by=answered_by,
        staff=staff if getattr(staff, "pk", None) else None,
        reason=reason[:500],
        details=details or {},
    )
    log(
        registration,
        "outreach.registration.answer",
        user=staff if getattr(staff, "pk", None) else None,
        data={"from": before or "", "to": to, "channel": channel, "change": change.pk},
    )
    return change


# --- reading ---------------------------------------------------------------------------------


def places_taken(event: Event, *, exclude: Registration | None = None) -> int:
    qs = Registration.objects.filter(event=event, status__in=HOLDS_PLACE)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(n=Sum("places"))["n"] or 0


def session_places_taken(session: Event, *, exclude: Registration | None = None) -> int:
    qs = Registration.objects.filter(session_choices__session=session, status__in=HOLDS_PLACE)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(n=Sum("places"))["n"] or 0


def places_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - places_taken(event), 0)


def deadline_passed(event: Event, now: datetime | None = None) -> bool:
    return (now or timezone.now()) > event.answer_deadline


def sessions_of(event: Event):
    return Event.objects.filter(parent=event).exclude(status=Event.Status.CANCELLED)


# (event id, event version) -> {"": source questions, language: {translation key: question}}.
# Saving or deleting a question touches its event's `updated_at` (Question.save), so an entry
# is never stale; kept per process, small (events being answered at once).
_questions_cache: dict[tuple[int, object], dict] = {}
_questions_lock = threading.Lock()


def _event_questions(event: Event) -> dict:
    key = (event.pk, event.updated_at)
    entry = _questions_cache.get(key)
    if entry is None:
        rows = list(Question.objects.filter(event=event).order_by("sort_order", "id"))
        seen: dict = {}
        for row in rows:  # one row per translation_key: the oldest is the source
            seen.setdefault(row.translation_key, row)
        entry = {"": list(seen.values())}
        with _questions_lock:
            if len(_questions_cache) > 256:
                _questions_cache.clear()
            _questions_cache[key] = entry
    return entry


def questions_of(event: Event) -> list[Question]:
    """The event's questions in their source language (answers point at these rows)."""
    return _event_questions(event)[""]


def localized_questions(event: Event, language: str) -> dict:
    """translation key -> the question's translation into `language` (those that have one)."""
    entry = _event_questions(event)
    if language not in entry:
        from wagtail.models import Locale

        sources = entry[""]
        localized = {}
        locale = Locale.objects.filter(language_code=language).first() if sources else None
        if locale is not None:
            for question in Question.objects.filter(
                translation_key__in=[s.translation_key for s in sources], locale=locale
            ):
                localized[question.translation_key] = question
        entry[language] = localized
    return entry[language]


def _digest(status: str, data: AcceptInput | None, reason: str = "") -> str:
    payload = {"s": status, "r": reason.strip()}
    if data is not None:
        payload["c"] = [(c.name_native.strip(), c.name_latin.strip()) for c in data.companions]
        payload["x"] = sorted(data.session_ids)
        payload["a"] = sorted((str(k), v.strip()) for k, v in data.answers.items())
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


# --- the verbs -------------------------------------------------------------------------------


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _existing(event: Event, person: Person) -> Registration | None:
    return Registration.objects.select_for_update().filter(event=event, person=person).first()


def _check_open(event: Event, *, channel: str) -> None:
    if event.is_cancelled:
        raise RegistrationError("event_closed", _("This event has been cancelled."))
    if channel in (AnswerChannel.LINK, AnswerChannel.FORM) and deadline_passed(event):
        raise RegistrationError(
            "deadline_passed", _("The deadline for answering this invitation has passed.")
        )


def _validate_accept(event: Event, data: AcceptInput) -> tuple[list[Event], dict[int, str]]:
    companions = [c for c in data.companions if c.name_native.strip() or c.name_latin.strip()]
    data.companions = companions
    if len(companions) > event.companion_allowance:
        raise RegistrationError(
            "too_many_companions",
            _("You may bring up to %(n)d companions.") % {"n": event.companion_allowance},
            field="companions",
        )
    ids = sorted(set(data.session_ids))
    # lock the chosen sessions in id order (the event row is already locked): no deadlock
    sessions = list(
        Event.objects.select_for_update().filter(parent=event, pk__in=ids).order_by("pk")
    )
    if len(sessions) != len(ids) or any(s.is_cancelled for s in sessions):
        raise RegistrationError(
            "invalid_session", _("Please choose among the sessions listed."), field="sessions"
        )
    answers: dict[int, str] = {}
    for question in questions_of(event):
        value = (data.answers.get(question.pk) or "").strip()
        if question.required and not value:
            raise RegistrationError(
                "missing_answer",
                _("Please answer: %(question)s") % {"question": question.label},
                field=f"q{question.pk}",
            )
        choices = {str(i) for i in range(len(question.option_list()))}
        if value and question.kind == Question.Kind.CHOICE and value not in choices:
            raise RegistrationError(
                "invalid_answer", _("Please choose an option."), field=f"q{question.pk}"
            )
        if value and question.kind == Question.Kind.YES_NO and value not in ("yes", "no"):
            raise RegistrationError(
                "invalid_answer", _("Please answer yes or no."), field=f"q{question.pk}"
            )
        if value:
            answers[question.pk] = value[:2000]
    return sessions, answers


def _fits(event: Event, registration: Registration | None, places: int) -> bool:
    if event.capacity is None:
        return True
    return places_taken(event, exclude=registration) + places <= event.capacity


def _locked_sessions_of(registration: Registration) -> list[Event]:
    """The sessions `registration` chose, their rows locked in id order (call with the event's
    row locked: event first, then sessions, as every answer does; no deadlock)."""
    ids = list(registration.session_choices.values_list("session_id", flat=True))
    if not ids:
        return []
    return list(Event.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _full_session(
    sessions: list[Event], registration: Registration | None, places: int
) -> Event | None:
    for session in sessions:
        if (
            session.capacity is not None
            and session_places_taken(session, exclude=registration) + places > session.capacity
        ):
            return session
    return None


def _save_details(
    registration: Registration,
    sessions: list[Event],
    data: AcceptInput,
    answers: dict[int, str],
    *,
    new: bool = False,
) -> None:
    """Companions, sessions and answers as given (replacing earlier ones; a new registration has
    none to replace)."""
    if not new:
        registration.companions.all().delete()
        registration.session_choices.all().delete()
        registration.answers.all().delete()
    if data.companions:
        Companion.objects.bulk_create(
            [
                Companion(
                    registration=registration,
                    name_native=c.name_native.strip()[:200],
                    name_latin=c.name_latin.strip()[:200],
                    sort_order=i,
                )
                for i, c in enumerate(data.companions)
            ]
        )
    if sessions:
        SessionChoice.objects.bulk_create(
            [SessionChoice(registration=registration, session=s) for s in sessions]
        )
    if answers:
        Answer.objects.bulk_create(
            [Answer(registration=registration, question_id=q, value=v) for q, v in answers.items()]
        )


def _after_commit(change: RegistrationChange, *, notify: bool = True) -> None:
    from outreach import tasks

    change_id = change.pk
    transaction.on_commit(lambda: tasks.after_registration_change.delay(change_id, notify))


def _place_status(event: Event, registration: Registration | None, places: int) -> str:
    return S.ACCEPTED if _fits(event, registration, places) else S.WAITLISTED


@transaction.atomic
def accept(
    event: Event,
    person: Person,
    data: AcceptInput,
    *,
    invitation: Message | None = None,
    channel: str = AnswerChannel.LINK,
    answered_by: Person | None = None,
    language: str = "",
    staff=None,
    reason: str = "",
    as_request: bool = False,
    notify: bool = True,
    details: dict | None = None,
) -> Outcome:
    """Accept for `person`: a place if there is one (for the guest and companions, in every
    chosen session), else the waitlist; a request staff approve when `as_request`."""
    event = _lock_event(event)
    _check_open(event, channel=channel)
    registration = _existing(event, person)
    if as_request and registration is not None and registration.status in HOLDS_PLACE:
        as_request = False  # already confirmed: a change, not a new request
    sessions, answers = _validate_accept(event, data)
    places = 1 + len(data.companions)
    if as_request:
        target = S.REQUESTED
    elif registration is not None and registration.status in (S.ACCEPTED, S.OFFERED):
        target = S.ACCEPTED
    elif registration is not None and registration.status == S.WAITLISTED:
        target = S.WAITLISTED
    else:
        target = _place_status(event, registration, places)
    digest = _digest(target, data)
    if (
        registration is not None
        and registration.answer_digest == digest
        and registration.status == target != S.OFFERED
    ):
        return Outcome(registration, changed=False)
    if target == S.ACCEPTED:
        if not _fits(event, registration, places):
            raise RegistrationError(
                "capacity_full",
                _("There are not enough places left for %(n)d people.") % {"n": places},
            )
        full = _full_session(sessions, registration, places)
        if full is not None:
            raise RegistrationError(
                "session_full",
                _("%(session)s is full; please choose another session.")
                % {"session": _session_title(full)},
                field="sessions",
            )
    if registration is not None and registration.status == S.OFFERED:
        invitation = registration.invitation  # taking an offer keeps the original invitation
    was_holding = registration is not None and registration.status in HOLDS_PLACE
    new = registration is None
    if registration is None:
        registration = Registration(event=event, person=person)
    fields = {
        "invitation": invitation or registration.invitation,
        "language": language or registration.language or person.preferred_language,
        "places": places,
        "answer_digest": digest,
        "decline_reason": "",
        "hold_until": None,
    }
    if target == S.WAITLISTED and registration.status != S.WAITLISTED:
        fields["waitlisted_at"] = timezone.now()
        fields["waitlist_priority"] = person.vip_level or 0
    change = transition(
        registration,
        target,
        channel=channel,
        answered_by=answered_by,
        staff=staff,
        reason=reason,
        details={"places": places, "sessions": [s.pk for s in sessions], **(details or {})},
        fields=fields,
        locked=not new,
    )
    _save_details(registration, sessions, data, answers, new=new)
    if target == S.WAITLISTED and change.from_status != S.WAITLISTED:
        WaitlistEntry.objects.create(
            registration=registration, priority=registration.waitlist_priority
        )
    if target == S.ACCEPTED and not new:
        WaitlistEntry.objects.filter(
            registration=registration, outcome__in=["waiting", "offered"]
        ).update(outcome=WaitlistEntry.Outcome.PROMOTED)
    if was_holding and target == S.ACCEPTED and places < _previous_places(change):
        offer_freed_places(event)
    _after_commit(change, notify=notify)
    return Outcome(registration, changed=True)


def _previous_places(change: RegistrationChange) -> int:
    previous = (
        RegistrationChange.objects.filter(registration=change.registration, id__lt=change.pk)
        .order_by("-id")
        .values_list("details", flat=True)
        .first()
    )
    return (previous or {}).get("places", 0)


def _session_title(session: Event) -> str:
    from django.utils import translation

    from outreach.presentation import public_details

    return public_details(session, translation.get_language() or "en")[0]


@transaction.atomic
def decline(
    event: Event,
    person: Person,
    *,
    reason: str = "",
    invitation: Message | None = None,
    channel: str = AnswerChannel.LINK,
    answered_by: Person | None = None,
    language: str = "",
    staff=None,
    staff_reason: str = "",
    notify: bool = True,
) -> Outcome:
    event = _lock_event(event)
    _check_open(event, channel=channel)
    registration = _existing(event, person)
    digest = _digest(S.DECLINED, None, reason)
    if (
        registration is not None
        and registration.status == S.DECLINED
        and registration.answer_digest == digest
    ):
        return Outcome(registration, changed=False)
    was_holding = registration is not None and registration.status in HOLDS_PLACE
    locked = registration is not None
    if registration is None:
        registration = Registration(event=event, person=person)
    change = transition(
        registration,
        S.DECLINED,
        locked=locked,
        channel=channel,
        answered_by=answered_by,
        staff=staff,
        reason=staff_reason,
        details={"was_holding": was_holding},
        fields={
            "invitation": invitation or registration.invitation,
            "language": language or registration.language or person.preferred_language,
            "decline_reason": reason.strip()[:2000],
            "answer_digest": digest,
            "hold_until": None,
        },
    )
    WaitlistEntry.objects.filter(
        registration=registration, outcome__in=["waiting", "offered"]
    ).update(outcome=WaitlistEntry.Outcome.LEFT)
    if was_holding:
        offer_freed_places(event)
    _after_commit(change, notify=notify)
    return Outcome(registration, changed=True)


def find_or_create_delegate(data: DelegateInput, *, invitee: Person, acting_user=None) -> Person:
    """The delegate as a CRM person: matched by email identity, else created (source
    "delegate"), and linked to the invitee by a "delegate of" relationship."""
    from crm.identity import normalize_email
    from crm.models import PersonEmail, Relationship, RelationshipType
    from crm.services.people import EmailInput, PersonInput, create_person

    identity = normalize_email(data.email)
    match = (
        PersonEmail.objects.filter(email_normalized=identity, person__erased_at__isnull=True)
        .select_related("person")
        .first()
    )
    if match is not None:
        delegate = match.person
    else:
        delegate = create_person(
            PersonInput(
                fields={
                    "family_name": data.family_name.strip()[:150],
                    "given_name": data.given_name.strip()[:150],
                    "full_name_native": data.name_native.strip()[:200],
                    "preferred_language": data.language or invitee.preferred_language,
                    "time_zone": invitee.time_zone,
                    "country": invitee.country,
                    "source": "delegate",
                    "owner": invitee.owner,
                },
                emails=[EmailInput(email=data.email.strip(), is_primary=True)],
            ),
            acting_user=acting_user,
        )
    kind, _created = RelationshipType.objects.get_or_create(
        name="delegate",
        defaults={"forward_label": "delegate of", "reverse_label": "sent as delegate"},
    )
    Relationship.objects.get_or_create(type=kind, from_person=delegate, to_person=invitee)
    return delegate


@transaction.atomic
def send_delegate(
    event: Event,
    invitee: Person,
    data: DelegateInput,
    *,
    invitation: Message | None = None,
    channel: str = AnswerChannel.LINK,
    answered_by: Person | None = None,
    language: str = "",
    staff=None,
    notify: bool = True,
) -> Outcome:
    """The invitee sends someone in their place. For invitation-only events the delegate's place
    is a request staff approve; otherwise it is an accept like any other."""
    event = _lock_event(event)
    _check_open(event, channel=channel)
    delegate_person = find_or_create_delegate(data, invitee=invitee, acting_user=staff)
    if delegate_person.pk == invitee.pk:
        raise RegistrationError(
            "invalid_delegate", _("The delegate must be another person."), field="delegate_email"
        )
    registration = _existing(event, invitee)
    digest = _digest(S.DELEGATED, None, f"delegate:{delegate_person.pk}")
    if registration is not None and registration.answer_digest == digest:
        return Outcome(registration, changed=False, delegate=registration.delegates.first())
    was_holding = registration is not None and registration.status in HOLDS_PLACE
    locked = registration is not None
    if registration is None:
        registration = Registration(event=event, person=invitee)
    change = transition(
        registration,
        S.DELEGATED,
        locked=locked,
        channel=channel,
        answered_by=answered_by,
        staff=staff,
        details={"delegate": delegate_person.pk, "was_holding": was_holding},
        fields={
            "invitation": invitation or registration.invitation,
            "language": language or registration.language or invitee.preferred_language,
            "answer_digest": digest,
            "hold_until": None,
        },
    )
    _after_commit(change, notify=notify)
    delegate_outcome = accept(
        event,
        delegate_person,
        AcceptInput(),
        invitation=invitation,
        channel=channel,
        answered_by=answered_by or invitee,
        language=delegate_person.preferred_language or language,
        staff=staff,
        as_request=event.invitation_only,
        notify=notify,
    )
    delegate_registration = delegate_outcome.registration
    if delegate_registration.delegate_of_id != registration.pk:
        delegate_registration.delegate_of = registration
        delegate_registration.save(update_fields=["delegate_of"])
    if was_holding:
        offer_freed_places(event)
    return Outcome(registration, changed=True, delegate=delegate_registration)


@transaction.atomic
def approve_request(registration: Registration, *, staff) -> Outcome:
    """Staff approve a delegate or registration request: a place if there is one, else the
    waitlist."""
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != S.REQUESTED:
        raise RegistrationError("invalid_state", _("Only a pending request can be approved."))
    target = _place_status(event, registration, registration.places)
    dropped: list[int] = []
    if target == S.ACCEPTED:
        # Each chosen session re-checked (rows locked in id order, after the event's): a session
        # that filled up while the request waited is dropped from it, the others are kept.
        for session in _locked_sessions_of(registration):
            if _full_session([session], registration, registration.places):
                dropped.append(session.pk)
        if dropped:
            registration.session_choices.filter(session_id__in=dropped).delete()
    fields = {}
    if target == S.WAITLISTED:
        fields = {
            "waitlisted_at": timezone.now(),
            "waitlist_priority": registration.person.vip_level or 0,
        }
    change = transition(
        registration,
        target,
        channel=AnswerChannel.STAFF,
        staff=staff,
        fields=fields,
        details={"sessions_dropped": dropped} if dropped else None,
        locked=True,
    )
    if target == S.WAITLISTED:
        WaitlistEntry.objects.create(
            registration=registration, priority=registration.waitlist_priority
        )
    _after_commit(change)
    return Outcome(registration, changed=True)


@transaction.atomic
def reject_request(registration: Registration, *, staff, reason: str = "") -> Outcome:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != S.REQUESTED:
        raise RegistrationError("invalid_state", _("Only a pending request can be refused."))
    change = transition(
        registration, S.REJECTED, channel=AnswerChannel.STAFF, staff=staff, reason=reason
    )
    _after_commit(change)
    return Outcome(registration, changed=True)


# --- waitlist ---------------------------------------------------------------------------------


def offer_freed_places(event: Event) -> list[Registration]:
    """Offer free places to the waitlist, by priority (VIP level) then time, each with a hold of
    `event.waitlist_hold_hours`. Call with the event's row locked (inside an answer)."""
    if event.capacity is None:
        candidates = Registration.objects.filter(event=event, status=S.WAITLISTED)
        free = None
    else:
        free = event.capacity - places_taken(event)
        if free <= 0:
            return []
        candidates = Registration.objects.filter(event=event, status=S.WAITLISTED)
    offered = []
    now = timezone.now()
    hold = now + timedelta(hours=event.waitlist_hold_hours)
    for registration in candidates.select_for_update().order_by(
        "-waitlist_priority", "waitlisted_at", "id"
    ):
        if free is not None and registration.places > free:
            continue
        # An offer holds the guest's places in their chosen sessions too: a guest whose session
        # is full waits (the next guest is offered the place) until it has room.
        if _full_session(_locked_sessions_of(registration), registration, registration.places):
            continue
        change = transition(
            registration,
            S.OFFERED,
            channel=AnswerChannel.SYSTEM,
            details={"hold_until": hold.isoformat()},
            fields={"hold_until": hold},
        )
        WaitlistEntry.objects.filter(registration=registration, outcome="waiting").update(
            outcome=WaitlistEntry.Outcome.OFFERED, offered_at=now, hold_until=hold
        )
        _after_commit(change)
        offered.append(registration)
        if free is not None:
            free -= registration.places
            if free <= 0:
                break
    return offered


def take_offer(registration: Registration, *, channel: str = AnswerChannel.LINK) -> Outcome:
    """The guest takes the place held for them (their earlier choices stand)."""
    data = AcceptInput(
        companions=[
            CompanionInput(c.name_native, c.name_latin) for c in registration.companions.all()
        ],
        session_ids=list(registration.session_choices.values_list("session_id", flat=True)),
        answers=dict(registration.answers.values_list("question_id", "value")),
    )
    return accept(registration.event, registration.person, data, channel=channel)


def expire_holds(now: datetime | None = None) -> int:
    """Offers whose hold ran out go to EXPIRED, and the place moves on. Safe to run twice."""
    now = now or timezone.now()
    expired = 0
    ids = list(
        Registration.objects.filter(status=S.OFFERED, hold_until__lt=now).values_list(
            "pk", "event_id"
        )
    )
    for registration_id, event_id in ids:
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            registration = Registration.objects.select_for_update().get(pk=registration_id)
            if registration.status != S.OFFERED or registration.hold_until >= now:
                continue
            change = transition(
                registration, S.EXPIRED, channel=AnswerChannel.SYSTEM, fields={"hold_until": None}
            )
            WaitlistEntry.objects.filter(registration=registration, outcome="offered").update(
                outcome=WaitlistEntry.Outcome.EXPIRED
            )
            _after_commit(change)
            offer_freed_places(event)
            expired += 1
    return expired


# --- staff ------------------------------------------------------------------------------------


@transaction.atomic
def cancel_registration(registration: Registration, *, staff=None, reason: str = "") -> Outcome:
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == S.CANCELLED:
        return Outcome(registration, changed=False)
    was_holding = registration.status in HOLDS_PLACE
    change = transition(
        registration,
        S.CANCELLED,
        channel=AnswerChannel.STAFF if staff else AnswerChannel.SYSTEM,
        staff=staff,
        reason=reason,
        details={"was_holding": was_holding},
        fields={"hold_until": None},
    )
    if was_holding and not event.is_cancelled:
        offer_freed_places(event)
    _after_commit(change)
    return Outcome(registration, changed=True)


# --- audiences by answer (reminders, segments, roadshow figures) ---------------------------------


def event_scope(event: Event) -> Q:
    """The event and its parts or stops (two levels: roadshow > stop, forum > sub-forum)."""
    return Q(pk=event.pk) | Q(parent_id=event.pk) | Q(parent__parent_id=event.pk)


def invited_people_ids(event: Event, *, days: int | None = None):
    """People an invitation (a message that went out) to the event or any of its parts reached."""
    invited = Message.objects.filter(
        campaign__event__in=Event.objects.filter(event_scope(event)),
        campaign__kind="invitation",
        status="sent",
        person__isnull=False,
    )
    if days:
        invited = invited.filter(sent_at__lte=timezone.now() - timedelta(days=days))
    return invited.values("person_id")


def people_by_answer(event: Event, answer: str, not_answered_days: int | None = None) -> Q:
    """A Q over crm.Person: who answered `answer` to the event (or any stop or part of it);
    "not_answered": invited (at least `not_answered_days` ago) and no answer yet."""
    scope = Event.objects.filter(event_scope(event))
    answered = Registration.objects.filter(event__in=scope)
    if answer == "not_answered":
        return Q(pk__in=invited_people_ids(event, days=not_answered_days)) & ~Q(
            pk__in=answered.values("person_id")
        )
    if answer in ("attended", "no_show"):
        from outreach.models import CheckIn

        came = CheckIn.objects.filter(
            event__in=scope, outcome=CheckIn.Outcome.ADMITTED, attendee=0
        ).values("registration__person_id")
        if answer == "attended":
            return Q(pk__in=came)
        return Q(pk__in=answered.filter(status="accepted").values("person_id")) & ~Q(pk__in=came)
    return Q(pk__in=answered.filter(status=answer).values("person_id"))


def segment_filter_choices() -> list[tuple[str, str]]:
    """Segment filter "rsvp" (crm.segment_extensions): one choice per event and answer."""
    from outreach.models import AnswerFilter

    choices = []
    # The 100 latest events, finished ones included: "who came to last year's forum" is a
    # segment the office builds after the event.
    events = Event.objects.order_by("-starts_at")[:100]
    for event in events:
        has_parts = event.kind in (Event.Kind.ROADSHOW, Event.Kind.UMBRELLA, Event.Kind.FORUM)
        name = (
            _("%(event)s (any part or stop)") % {"event": event.name} if has_parts else event.name
        )
        for value, label in AnswerFilter.choices:
            choices.append((f"{event.pk}.{value}", f"{name}: {label}"))
    return choices


def segment_filter_q(argument: str) -> Q:
    event_id, _sep, answer = argument.partition(".")
    event = Event.objects.filter(pk=int(event_id)).first() if event_id.isdigit() else None
    from outreach.models import AnswerFilter

    if event is None or answer not in AnswerFilter.values:
        return Q(pk__in=[])
    return people_by_answer(event, answer)
