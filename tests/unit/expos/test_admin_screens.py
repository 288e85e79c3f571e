"""The expo's staff screens: approve and re-tier a buyer (with a reason), force a request, lock
a meeting, run the scheduler for an expo and see what was placed and what not (and why), and a
participant's agenda with its .ics download; records naming a restricted person stay hidden."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import ModelLogEntry

from crm.models import Person
from tests.factories import (
    BuyerFactory,
    EventFactory,
    ExhibitorFactory,
    MeetingFactory,
    MeetingRequestFactory,
    MeetingSlotFactory,
    MeetingTableFactory,
    PersonFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def expo():
    return EventFactory(kind="expo", name="Ningbo expo (test)", time_zone="Asia/Shanghai")


def buyer_at(expo, **kwargs):
    person = kwargs.pop("person", None) or PersonFactory(family_name="Hartmann")
    return BuyerFactory(registration=RegistrationFactory(event=expo, person=person), **kwargs)


def test_an_officer_approves_a_buyer_from_the_admin(officer, expo):
    buyer = buyer_at(expo)
    response = client_for(officer).post(reverse("expos_buyer_approve", args=[buyer.pk]))
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert buyer.approved_at is not None
    assert buyer.approved_by == officer


def test_a_viewer_may_not_approve_a_buyer(viewer, expo):
    buyer = buyer_at(expo)
    response = client_for(viewer).post(reverse("expos_buyer_approve", args=[buyer.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")  # Wagtail's "permission denied"
    buyer.refresh_from_db()
    assert buyer.approved_at is None


def test_re_tiering_a_buyer_records_the_reason_in_the_history(officer, expo):
    buyer = buyer_at(expo, tier="C")
    client = client_for(officer)
    url = reverse("expos_buyer_retier", args=[buyer.pk])
    assert (
        "调整客商层级" in client.get(url).content.decode()
    )  # the admin speaks the office's language
    response = client.post(url, {"tier": "A", "reason": "Signed a purchasing mandate"})
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert buyer.tier == "A"
    entry = ModelLogEntry.objects.get(action="expos.buyer.retier", object_id=str(buyer.pk))
    assert entry.data["reason"] == "Signed a purchasing mandate"


def test_re_tiering_without_a_reason_is_refused_with_a_message(officer, expo):
    buyer = buyer_at(expo, tier="C")
    response = client_for(officer).post(
        reverse("expos_buyer_retier", args=[buyer.pk]), {"tier": "A", "reason": " "}
    )
    assert response.status_code == 200
    assert "error" in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.tier == "C"


def test_a_forced_request_is_accepted(officer, expo):
    row = MeetingRequestFactory(buyer=buyer_at(expo), exhibitor=ExhibitorFactory(event=expo))
    client = client_for(officer)
    url = reverse("expos_request_force", args=[row.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    row.refresh_from_db()
    assert row.forced
    assert row.status == "accepted"


def test_running_the_scheduler_shows_placed_meetings_and_the_reasons_of_the_others(officer, expo):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    slot = MeetingSlotFactory(
        event=expo, starts_at=start, ends_at=start + datetime.timedelta(minutes=20)
    )
    table = MeetingTableFactory(event=expo, hall="A", label="T1")
    exhibitor = ExhibitorFactory(event=expo, languages=["en"])
    placed = MeetingRequestFactory(
        buyer=buyer_at(expo, tier="A", languages=["en"]), exhibitor=exhibitor, status="accepted"
    )
    # The same exhibitor cannot meet two buyers in the expo's only slot.
    left_out = MeetingRequestFactory(
        buyer=buyer_at(expo, tier="C", languages=["en"], person=PersonFactory()),
        exhibitor=exhibitor,
        status="accepted",
    )
    client = client_for(officer)
    url = reverse("expos_schedule", args=[expo.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert placed.meeting.slot == slot
    assert placed.meeting.table == table
    assert (
        "已安排 1 场会见，1 场未能安排" in page
    )  # "1 placed, 1 not placed" in the office's language
    left_out.refresh_from_db()
    assert left_out.unplaced_reasons
    assert "已接受但未能安排的请求" in page  # "Accepted requests not placed"
    assert str(left_out.buyer.registration.person) in page


def test_a_viewer_sees_the_grid_but_cannot_run_the_scheduler(viewer, expo):
    client = client_for(viewer)
    url = reverse("expos_schedule", args=[expo.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response["Location"] == reverse("wagtailadmin_home")  # Wagtail's "permission denied"
    assert not ModelLogEntry.objects.filter(action="expos.schedule").exists()


def test_a_locked_meeting_stays_locked(officer, expo):
    meeting = MeetingFactory(
        request=MeetingRequestFactory(
            buyer=buyer_at(expo), exhibitor=ExhibitorFactory(event=expo), status="accepted"
        ),
        slot=MeetingSlotFactory(event=expo),
        table=MeetingTableFactory(event=expo),
    )
    response = client_for(officer).post(
        reverse("expos_meeting_lock", args=[meeting.pk]), {"locked": "1"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.locked


def test_the_buyers_agenda_offers_an_ics_per_meeting_in_the_buyers_language(officer, expo):
    start = datetime.datetime(2026, 12, 10, 2, 0, tzinfo=datetime.UTC)
    buyer = buyer_at(expo)
    buyer.registration.language = "zh-hans"
    buyer.registration.save(update_fields=["language"])
    meeting = MeetingFactory(
        request=MeetingRequestFactory(
            buyer=buyer, exhibitor=ExhibitorFactory(event=expo), status="accepted"
        ),
        slot=MeetingSlotFactory(
            event=expo, starts_at=start, ends_at=start + datetime.timedelta(minutes=20)
        ),
        table=MeetingTableFactory(event=expo, hall="B", label="T7"),
    )
    client = client_for(officer)
    agenda = client.get(reverse("expos_buyer_agenda", args=[buyer.pk])).content.decode()
    ics_url = reverse("expos_meeting_ics_buyer", args=[meeting.pk])
    assert ics_url in agenda
    assert "10:00" in agenda  # 02:00 UTC in the expo's time zone (Asia/Shanghai)
    response = client.get(ics_url)
    assert response["Content-Type"] == "text/calendar"
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["UID"] == f"meeting-{meeting.request_id}@liaison"
    assert str(event["SUMMARY"]).startswith("与")  # "与…洽谈": in the buyer's language


def test_a_restricted_buyer_is_hidden_from_a_viewer_everywhere(viewer, officer, expo):
    secret = PersonFactory(family_name="Quillfeather", restricted=True, owner=officer)
    buyer = buyer_at(expo, person=secret)
    meeting = MeetingFactory(
        request=MeetingRequestFactory(
            buyer=buyer, exhibitor=ExhibitorFactory(event=expo), status="accepted"
        ),
        slot=MeetingSlotFactory(event=expo),
        table=MeetingTableFactory(event=expo),
    )
    client = client_for(viewer)
    assert client.get(reverse("expos_buyer_agenda", args=[buyer.pk])).status_code == 404
    assert client.get(reverse("expos_meeting_ics_buyer", args=[meeting.pk])).status_code == 404
    for url in [
        reverse("wagtailsnippets_expos_buyer:list"),
        reverse("wagtailsnippets_expos_meetingrequest:list"),
        reverse("expos_schedule", args=[expo.pk]),
        reverse("expos_exhibitor_agenda", args=[meeting.request.exhibitor_id]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Quillfeather" not in response.content.decode(), url
    assert Person.objects.filter(pk=secret.pk).exists()


def test_the_buyer_list_shows_one_expos_buyers_with_their_tier(viewer, expo):
    buyer_at(expo, tier="A", person=PersonFactory(family_name="Okonkwo"))
    buyer_at(EventFactory(kind="expo"), person=PersonFactory(family_name="Lindqvist"))
    response = client_for(viewer).get(
        reverse("wagtailsnippets_expos_buyer:list"), {"registration__event": expo.pk}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Okonkwo" in page
    assert "Lindqvist" not in page
