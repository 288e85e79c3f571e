"""Campaign workflow, audience freeze and rendering."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage

from outreach.models import CampaignStatus, Message, MessageStatus, SuppressionReason
from outreach.services import audience, campaigns, previews, rendering, suppression
from tests.factories import approved_campaign, approver, make_campaign, make_contact

pytestmark = pytest.mark.django_db


def test_author_cannot_approve_their_own_campaign():
    campaign = make_campaign(people=[make_contact("a@example.org")])
    campaign.created_by.user_permissions.add(
        *__import__(
            "django.contrib.auth.models", fromlist=["Permission"]
        ).Permission.objects.filter(codename="approve_campaign")
    )
    campaigns.submit(campaign, acting_user=campaign.created_by)
    author = type(campaign.created_by).objects.get(pk=campaign.created_by_id)
    with pytest.raises(PermissionDenied):
        campaigns.approve(campaign, acting_user=author)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SUBMITTED
    assert not Message.objects.filter(campaign=campaign).exists()


def test_approval_freezes_one_message_per_reachable_email_identity():
    ok = make_contact("Anna.Li@Example.org")
    make_contact("no.consent@example.org", consent=None)
    dnc = make_contact("dnc@example.org", do_not_contact=True)
    no_consent = make_contact("nc@example.org", consent=None)
    suppressed = make_contact("bounced@example.org")
    suppression.suppress("BOUNCED@example.org", SuppressionReason.HARD_BOUNCE)
    campaign = approved_campaign(people=[ok, dnc, no_consent, suppressed])
    rows = list(Message.objects.filter(campaign=campaign))
    assert [r.email for r in rows] == ["Anna.Li@Example.org"]
    assert rows[0].status == MessageStatus.QUEUED
    assert campaign.status == CampaignStatus.APPROVED
    assert campaign.frozen_at is not None


def test_a_freeze_read_in_small_chunks_keeps_one_message_per_identity_across_chunks():
    """The freeze streams the audience; an identity seen in an earlier chunk (two ministers
    writing through one assistant) still gets one message, suppressed ones none."""
    assistant = make_contact("secretary@ministry.example.org", consent=None)
    people = [make_contact(f"guest{i}@example.org") for i in range(5)]
    ministers = [make_contact(f"minister{i}@ministry.example.org") for i in range(2)]
    for minister in ministers:
        minister.assistant = assistant
        minister.send_via_assistant = True
        minister.save()
    suppression.suppress("guest3@example.org", SuppressionReason.HARD_BOUNCE)
    campaign = make_campaign(people=[*ministers, *people])
    assert audience.freeze_audience(campaign, chunk_size=2) == 5
    emails = sorted(Message.objects.filter(campaign=campaign).values_list("email", flat=True))
    assert emails == [
        "guest0@example.org",
        "guest1@example.org",
        "guest2@example.org",
        "guest4@example.org",
        "secretary@ministry.example.org",
    ]


def test_invitation_for_someone_with_an_assistant_goes_to_the_assistant():
    assistant = make_contact("secretary@ministry.example.org", consent=None)
    minister = make_contact(
        "minister@ministry.example.org", honorific="minister", family_name="Weber"
    )
    minister.assistant = assistant
    minister.send_via_assistant = True
    minister.save()
    campaign = approved_campaign(people=[minister])
    message = Message.objects.get(campaign=campaign)
    assert message.email == "secretary@ministry.example.org"
    assert message.person == minister
    assert message.via_assistant == assistant
    email = rendering.render_for(campaign, message)
    assert "Weber" in email.body  # the person is named
    assert email.to == ["secretary@ministry.example.org"]


def test_each_recipient_gets_their_language_or_the_fallback():
    zh = make_contact("zh@example.org", language="zh-hans")
    de = make_contact("de@example.org", language="de")
    ja = make_contact("ja@example.org", language="ja")
    campaign = approved_campaign(
        languages=("en", "zh-hans", "de"), fallback="en", people=[zh, de, ja]
    )
    languages = dict(Message.objects.filter(campaign=campaign).values_list("email", "language"))
    assert languages == {
        "zh@example.org": "zh-hans",
        "de@example.org": "de",
        "ja@example.org": "en",
    }


def test_a_recipient_language_without_content_blocks_approval_when_there_is_no_fallback():
    campaign = make_campaign(
        languages=("en",), people=[make_contact("ja@example.org", language="ja")]
    )
    campaigns.submit(campaign, acting_user=campaign.created_by)
    with pytest.raises(ValidationError, match="ja: 1"):
        campaigns.approve(campaign, acting_user=approver())
    assert not Message.objects.filter(campaign=campaign).exists()


def test_unknown_merge_field_is_refused_naming_it():
    campaign = make_campaign()
    with pytest.raises(ValidationError, match="first_nme"):
        campaigns.set_content(
            campaign,
            language="en",
            subject="Hi {{ first_nme }}",
            body="<p>x</p>",
            acting_user=campaign.created_by,
        )


def test_rendered_message_is_in_the_recipients_language_with_unsubscribe_headers():
    person = make_contact("wang@example.org", language="zh-hans", family_name="王", given_name="伟")
    person.name_chinese = "王伟"
    person.honorific = "prof"
    person.save()
    campaign = approved_campaign(languages=("en", "zh-hans"), people=[person])
    message = Message.objects.get(campaign=campaign)
    email = rendering.render_for(campaign, message)
    html = email.alternatives[0][0]
    assert "尊敬的王伟教授" in html
    assert email.subject == "王伟的邀请"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    assert str(message.public_id) in email.extra_headers["List-Unsubscribe"]
    # only opaque ids go to the ESP
    assert email.metadata == {"m": str(message.public_id), "c": str(campaign.pk)}
    assert "wang@example.org" not in str(email.metadata)


def test_merge_values_are_escaped_in_html():
    person = make_contact("x@example.org", family_name="<script>alert(1)</script>")
    campaign = approved_campaign(people=[person])
    email = rendering.render_for(campaign, Message.objects.get(campaign=campaign))
    assert "<script>" not in email.alternatives[0][0]


def test_plain_text_part_has_real_characters_and_working_links():
    """The text part is what plain-text mail clients show: no HTML entities, and the personal
    RSVP link keeps its ``&lang=`` (an ``&amp;`` there would break the link)."""
    person = make_contact("x@example.org", family_name="O'Brien & Sons")
    campaign = make_campaign(people=[person], rsvp_url="https://rsvp.example.org/r")
    campaign.contents.update(
        body='<p>Tom &amp; Jerry &lt;3 caf&eacute;, {{ name }}</p><a href="{{ rsvp_url }}">RSVP</a>'
    )
    campaigns.submit(campaign, acting_user=campaign.created_by)
    campaigns.approve(campaign, acting_user=approver())
    message = Message.objects.get(campaign=campaign)
    email = rendering.render_for(campaign, message)
    assert "Tom & Jerry <3 café, " in email.body
    assert "O'Brien & Sons" in email.body
    assert "&amp;" not in email.body
    assert "&#" not in email.body
    link = rendering.rsvp_url(campaign, message)
    assert "&lang=en" in link
    assert f"RSVP ({link})" in email.body
    # the HTML part stays escaped
    assert "O&#x27;Brien &amp; Sons" in email.alternatives[0][0]


def test_preview_as_any_person_in_any_language_and_test_send_goes_to_oneself(mailoutbox):
    person = make_contact("guest@example.org", language="en")
    campaign = make_campaign(languages=("en", "de"), people=[person])
    preview = previews.preview(campaign, person, "de")
    assert preview["subject"].startswith("Einladung")
    previews.test_send(campaign, person, "de", acting_user=campaign.created_by)
    assert len(mailoutbox) == 1
    sent: EmailMessage = mailoutbox[0]
    assert sent.to == [campaign.created_by.email]
    assert sent.subject.startswith("[TEST] Einladung")


def test_local_time_schedule_follows_each_recipients_time_zone_across_a_dst_change():
    berlin = make_contact("berlin@example.org", time_zone="Europe/Berlin")
    shanghai = make_contact("shanghai@example.org", time_zone="Asia/Shanghai")
    campaign = approved_campaign(people=[berlin, shanghai])
    # 2027-03-28: Europe/Berlin springs forward from UTC+1 to UTC+2 at 02:00.
    campaigns.schedule(
        campaign,
        kind="local_time",
        local_date=dt.date(2027, 3, 28),
        local_time=dt.time(9, 0),
        acting_user=campaign.created_by,
    )
    due = dict(Message.objects.filter(campaign=campaign).values_list("email", "due_at"))
    assert due["berlin@example.org"] == dt.datetime(2027, 3, 28, 7, 0, tzinfo=dt.UTC)
    assert due["shanghai@example.org"] == dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SCHEDULED
    # the day before the change, 09:00 in Berlin was 08:00 UTC
    assert campaigns.local_due_time(dt.date(2027, 3, 27), dt.time(9), "Europe/Berlin") == (
        dt.datetime(2027, 3, 27, 8, 0, tzinfo=dt.UTC)
    )
    # a wall time that does not exist (02:30 on the change day) moves forward by the gap
    assert campaigns.local_due_time(dt.date(2027, 3, 28), dt.time(2, 30), "Europe/Berlin") == (
        dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC)
    )


def test_cancel_stops_queued_messages_and_resume_never_resends(mailoutbox):
    people = [make_contact(f"p{i}@example.org") for i in range(3)]
    campaign = approved_campaign(people=people)
    campaigns.schedule(campaign, kind="now", acting_user=campaign.created_by)
    from outreach.services import sending

    assert sending.send_due_messages(budget_seconds=5)["sent"] == 3
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.FINISHED
    assert len(mailoutbox) == 3
    other = approved_campaign(people=[make_contact("q@example.org")])
    campaigns.schedule(
        other,
        kind="at",
        send_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
        acting_user=other.created_by,
    )
    campaigns.cancel(other, acting_user=other.created_by)
    assert list(Message.objects.filter(campaign=other).values_list("status", flat=True)) == [
        MessageStatus.CANCELLED
    ]


# --- approving a large audience: the freeze runs in a worker -------------------------------
def _approved_for_a_worker(settings, people, **fields):
    """Approved with every audience counted as large: the freeze is left to a worker."""
    settings.CAMPAIGN_FREEZE_IN_REQUEST_MAX = 0
    campaign = make_campaign(people=people, **fields)
    campaigns.submit(campaign, acting_user=campaign.created_by)
    return campaigns.approve(campaign, acting_user=approver())


@pytest.mark.django_db
def test_a_large_audience_is_frozen_by_a_worker_after_approval(
    settings, django_capture_on_commit_callbacks
):
    from outreach.models import CampaignStatus as Status
    from outreach.tasks import freeze_approved_campaign

    settings.CAMPAIGN_FREEZE_IN_REQUEST_MAX = 2
    campaign = make_campaign(people=[make_contact(f"p{i}@example.org") for i in range(3)])
    campaigns.submit(campaign, acting_user=campaign.created_by)
    decider = approver()
    with django_capture_on_commit_callbacks() as callbacks:
        campaign = campaigns.approve(campaign, acting_user=decider)
    assert campaign.status == Status.APPROVING
    assert campaign.approved_by == decider
    assert not Message.objects.filter(campaign=campaign).exists()
    # the freeze is handed to a worker once the approval commits (and the author is told)
    assert [c.__name__ for c in callbacks] == ["hand_over", "send"]
    with pytest.raises(ValidationError, match="Approved: freezing the audience"):
        campaigns.schedule(campaign, kind="now", acting_user=decider)

    freeze_approved_campaign(campaign.pk)  # what the worker runs
    campaign.refresh_from_db()
    assert campaign.status == Status.APPROVED
    assert Message.objects.filter(campaign=campaign).count() == 3
    freeze_approved_campaign(campaign.pk)  # a duplicate task changes nothing
    assert Message.objects.filter(campaign=campaign).count() == 3
    campaigns.schedule(campaign, kind="now", acting_user=decider)


@pytest.mark.django_db
def test_a_campaign_cancelled_while_its_audience_freezes_gets_no_messages(settings):
    from outreach.models import CampaignStatus as Status

    campaign = _approved_for_a_worker(settings, [make_contact("p@example.org")])
    campaigns.cancel(campaign, acting_user=campaign.created_by)
    campaigns.finish_approval(campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == Status.CANCELLED
    assert not Message.objects.filter(campaign=campaign).exists()


@pytest.mark.django_db
def test_a_worker_freeze_that_fails_sends_the_campaign_back_with_the_reason(settings):
    from outreach.models import CampaignStatus as Status

    campaign = _approved_for_a_worker(
        settings, [make_contact("ja@example.org", language="ja")], languages=("en",)
    )
    campaign = campaigns.finish_approval(campaign.pk)
    assert campaign.status == Status.SUBMITTED
    assert "ja: 1" in campaign.status_note
    assert campaign.approved_by is None
    assert not Message.objects.filter(campaign=campaign).exists()


@pytest.mark.django_db
def test_beat_hands_an_approval_whose_freeze_task_was_lost_to_a_worker_again(settings):
    from outreach.models import Campaign

    campaign = _approved_for_a_worker(settings, [make_contact("p@example.org")])
    assert campaigns.resume_lost_approvals() == 0  # just approved: its task is on its way
    Campaign.objects.filter(pk=campaign.pk).update(
        updated_at=campaign.updated_at - dt.timedelta(minutes=10)
    )
    assert campaigns.resume_lost_approvals() == 1
