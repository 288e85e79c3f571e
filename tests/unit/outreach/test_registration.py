"""Answers: the transition table, capacity, waitlist and holds, delegates, assistants, history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from crm.models import Interaction, PersonEmail, Relationship
from outreach.models import (
    TRANSITIONS,
    Registration,
    RegistrationChange,
    RegistrationStatus,
    WaitlistEntry,
)
from outreach.services import registration as registering
from outreach.services.registration import AcceptInput, CompanionInput, DelegateInput
from tests.factories import EventFactory, PersonFactory, QuestionFactory, RegistrationFactory

S = RegistrationStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def test_every_status_has_a_row_in_the_transition_table():
    assert set(TRANSITIONS) - {None} == set(S.values)
    for targets in TRANSITIONS.values():
        assert targets <= set(S.values)


def test_a_transition_outside_the_table_is_refused_with_a_stable_code():
    registration = RegistrationFactory(status=S.REJECTED)
    with pytest.raises(registering.RegistrationError) as error:
        registering.transition(registration, S.DELEGATED, channel="staff")
    assert error.value.code == "invalid_state"
    registration.refresh_from_db()
    assert registration.status == S.REJECTED
    assert not registration.changes.exists()


def test_accept_confirms_a_place_with_companions_and_keeps_the_history(committed, mailoutbox):
    event = EventFactory(capacity=10, companion_allowance=2)
    guest = PersonFactory(email="wang@example.cn")
    with committed():
        outcome = registering.accept(
            event,
            guest,
            AcceptInput(companions=[CompanionInput("李娜", "Li Na")]),
        )
    registration = outcome.registration
    assert registration.status == S.ACCEPTED
    assert registration.places == 2
    assert [str(c) for c in registration.companions.all()] == ["李娜"]
    change = registration.changes.get()
    assert (change.from_status, change.to_status) == ("", S.ACCEPTED)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["wang@example.cn"] or "wang@example.cn" in mailoutbox[0].to[0]


def test_the_same_submission_twice_changes_nothing(committed, mailoutbox):
    event = EventFactory(capacity=10, companion_allowance=1)
    guest = PersonFactory(email="a@example.org")
    data = AcceptInput(companions=[CompanionInput("", "Ann Lee")])
    with committed():
        registering.accept(event, guest, data)
    with committed():
        again = registering.accept(
            event, guest, AcceptInput(companions=[CompanionInput("", "Ann Lee")])
        )
    assert again.changed is False
    assert RegistrationChange.objects.count() == 1
    assert len(mailoutbox) == 1


def test_more_companions_than_allowed_are_refused_and_nothing_is_saved():
    event = EventFactory(companion_allowance=1)
    with pytest.raises(registering.RegistrationError) as error:
        registering.accept(
            event,
            PersonFactory(),
            AcceptInput(companions=[CompanionInput("", "A"), CompanionInput("", "B")]),
        )
    assert error.value.code == "too_many_companions"
    assert not Registration.objects.exists()


def test_when_full_an_accept_goes_to_the_waitlist():
    event = EventFactory(capacity=1)
    registering.accept(event, PersonFactory(), AcceptInput())
    late = registering.accept(event, PersonFactory(), AcceptInput()).registration
    assert late.status == S.WAITLISTED
    assert WaitlistEntry.objects.get(registration=late).outcome == "waiting"


def test_a_session_has_its_own_capacity():
    event = EventFactory(capacity=10)
    session = EventFactory(parent=event, kind="sub_forum", capacity=1)
    registering.accept(event, PersonFactory(), AcceptInput(session_ids=[session.pk]))
    with pytest.raises(registering.RegistrationError) as error:
        registering.accept(event, PersonFactory(), AcceptInput(session_ids=[session.pk]))
    assert error.value.code == "session_full"
    assert registering.session_places_taken(session) == 1


def test_a_session_of_another_event_cannot_be_chosen():
    event = EventFactory()
    other = EventFactory(parent=EventFactory(), kind="sub_forum")
    with pytest.raises(registering.RegistrationError) as error:
        registering.accept(event, PersonFactory(), AcceptInput(session_ids=[other.pk]))
    assert error.value.code == "invalid_session"


def test_required_question_must_be_answered_and_choices_are_checked():
    event = EventFactory()
    question = QuestionFactory(event=event, required=True, kind="choice", options="Halal\nVegan")
    with pytest.raises(registering.RegistrationError) as error:
        registering.accept(event, PersonFactory(), AcceptInput())
    assert error.value.code == "missing_answer"
    with pytest.raises(registering.RegistrationError):
        registering.accept(event, PersonFactory(), AcceptInput(answers={question.pk: "7"}))
    registration = registering.accept(
        event, PersonFactory(), AcceptInput(answers={question.pk: "1"})
    ).registration
    assert registration.answers.get().value == "1"


def test_waitlist_is_ordered_by_vip_level_then_time_and_a_decline_offers_the_place(
    committed, mailoutbox
):
    event = EventFactory(capacity=1, waitlist_hold_hours=24)
    first = PersonFactory(email="first@example.org")
    registering.accept(event, first, AcceptInput())
    plain = registering.accept(event, PersonFactory(vip_level=0), AcceptInput()).registration
    vip = registering.accept(
        event, PersonFactory(vip_level=3, email="vip@example.org"), AcceptInput()
    ).registration
    with committed():
        registering.decline(event, first, reason="travelling")
    vip.refresh_from_db()
    plain.refresh_from_db()
    assert vip.status == S.OFFERED
    assert vip.hold_until > timezone.now() + timedelta(hours=23)
    assert plain.status == S.WAITLISTED
    offer = [m for m in mailoutbox if "vip@example.org" in m.to[0]]
    assert offer
    assert "held for you" in offer[0].body
    # the hold counts against capacity: a newcomer waits
    newcomer = registering.accept(event, PersonFactory(), AcceptInput()).registration
    assert newcomer.status == S.WAITLISTED
    # the offered guest takes the place
    assert registering.take_offer(vip).registration.status == S.ACCEPTED


def test_an_expired_hold_moves_on_to_the_next_guest():
    event = EventFactory(capacity=1)
    first = PersonFactory()
    registering.accept(event, first, AcceptInput())
    second = registering.accept(event, PersonFactory(), AcceptInput()).registration
    third = registering.accept(event, PersonFactory(), AcceptInput()).registration
    registering.decline(event, first)
    second.refresh_from_db()
    assert second.status == S.OFFERED
    assert registering.expire_holds(now=timezone.now()) == 0  # not yet
    assert registering.expire_holds(now=second.hold_until + timedelta(seconds=1)) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.EXPIRED
    assert third.status == S.OFFERED
    assert WaitlistEntry.objects.get(registration=second).outcome == "expired"
    # running it again changes nothing
    assert registering.expire_holds(now=second.hold_until) == 0


def test_deadline_passed_refuses_guest_answers_but_staff_may_record():
    event = EventFactory(rsvp_deadline=timezone.now() - timedelta(hours=1))
    guest = PersonFactory()
    with pytest.raises(registering.RegistrationError) as error:
        registering.accept(event, guest, AcceptInput())
    assert error.value.code == "deadline_passed"
    staff = __import__("tests.factories", fromlist=["UserFactory"]).UserFactory()
    outcome = registering.accept(
        event, guest, AcceptInput(), channel="phone", staff=staff, reason="called on Monday"
    )
    change = outcome.registration.changes.get()
    assert (change.channel, change.staff, change.reason) == ("phone", staff, "called on Monday")


def test_delegate_becomes_a_crm_person_linked_to_the_invitee_and_is_a_request_when_invitation_only(
    committed, mailoutbox
):
    event = EventFactory(invitation_only=True, capacity=5)
    invitee = PersonFactory(email="minister@example.org", preferred_language="en")
    with committed():
        outcome = registering.send_delegate(
            event,
            invitee,
            DelegateInput(
                email="Deputy@Example.org", family_name="Schmidt", given_name="Eva", language="de"
            ),
        )
    assert outcome.registration.status == S.DELEGATED
    delegate = outcome.delegate
    assert delegate.status == S.REQUESTED
    assert delegate.delegate_of == outcome.registration
    assert delegate.person.preferred_language == "de"
    assert PersonEmail.objects.get(person=delegate.person).email == "Deputy@Example.org"
    assert Relationship.objects.filter(from_person=delegate.person, to_person=invitee).exists()
    languages = {m.to[0].split("<")[-1].rstrip(">"): m.subject for m in mailoutbox}
    assert (
        "Delegate" in languages["minister@example.org"]
        or "delegate" in languages["minister@example.org"]
    )
    assert "Anfrage" in languages["Deputy@Example.org"]  # German: request received
    # staff approve: a place
    staff = __import__("tests.factories", fromlist=["UserFactory"]).UserFactory()
    assert registering.approve_request(delegate, staff=staff).registration.status == S.ACCEPTED


def test_a_delegate_already_in_the_crm_is_matched_by_email_identity():
    event = EventFactory(invitation_only=False)
    known = PersonFactory(email="known@example.org")
    outcome = registering.send_delegate(
        event, PersonFactory(), DelegateInput(email="KNOWN@example.org ", family_name="X")
    )
    assert outcome.delegate.person == known
    assert outcome.delegate.status == S.ACCEPTED


def test_assistant_answers_and_both_get_a_confirmation_in_their_own_language(committed, mailoutbox):
    assistant = PersonFactory(email="sekretariat@example.de", preferred_language="de")
    principal = PersonFactory(
        email="wang@example.cn", preferred_language="zh-hans", assistant=assistant
    )
    event = EventFactory(capacity=5)
    with committed():
        registration = registering.accept(
            event, principal, AcceptInput(), answered_by=assistant, language="zh-hans"
        ).registration
    assert registration.answered_by == assistant
    assert registration.changes.get().answered_by == assistant
    by_address = {m.to[0].split("<")[-1].rstrip(">"): m for m in mailoutbox}
    assert "确认" in by_address["wang@example.cn"].subject
    assert "bestätigt" in by_address["sekretariat@example.de"].subject


def test_each_answer_becomes_a_crm_interaction_once(committed):
    event = EventFactory()
    guest = PersonFactory()
    with committed():
        registration = registering.accept(event, guest, AcceptInput()).registration
    change = registration.changes.get()
    interaction = Interaction.objects.get(source="outreach", source_ref=f"rsvp-change-{change.pk}")
    assert list(interaction.people.all()) == [guest]
    from outreach.services.registration_crm import record_change

    record_change(change.pk)
    assert Interaction.objects.filter(source="outreach").count() == 1


def test_changing_from_accept_to_decline_frees_the_place_and_is_kept_in_history():
    event = EventFactory(capacity=1)
    guest = PersonFactory()
    registering.accept(event, guest, AcceptInput())
    registering.decline(event, guest, reason="illness")
    registration = Registration.objects.get(person=guest)
    assert registration.decline_reason == "illness"
    assert list(registration.changes.values_list("to_status", flat=True)) == [
        S.ACCEPTED,
        S.DECLINED,
    ]
    assert registering.places_left(event) == 1


def test_every_status_is_reachable_and_none_waits_for_an_email_confirmation():
    # Open registrations and forwarded invitations confirm the address before anything is
    # stored, so no registration ever waits for one.
    assert "unconfirmed" not in S.values
    reached, frontier = set(), [None]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(S.values)


def test_an_offer_skips_a_waiting_guest_whose_session_is_full_and_goes_to_the_next():
    event = EventFactory(capacity=2)
    session = EventFactory(parent=event, kind="sub_forum", capacity=1)
    registering.accept(event, PersonFactory(), AcceptInput(session_ids=[session.pk]))
    leaving = registering.accept(event, PersonFactory(), AcceptInput()).registration
    wants_session = registering.accept(
        event, PersonFactory(vip_level=5), AcceptInput(session_ids=[session.pk])
    ).registration
    next_guest = registering.accept(event, PersonFactory(), AcceptInput()).registration
    assert wants_session.status == next_guest.status == S.WAITLISTED
    registering.decline(event, leaving.person)
    wants_session.refresh_from_db()
    next_guest.refresh_from_db()
    assert (wants_session.status, next_guest.status) == (S.WAITLISTED, S.OFFERED)
    assert registering.session_places_taken(session) == 1


def test_approving_a_request_drops_only_the_session_that_filled_up_meanwhile(campaign_manager):
    event = EventFactory(capacity=5)
    small = EventFactory(parent=event, kind="sub_forum", capacity=1)
    large = EventFactory(parent=event, kind="sub_forum", capacity=5)
    request = registering.accept(
        event, PersonFactory(), AcceptInput(session_ids=[small.pk, large.pk]), as_request=True
    ).registration
    assert request.status == S.REQUESTED
    registering.accept(event, PersonFactory(), AcceptInput(session_ids=[small.pk]))
    registering.approve_request(request, staff=campaign_manager)
    request.refresh_from_db()
    assert request.status == S.ACCEPTED
    assert [c.session for c in request.session_choices.all()] == [large]
    assert request.changes.last().details["sessions_dropped"] == [small.pk]
    assert registering.session_places_taken(small) == 1
