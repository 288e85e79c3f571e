"""Reminders to accepted guests carry the practical information, in the guest's language."""

from __future__ import annotations

import pytest
from django.utils import timezone

from outreach.models import Message
from outreach.services.rendering import merge_values, render_for
from tests.factories import EventFactory, PersonFactory, RegistrationFactory, make_campaign

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def event_with_page(site_structure):
    from site_cms.models import EventIndexPage, EventPage

    event = EventFactory(
        venue="Elbphilharmonie",
        address="Platz der Deutschen Einheit 4",
        city="Hamburg",
        country="DE",
        time_zone="Europe/Berlin",
    )
    index = site_structure.add_child(instance=EventIndexPage(title="活动", slug="events"))
    index.add_child(
        instance=EventPage(
            title="汉堡论坛",
            slug="forum-hh",
            event=event,
            intro_text="x",
            dress_code="商务正装",
            what_to_bring="护照",
        )
    )
    return event


def _reminder_to(event, person, language: str, **fields):
    reminder = make_campaign(
        kind="reminder", event=event, languages=(language,), name="See you tomorrow", **fields
    )
    message = Message.objects.create(
        campaign=reminder,
        person=person,
        email="guest@example.cn",
        email_digest=f"d-{person.pk}",
        language=language,
        due_at=timezone.now(),
    )
    return reminder, message


def test_a_reminder_to_accepted_guests_carries_the_practical_information_in_their_language(
    event_with_page,
):
    event = event_with_page
    guest = PersonFactory(preferred_language="zh-hans", time_zone="Asia/Shanghai")
    RegistrationFactory(event=event, person=guest)
    reminder, message = _reminder_to(
        event, guest, "zh-hans", answer_event=event, answer_filter="accepted"
    )
    email = render_for(reminder, message)
    for text in (email.body, email.alternatives[0][0]):
        assert "参会须知" in text
        assert "Elbphilharmonie" in text
        assert "Platz der Deutschen Einheit 4" in text
        assert "openstreetmap.org" in text
        assert "中欧" in text  # the event's zone, named in Chinese
        assert "中国标准时间" in text  # and the guest's own
        assert "商务正装" in text
        assert "护照" in text
        assert "/code/" in text  # the check-in code link


def test_other_campaigns_carry_the_block_only_where_their_text_asks_for_it(event_with_page):
    event = event_with_page
    guest = PersonFactory(preferred_language="en", time_zone="Europe/Berlin")
    reminder, message = _reminder_to(event, guest, "en", answer_event=event, answer_filter="")
    email = render_for(reminder, message)
    assert "Practical information" not in email.body
    values = merge_values(reminder, message)
    assert values["practical_information"].startswith("Practical information")
    assert "In your time zone" not in values["practical_information"]  # same zone as the event
