"""The door: scans stored once, conflicts named, revoked codes refused, walk-ins, door staff who
see only the door, badges and the order of precedence."""

from __future__ import annotations

import io
import json
import re
import threading
import uuid

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from crm.models import Interaction, Person
from outreach.models import CheckIn, DoorAssignment, Registration
from outreach.models.registrations import AnswerChannel, Companion, RegistrationStatus
from outreach.services import checkin, door
from outreach.services import registration as registrations
from tests.factories import AffiliationFactory, EventFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _confirmed(event, person=None, companions=()):
    person = person or PersonFactory()
    outcome = registrations.accept(
        event,
        person,
        registrations.AcceptInput(
            companions=[registrations.CompanionInput(name_native=c) for c in companions]
        ),
        channel=AnswerChannel.STAFF,
        notify=False,
    )
    assert outcome.registration.status == RegistrationStatus.ACCEPTED
    return outcome.registration


def _scan(registration, attendee=0, **extra):
    return {
        "scan_id": str(uuid.uuid4()),
        "registration": str(registration.public_id),
        "attendee": attendee,
        "gate": "2",
        "device": "phone-A",
        "scanned_at": timezone.now().isoformat(),
        **extra,
    }


@pytest.fixture
def event():
    return EventFactory(capacity=None, companion_allowance=2)


def test_an_offline_queue_uploaded_twice_counts_each_scan_once(event):
    registration = _confirmed(event, companions=["李娜"])
    queue = [_scan(registration), _scan(registration, attendee=1)]
    first = checkin.record_scans(event, queue)
    again = checkin.record_scans(event, queue)
    assert [r["outcome"] for r in first] == ["admitted", "admitted"]
    assert [r["duplicate"] for r in again] == [True, True]
    assert CheckIn.objects.filter(event=event).count() == 2


def test_a_second_entry_is_a_conflict_that_names_gate_time_and_device(event):
    registration = _confirmed(event)
    checkin.record_scans(event, [_scan(registration, gate="2", device="phone-A")])
    (result,) = checkin.record_scans(event, [_scan(registration, gate="5", device="phone-B")])
    assert result["outcome"] == "conflict"
    assert "gate 2" in result["message"]
    assert "phone-A" in result["message"]
    assert CheckIn.objects.filter(outcome="admitted").count() == 1


def test_after_an_exit_the_guest_may_enter_again(event):
    registration = _confirmed(event)
    checkin.record_scans(event, [_scan(registration)])
    checkin.record_scans(event, [_scan(registration, direction="out")])
    (result,) = checkin.record_scans(event, [_scan(registration)])
    assert result["outcome"] == "admitted"


def test_a_signed_code_checks_in_and_a_revoked_registration_is_refused(event):
    registration = _confirmed(event)
    code = checkin.code_for(registration)
    assert checkin.check_in_code(event, code)["outcome"] == "admitted"

    other = _confirmed(event)
    registrations.decline(event, other.person, channel=AnswerChannel.STAFF, notify=False)
    result = checkin.check_in_code(event, checkin.code_for(other))
    assert result["outcome"] == "refused"
    assert str(other.public_id) in checkin.door_manifest(event)["revoked"]


def test_a_code_for_another_event_or_a_forged_one_admits_no_one(event):
    registration = _confirmed(event)
    elsewhere = EventFactory()
    assert checkin.check_in_code(elsewhere, checkin.code_for(registration))["code"] == "other_event"
    forged = checkin.code_for(registration)[:-6] + "AAAAAA"
    assert checkin.check_in_code(event, forged)["outcome"] == "invalid"
    assert not CheckIn.objects.exists()


def test_bad_scans_are_reported_and_never_stop_the_others(event):
    registration = _confirmed(event)
    results = checkin.record_scans(
        event,
        [{"scan_id": "x"}, _scan(registration, attendee=7), "junk", _scan(registration)],
    )
    assert [r["outcome"] for r in results] == ["invalid", "refused", "invalid", "admitted"]


def test_the_door_list_holds_names_not_contact_details(event):
    person = PersonFactory(full_name_native="王伟", name_latin="Wang Wei")
    AffiliationFactory(person=person, position="教授")
    _confirmed(event, person=person, companions=["李娜"])
    manifest = checkin.door_manifest(event)
    text = json.dumps(manifest, ensure_ascii=False)
    assert "王伟" in text
    assert "李娜" in text
    assert "@" not in text
    guest = next(g for g in manifest["guests"] if g["attendee"] == 0)
    assert "wangwei" in guest["search"]


def test_attendance_becomes_one_crm_interaction(event, django_capture_on_commit_callbacks):
    from outreach import tasks

    registration = _confirmed(event)
    with django_capture_on_commit_callbacks() as callbacks:
        checkin.record_scans(event, [_scan(registration)])
    assert len(callbacks) == 1  # the worker's task, queued once the scan is stored
    with django_capture_on_commit_callbacks() as callbacks:
        checkin.record_scans(event, [_scan(registration, direction="out")])
        checkin.record_scans(event, [_scan(registration)])
    assert len(callbacks) == 1  # re-entry after an exit
    # what the worker runs, twice (a task may be delivered again): one interaction
    tasks.record_attendance([registration.pk], None)
    tasks.record_attendance([registration.pk], None)
    interactions = Interaction.objects.filter(kind="event_attendance", people=registration.person)
    assert interactions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_devices_scanning_one_code_at_once_record_one_entry_and_one_conflict(event):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole-database writes)")
    registration = _confirmed(event)
    barrier = threading.Barrier(2)
    outcomes = []

    def device(name):
        from django.db import connections

        barrier.wait()
        outcomes.extend(
            r["outcome"] for r in checkin.record_scans(event, [_scan(registration, device=name)])
        )
        connections.close_all()

    threads = [threading.Thread(target=device, args=(n,)) for n in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["admitted", "conflict"]


def test_a_walk_in_is_registered_with_consent_and_checked_in(event):
    staff = UserFactory(is_superuser=True)
    registration = door.register_walk_in(
        event,
        acting_user=staff,
        family_name="Becker",
        given_name="Anna",
        email="anna.becker@example.de",
        consent=True,
    )
    assert registration.status == RegistrationStatus.ACCEPTED
    assert registration.person.consents.filter(purpose="event_invitations").exists()
    assert CheckIn.objects.get(registration=registration).method == "walk_in"
    # the same email again is the same person, not a duplicate
    again = door.register_walk_in(
        EventFactory(), acting_user=staff, family_name="Becker", email="ANNA.BECKER@example.de"
    )
    assert again.person == registration.person
    assert Person.objects.filter(family_name="Becker").count() == 1


def test_walk_in_matches_name_people_never_their_contact_details(event):
    PersonFactory(full_name_native="陈静", name_latin="Chen Jing", email="chen@example.cn")
    staff = UserFactory(is_superuser=True)
    matches = door.walk_in_matches(staff, "陈静", event=event)
    assert matches
    assert matches[0]["name"].startswith("陈静")
    assert "@" not in json.dumps(matches)


def test_door_staff_reach_their_event_and_nothing_of_the_crm(client, event):
    user = UserFactory(username="door1")
    user.groups.add(Group.objects.get(name="Door staff"))
    DoorAssignment.objects.create(event=event, user=user, gate="A")
    other = EventFactory()
    client.force_login(user)
    assert client.get(reverse("outreach_checkin_index")).status_code == 200
    assert client.get(reverse("outreach_checkin_screen", args=[event.pk])).status_code == 200
    assert client.get(reverse("outreach_checkin_manifest", args=[event.pk])).status_code == 200
    # Wagtail answers a refusal in its admin with a redirect to the dashboard and a message
    for url in (
        reverse("outreach_checkin_screen", args=[other.pk]),
        reverse("outreach_checkin_badges", args=[event.pk]),
        "/admin/snippets/crm/person/",
        "/admin/campaigns/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:
            assert response["Location"] in ("/admin/", "/admin/login/?next=" + url), url
    assert client.get("/api/v1/people/").status_code in (401, 403)


def test_sync_endpoint_takes_a_queue_and_answers_per_scan(client, event):
    registration = _confirmed(event)
    client.force_login(UserFactory(is_superuser=True))
    scans = [_scan(registration), _scan(registration)]
    response = client.post(
        reverse("outreach_checkin_sync", args=[event.pk]),
        data=json.dumps({"scans": scans}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [r["outcome"] for r in response.json()["results"]] == ["admitted", "conflict"]
    bad = client.post(
        reverse("outreach_checkin_sync", args=[event.pk]), data="[", content_type="application/json"
    )
    assert bad.status_code == 400


def test_badges_batch_has_a_page_per_guest_and_companion(client, event):
    _confirmed(event, person=PersonFactory(full_name_native="محمد بن راشد"), companions=["李娜"])
    _confirmed(event, person=PersonFactory(full_name_native="山田太郎", preferred_language="ja"))
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("outreach_checkin_badges", args=[event.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 3
    text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    assert "山田太郎" in text
    assert "محمد" in text


def test_precedence_orders_by_office_and_staff_can_override(client, event):
    mayor = _confirmed(event, person=PersonFactory(full_name_native="Mayor Brandt"))
    AffiliationFactory(person=mayor.person, position="Mayor")
    minister = _confirmed(event, person=PersonFactory(full_name_native="=cmd|' /C calc'!A0"))
    AffiliationFactory(person=minister.person, position="Minister")
    rows = door.precedence_rows(event)
    assert [r["registration"] for r in rows] == [minister, mayor]

    client.force_login(UserFactory(is_superuser=True))
    url = reverse("outreach_checkin_precedence", args=[event.pk])
    client.post(url, {f"rank-{mayor.pk}": "1", f"rank-{minister.pk}": ""})
    assert [r["registration"] for r in door.precedence_rows(event)] == [mayor, minister]
    sheet = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names[1].startswith("'=")  # a formula is shown as text, never run
    assert client.get(url + "?format=pdf")["Content-Type"] == "application/pdf"


def test_companions_of_a_registration_are_listed_for_the_door(event):
    registration = _confirmed(event, companions=["李娜", "Hans"])
    assert Companion.objects.filter(registration=registration).count() == 2
    attendees = [g["attendee"] for g in checkin.door_manifest(event)["guests"]]
    assert attendees == [0, 1, 2]
    assert Registration.objects.count() == 1


def test_the_guest_sees_their_codes_from_their_rsvp_link_in_their_language(client, event):
    from outreach.services.tokens import make_rsvp_token

    registration = _confirmed(
        event,
        person=PersonFactory(full_name_native="Jürgen Weber", preferred_language="de"),
        companions=["Anna Weber"],
    )
    registration.language = "de"
    registration.save(update_fields=["language"])
    token = make_rsvp_token("r", registration.public_id)
    response = client.get(reverse("outreach_checkin_code", args=[token]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ihr Check-in-Code" in page
    assert page.count("<svg") == 2  # the guest and the companion
    assert "Anna Weber" in page

    registrations.decline(event, registration.person, channel=AnswerChannel.STAFF, notify=False)
    page = client.get(reverse("outreach_checkin_code", args=[token])).content.decode()
    assert "<svg" not in page
    tampered = client.get(reverse("outreach_checkin_code", args=["tampered"]), follow=True)
    assert tampered.status_code == 404
    assert "<svg" not in tampered.content.decode()


def test_a_large_queue_is_stored_in_one_pass_and_attendance_follows_in_a_worker(
    event, django_assert_max_num_queries
):
    from outreach import tasks

    guests = [_confirmed(event) for _ in range(30)]
    queue = [_scan(g) for g in guests] + [_scan(guests[0])]
    with django_assert_max_num_queries(12):
        results = checkin.record_scans(event, queue)
    assert [r["outcome"] for r in results].count("admitted") == 30
    assert results[-1]["outcome"] == "conflict"
    # what the worker runs for the queue's arrivals
    tasks.record_attendance([g.pk for g in guests], None)
    assert Interaction.objects.filter(kind="event_attendance").count() == 30


def test_the_confirmation_carries_the_check_in_code(event):
    from outreach.services.registration_mail import build_mail

    person = PersonFactory(full_name_native="Jürgen Weber", email="j.weber@example.de")
    registration = _confirmed(event, person=person)
    change = registration.changes.order_by("-pk").first()
    mail = build_mail(change, recipient=person, address="j.weber@example.de", language="de")
    (_name, content, mimetype), *_rest = [a for a in mail.attachments if a[0].endswith(".png")]
    assert mimetype == "image/png"
    assert content.startswith(b"\x89PNG")
    assert "/code/" in mail.body
    assert "QR-Code" in mail.body


def test_a_restricted_guest_is_admitted_but_named_only_to_whom_may_see_them(event, client):
    owner = UserFactory(username="owner")
    door_user = UserFactory(username="door2")
    door_user.groups.add(Group.objects.get(name="Door staff"))
    DoorAssignment.objects.create(event=event, user=door_user)
    secret = PersonFactory(full_name_native="Zebulon Secret", restricted=True, owner=owner)
    registration = _confirmed(event, person=secret)
    at_the_door = json.dumps(checkin.door_manifest(event, door_user), ensure_ascii=False)
    assert "Zebulon" not in at_the_door
    assert "(restricted contact)" in at_the_door
    assert "Zebulon" in json.dumps(checkin.door_manifest(event, owner), ensure_ascii=False)
    assert checkin.check_in_code(event, checkin.code_for(registration))["outcome"] == "admitted"
    client.force_login(door_user)
    badge = client.get(reverse("outreach_checkin_badge", args=[registration.public_id]))
    assert badge.status_code in (302, 403, 404)  # refused, never the badge


def test_a_reminder_links_the_guest_to_their_check_in_codes(event, client):
    from outreach.models import Message
    from outreach.services.rendering import merge_values
    from tests.factories import make_campaign

    registration = _confirmed(event, person=PersonFactory(full_name_native="王伟"))
    reminder = make_campaign(kind="reminder", event=event, name="See you tomorrow")
    message = Message.objects.create(
        campaign=reminder,
        person=registration.person,
        email="wang@example.cn",
        email_digest="d-wang",
        language="zh-hans",
        due_at=timezone.now(),
    )
    url = merge_values(reminder, message)["checkin_code_url"]
    assert "/code/" in url
    page = client.get(url[url.index("/rsvp/") :]).content.decode()
    assert page.count("<svg") == 1


def test_a_reminder_shows_the_guest_their_own_code_as_an_image(event, client):
    """`{{ checkin_code }}` in a reminder: an image of this guest's code in the HTML part (the
    PNG the door scans), the code page's link in the text part; nothing before confirmation."""
    from outreach.badges import qr_png
    from outreach.models import Message
    from outreach.services.rendering import build_email
    from tests.factories import make_campaign

    confirmed = _confirmed(event, person=PersonFactory(full_name_native="王伟"))
    reminder = make_campaign(kind="reminder", event=event, name="See you tomorrow")
    content = reminder.contents.get()
    content.body = "<p>Show this at the door:</p><p>{{ checkin_code }}</p>"
    content.save()

    def message_for(person, digest):
        return Message.objects.create(
            campaign=reminder,
            person=person,
            email=f"{digest}@example.cn",
            email_digest=digest,
            language=content.language,
            due_at=timezone.now(),
        )

    mail = build_email(reminder, content, message_for(confirmed.person, "d-wang"))
    html = mail.alternatives[0][0]
    src = re.search(r'<img src="([^"]+)"', html).group(1)
    assert src.endswith("/code.png")
    image = client.get(src[src.index("/rsvp/") :])
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image.content == qr_png(checkin.code_for(confirmed))
    # The text part names the code and links the page with it.
    assert f"Your check-in code ({src.removesuffix('.png')}/)" in mail.body

    # Someone invited who has not answered: no code to show.
    stranger = message_for(PersonFactory(full_name_native="Lena Vogel"), "d-lena")
    html = build_email(reminder, content, stranger).alternatives[0][0]
    src = re.search(r'<img src="([^"]+)"', html).group(1)
    assert client.get(src[src.index("/rsvp/") :]).status_code == 404
