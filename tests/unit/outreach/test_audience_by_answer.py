"""Reminders and segments by answer: not answered (after N days), accepted, waitlisted,
declined — for an event or any stop of a roadshow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from crm.models import Segment
from crm.services.segments import resolve_segment_queryset
from outreach.services import audience
from outreach.services import registration as registering
from tests.factories import EventFactory, invited, make_campaign, make_contact

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def roadshow():
    show = EventFactory(kind="roadshow", name="Europe roadshow")
    hamburg = EventFactory(kind="roadshow_stop", parent=show, name="Hamburg")
    osaka = EventFactory(kind="roadshow_stop", parent=show, name="Osaka")
    return show, hamburg, osaka


def test_a_reminder_goes_only_to_invited_guests_without_an_answer_after_n_days(roadshow):
    show, hamburg, osaka = roadshow
    early = make_contact("early@example.org")
    late = make_contact("late@example.org")
    answered = make_contact("answered@example.org")
    never = make_contact("never@example.org")
    for person in (early, answered):
        message = invited(hamburg, person)
        message.sent_at = timezone.now() - timedelta(days=10)
        message.save()
    message = invited(osaka, late)
    message.sent_at = timezone.now() - timedelta(days=1)
    message.save()
    registering.decline(hamburg, answered)
    reminder = make_campaign(
        kind="reminder",
        people=[early, late, answered, never],
        answer_event=show,
        answer_filter="not_answered",
    )
    assert set(audience.audience_people(reminder)) == {early, late}
    reminder.not_answered_days = 7
    assert set(audience.audience_people(reminder)) == {early}


def test_practical_information_goes_to_accepted_guests_only(roadshow):
    _show, hamburg, _osaka = roadshow
    coming = make_contact("coming@example.org")
    waiting = make_contact("waiting@example.org")
    hamburg.capacity = 1
    hamburg.save()
    registering.accept(hamburg, coming, registering.AcceptInput())
    registering.accept(hamburg, waiting, registering.AcceptInput())
    campaign = make_campaign(
        kind="reminder", people=[coming, waiting], answer_event=hamburg, answer_filter="accepted"
    )
    assert list(audience.audience_people(campaign)) == [coming]
    campaign.answer_filter = "waitlisted"
    assert list(audience.audience_people(campaign)) == [waiting]


def test_a_segment_holds_accepted_any_stop_of_a_roadshow(roadshow):
    show, hamburg, osaka = roadshow
    a = make_contact("a@example.org")
    b = make_contact("b@example.org")
    make_contact("c@example.org")
    registering.accept(hamburg, a, registering.AcceptInput())
    registering.accept(osaka, b, registering.AcceptInput())
    registering.decline(osaka, a)
    segment = Segment.objects.create(
        name="Roadshow guests", extension_filters=[f"rsvp:{show.pk}.accepted"]
    )
    assert set(resolve_segment_queryset(segment)) == {a, b}
    from crm.segment_extensions import extension_choices

    labels = dict(extension_choices())
    assert labels[f"rsvp:{show.pk}.not_answered"].startswith("Europe roadshow (any part or stop)")


def test_segments_by_attendance_who_came_and_who_accepted_but_did_not(roadshow):
    """After the doors: a segment of the guests checked in at any stop (walk-ins included, as
    guests of the stop), and one of those who accepted but never came - also for a finished
    roadshow, the usual time to build them."""
    from outreach.services import checkin

    show, hamburg, osaka = roadshow
    came = make_contact("came@example.org")
    stayed_away = make_contact("away@example.org")
    declined = make_contact("declined@example.org")
    came_reg = registering.accept(hamburg, came, registering.AcceptInput()).registration
    registering.accept(osaka, stayed_away, registering.AcceptInput())
    registering.decline(osaka, declined)
    assert checkin.check_in_code(hamburg, checkin.code_for(came_reg))["outcome"] == "admitted"
    show.status = show.Status.FINISHED
    show.save()

    attended = Segment.objects.create(name="Came", extension_filters=[f"rsvp:{show.pk}.attended"])
    no_show = Segment.objects.create(name="Away", extension_filters=[f"rsvp:{show.pk}.no_show"])
    assert set(resolve_segment_queryset(attended)) == {came}
    assert set(resolve_segment_queryset(no_show)) == {stayed_away}
    from crm.segment_extensions import extension_choices

    labels = dict(extension_choices())
    assert labels[f"rsvp:{show.pk}.attended"].startswith("Europe roadshow (any part or stop)")
