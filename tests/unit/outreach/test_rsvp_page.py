"""The public RSVP page reached through an invitation's personal link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from outreach.models import Registration, RegistrationStatus, RevokedRsvpLink
from outreach.services.rendering import merge_values
from outreach.services.tokens import RSVP_SALT, make_rsvp_token
from tests.factories import EventFactory, PersonFactory, QuestionFactory, invited

S = RegistrationStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def site(site_structure):
    return site_structure


def _url(message) -> str:
    return reverse("outreach_rsvp", args=[make_rsvp_token("m", message.public_id)])


def test_the_invitation_link_points_to_the_rsvp_page_and_get_changes_nothing(client, site):
    event = EventFactory(capacity=3)
    person = PersonFactory(
        email="wang@example.cn", name_chinese="王伟", honorific="prof", preferred_language="zh-hans"
    )
    message = invited(event, person, language="zh-hans")
    url = merge_values(message.campaign, message)["rsvp_url"]
    assert "/rsvp/" in url
    response = client.get(url.split("localhost:8000")[-1])
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert "王伟教授" in html
    assert "您是否出席" in html
    assert not Registration.objects.exists()


def test_accepting_in_arabic_renders_right_to_left_and_records_the_answer(
    client, site, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=3, companion_allowance=1)
    person = PersonFactory(email="amal@example.ae", preferred_language="ar")
    message = invited(event, person, language="ar")
    url = _url(message)
    page = client.get(url).content.decode()
    assert 'dir="rtl"' in page
    assert "هل ستحضر" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"answer": "accept", "companion_0_latin": "Omar Haddad", "lang": "ar"}
        )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.status, registration.places, registration.invitation) == (
        S.ACCEPTED,
        2,
        message,
    )
    assert "تم تأكيد مقعدك" in mailoutbox[0].subject
    done = client.get(response["Location"]).content.decode()
    assert "تم حفظ ردك" in done


def test_decline_with_reason_then_change_to_accept_keeps_history(client, site):
    event = EventFactory()
    message = invited(event, PersonFactory())
    url = _url(message)
    client.post(url, {"answer": "decline", "decline_reason": "Travelling"})
    client.post(url, {"answer": "decline", "decline_reason": "Travelling"})  # same twice
    client.post(url, {"answer": "accept"})
    registration = Registration.objects.get()
    assert registration.status == S.ACCEPTED
    assert list(registration.changes.values_list("to_status", flat=True)) == [
        S.DECLINED,
        S.ACCEPTED,
    ]


def test_a_bad_answer_shows_the_error_in_the_guests_language_and_saves_nothing(client, site):
    event = EventFactory()
    QuestionFactory(event=event, label="Dietary needs", required=True)
    message = invited(event, PersonFactory(preferred_language="de"), language="de")
    response = client.post(_url(message), {"answer": "accept"})
    assert response.status_code == 400
    assert "Bitte beantworten Sie: Dietary needs" in response.content.decode()
    assert not Registration.objects.exists()


def test_tampered_link_shows_a_friendly_page_and_changes_nothing(client, site):
    message = invited(EventFactory(), PersonFactory())
    url = _url(message)[:-3] + "xyz/"
    assert client.get(url).status_code == 404
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert not Registration.objects.exists()


def test_revoked_link_is_refused_in_the_recipients_language(client, site):
    message = invited(EventFactory(), PersonFactory(preferred_language="ja"), language="ja")
    RevokedRsvpLink.objects.create(invitation=message)
    response = client.post(_url(message), {"answer": "accept"})
    assert response.status_code == 410
    assert "このリンクは無効になりました" in response.content.decode()
    assert not Registration.objects.exists()


def test_expired_link_is_refused_in_the_recipients_language(client, site, settings):
    message = invited(EventFactory(), PersonFactory(preferred_language="ru"), language="ru")
    old = signing.TimestampSigner(salt=RSVP_SALT)
    token = old.sign(f"m.{message.public_id}")
    settings.RSVP_LINK_MAX_AGE_DAYS = 0
    import time

    time.sleep(1.1)
    response = client.get(reverse("outreach_rsvp", args=[token]))
    assert response.status_code == 410
    assert "Срок действия ссылки истёк" in response.content.decode()


def test_after_the_deadline_the_page_says_so_politely_and_a_post_changes_nothing(client, site):
    event = EventFactory(rsvp_deadline=timezone.now() - timedelta(minutes=1))
    message = invited(event, PersonFactory())
    url = _url(message)
    assert "The deadline for answering has passed" in client.get(url).content.decode()
    assert client.post(url, {"answer": "accept"}).status_code == 409
    assert not Registration.objects.exists()


def test_an_assistants_link_answers_for_the_principal_and_records_who_answered(client, site):
    assistant = PersonFactory(email="office@example.de", preferred_language="de")
    principal = PersonFactory(preferred_language="en", assistant=assistant)
    message = invited(EventFactory(), principal, language="de", via_assistant=assistant)
    url = _url(message)
    assert "als Assistenz" in client.get(url).content.decode()
    client.post(url, {"answer": "accept"})
    registration = Registration.objects.get()
    assert registration.person == principal
    assert registration.answered_by == assistant
    assert registration.language == "en"


def test_merge_fields_give_the_event_in_the_recipients_language_and_zone():
    event = EventFactory(time_zone="Europe/Berlin", name="WSMF Hamburg (staff name)")
    message = invited(event, PersonFactory(preferred_language="zh-hans"), language="zh-hans")
    from django.utils import translation

    with translation.override("zh-hans"):
        values = merge_values(message.campaign, message)
    assert "中欧" in values["event_time"]  # 中欧标准时间 / 中欧夏令时间
    assert values["event_venue"].startswith("Elbphilharmonie")


def test_an_answer_through_the_page_costs_a_fixed_small_number_of_queries(
    client, site, django_assert_max_num_queries
):
    # The invitation (with event, guest, assistant, revocation) in one query; then, in the
    # transaction: the event's lock, the guest's registration, the places taken, the
    # registration, its history row and its audit log (with Wagtail's check of its content
    # type); a waitlist row when full; 9 statements, plus the savepoint's two in a test
    # (BEGIN and COMMIT in production). Mail, CRM and reference index follow in a task.
    event = EventFactory(capacity=1)
    QuestionFactory(event=event, label="Dietary needs")
    client.post(_url(invited(event, PersonFactory())), {"answer": "accept"})  # warm caches
    url = _url(invited(event, PersonFactory()))
    with django_assert_max_num_queries(11):
        response = client.post(url, {"answer": "accept"})
    assert response.status_code == 302
    assert Registration.objects.filter(status=S.WAITLISTED).count() == 1
