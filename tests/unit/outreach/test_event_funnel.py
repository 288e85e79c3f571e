"""The event funnel against a hand-built roadshow: each stage counts people once, a bounced
invitation is not delivered, restricted guests are counted only for those who may see them."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import CheckIn, Message, MessageStatus
from outreach.models.registrations import AnswerChannel
from outreach.services import checkin, door, event_funnel
from outreach.services import registration as registrations
from tests.factories import EventFactory, PersonFactory, UserFactory, make_campaign

pytestmark = pytest.mark.django_db


def _invite(campaign, person, *, delivered=False, bounced=False, opened=False, language="en"):
    now = timezone.now()
    return Message.objects.create(
        campaign=campaign,
        person=person,
        email=f"p{person.pk}@example.org",
        email_digest=f"digest-{person.pk}-{campaign.pk}",
        language=language,
        due_at=now,
        status=MessageStatus.SENT,
        sent_at=now,
        delivered_at=now if delivered else None,
        bounced_at=now if bounced else None,
        opened_at=now if opened else None,
    )


@pytest.fixture
def roadshow():
    """Stop Hamburg: 5 invited (one twice, one bounced after a delivery report), 2 opened;
    answers: accepted + came, declined, delegated, no answer; a walk-in. Stop Osaka: 1 invited,
    accepted. One restricted guest in Hamburg, invited and accepted."""
    officer = UserFactory(username="owner")
    show = EventFactory(kind="roadshow", name="Europe roadshow", capacity=None)
    hamburg = EventFactory(kind="roadshow_stop", parent=show, name="Hamburg", capacity=None)
    osaka = EventFactory(kind="roadshow_stop", parent=show, name="Osaka", capacity=None)
    invitation = make_campaign(kind="invitation", event=hamburg)
    reminder = make_campaign(kind="invitation", event=hamburg, name="Second wave")
    came, declined, delegated, silent, bounced = (
        PersonFactory(country="DE", preferred_language="de") for _ in range(5)
    )
    secret = PersonFactory(country="DE", restricted=True, owner=officer)
    _invite(invitation, came, delivered=True, opened=True, language="de")
    _invite(reminder, came, delivered=True, opened=True, language="de")  # twice: one person
    _invite(invitation, declined, delivered=True, opened=True, language="de")
    _invite(invitation, delegated, delivered=True, language="de")
    _invite(invitation, silent, delivered=True, language="en")
    _invite(invitation, bounced, delivered=True, bounced=True, language="en")
    _invite(invitation, secret, delivered=True, language="de")
    accept = registrations.AcceptInput()
    kept = registrations.accept(hamburg, came, accept, channel=AnswerChannel.STAFF, notify=False)
    registrations.decline(hamburg, declined, channel=AnswerChannel.STAFF, notify=False)
    registrations.send_delegate(
        hamburg,
        delegated,
        registrations.DelegateInput(email="deputy@example.de", family_name="Vogel"),
        channel=AnswerChannel.STAFF,
        notify=False,
    )
    registrations.accept(hamburg, secret, accept, channel=AnswerChannel.STAFF, notify=False)
    checkin.record_scans(
        hamburg,
        [
            {
                "scan_id": "6a1f4a38-3d1e-4c2e-9d77-2f0f5f5d8a01",
                "registration": str(kept.registration.public_id),
            }
        ],
    )
    door.register_walk_in(hamburg, acting_user=UserFactory(), family_name="Walk", given_name="In")
    tokyo = make_campaign(kind="invitation", event=osaka, name="Osaka")
    osaka_guest = PersonFactory(country="JP")
    _invite(tokyo, osaka_guest, delivered=True, language="ja")
    registrations.accept(osaka, osaka_guest, accept, channel=AnswerChannel.STAFF, notify=False)
    return {"show": show, "hamburg": hamburg, "osaka": osaka, "officer": officer}


def test_each_stage_counts_people_once_and_bounces_are_not_delivered(roadshow):
    viewer = UserFactory(is_superuser=False)
    totals = event_funnel.totals(roadshow["hamburg"], user=viewer)
    assert totals["invited"] == 5
    assert totals["delivered"] == 4
    assert totals["opened"] == 2
    # came, declined, delegated; the delegate's own registration is accepted too
    assert totals["declined"] == 1
    assert totals["delegated"] == 1
    assert totals["attended"] == 2  # the guest who came and the walk-in
    assert totals["walk_ins"] == 1
    assert CheckIn.objects.filter(event=roadshow["hamburg"]).count() == 2


def test_the_restricted_guest_counts_only_for_whom_may_see_them(roadshow):
    viewer = UserFactory()
    admin = UserFactory(is_superuser=True)
    assert event_funnel.totals(roadshow["hamburg"], user=viewer)["invited"] == 5
    assert event_funnel.totals(roadshow["hamburg"], user=roadshow["officer"])["invited"] == 6
    assert event_funnel.totals(roadshow["hamburg"], user=admin)["invited"] == 6


def test_a_roadshow_adds_up_its_stops_and_lists_the_least_subscribed_first(roadshow):
    admin = UserFactory(is_superuser=True)
    assert event_funnel.totals(roadshow["show"], user=admin)["invited"] == 7
    stops = event_funnel.stops(roadshow["show"], user=admin)
    assert [stop.name for stop, _counts in stops] == ["Hamburg", "Osaka"]


def test_breakdown_by_language_and_country(roadshow):
    admin = UserFactory(is_superuser=True)
    by_language = event_funnel.funnel(roadshow["hamburg"], user=admin, breakdown="language")
    assert by_language["de"]["invited"] == 4
    assert by_language["en"]["invited"] == 2
    by_country = event_funnel.funnel(roadshow["show"], user=admin, breakdown="country")
    assert by_country["JP"]["accepted"] == 1


def test_not_answered_lists_the_silent_and_the_bounced(roadshow):
    admin = UserFactory(is_superuser=True)
    people = list(event_funnel.not_answered(roadshow["hamburg"], user=admin))
    assert len(people) == 2


def test_funnel_screen_and_exports(client, roadshow):
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("outreach_event_funnel", args=[roadshow["show"].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Hamburg" in page.content.decode()
    rows = list(
        csv.reader(io.StringIO(client.get(url + "?format=csv&by=language").content.decode()))
    )
    assert rows[0][0] == "Language"
    assert client.get(url + "?format=xlsx").status_code == 200
    assert client.get(url + "?list=not_answered").status_code == 200
    assert client.get(url + "?by=country").status_code == 200
