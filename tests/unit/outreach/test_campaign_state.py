"""The campaign's state machine: one transition table, one locked and logged transition, the
audience specification snapshotted at submission, stable error codes in the API."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from outreach.admin import campaigns as campaign_admin
from outreach.api.views import CampaignViewSet
from outreach.models import Campaign, CampaignStatus, Message, MessageStatus
from outreach.services import campaigns, dispatch, figures, tracking, transitions, unknown_messages
from tests.factories import SegmentFactory, approved_campaign, approver, make_campaign, make_contact


def actions(campaign) -> list[tuple[str, int | None]]:
    return list(
        ModelLogEntry.objects.filter(object_id=str(campaign.pk), action__startswith="outreach.")
        .order_by("pk")
        .values_list("action", "user_id")
    )


# --- one table, every transition logged -----------------------------------------------------
@pytest.mark.django_db
def test_every_verb_of_the_table_has_a_history_label():
    for verb in transitions.TRANSITIONS:
        assert log_registry.action_exists(f"outreach.campaign.{verb}"), verb


@pytest.mark.django_db
def test_automatic_transitions_are_logged_as_the_system(settings):
    """Start (beat), finish (beat), reopen after a resend decision and the worker-side freeze
    write a history entry, with no user."""
    settings.CAMPAIGN_FREEZE_IN_REQUEST_MAX = 0
    campaign = make_campaign(people=[make_contact("guest@example.org")])
    campaigns.submit(campaign, acting_user=campaign.created_by)
    checker = approver()
    campaigns.approve(campaign, acting_user=checker)
    campaigns.finish_approval(campaign.pk)  # the worker's half
    later = timezone.now() + timezone.timedelta(hours=1)
    campaigns.schedule(campaign, kind="at", send_at=later, acting_user=checker)
    Message.objects.filter(campaign=campaign).update(due_at=timezone.now())
    assert dispatch.dispatch_due_campaigns() == 1  # beat starts it (tests run workers eagerly)
    Message.objects.filter(campaign=campaign).update(status=MessageStatus.UNKNOWN)
    dispatch.finish_campaigns()  # beat, unless the eager worker finished it already
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.FINISHED
    unknown_messages.resend_unknown(
        list(Message.objects.filter(campaign=campaign).values_list("pk", flat=True)),
        acting_user=checker,
    )
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENDING
    assert actions(campaign) == [
        ("outreach.campaign.submit", campaign.created_by_id),
        ("outreach.campaign.approve", checker.pk),
        ("outreach.campaign.freeze", None),
        ("outreach.campaign.schedule", checker.pk),
        ("outreach.campaign.start", None),
        ("outreach.campaign.finish", None),
        ("outreach.message.resend", checker.pk),
        ("outreach.campaign.reopen", checker.pk),
    ]


@pytest.mark.django_db
def test_a_verb_the_table_does_not_allow_is_refused_with_invalid_state():
    campaign = approved_campaign(people=[make_contact("guest@example.org")])
    with pytest.raises(ValidationError) as refused:
        campaigns.withdraw(campaign, acting_user=campaign.created_by)
    assert refused.value.error_list[0].code == "invalid_state"
    with pytest.raises(ValidationError):
        campaigns.update_campaign(campaign, acting_user=campaign.created_by, name="Renamed")
    campaign.refresh_from_db()
    assert (campaign.status, campaign.name) == (CampaignStatus.APPROVED, "Forum invitation")


@pytest.mark.django_db(transaction=True)
def test_a_withdraw_racing_an_approval_cannot_write_draft_over_approved():
    """Two PostgreSQL connections: the approval holds the row; a withdraw sent from a page
    still showing "submitted" waits for it, then finds the campaign approved."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    campaign = make_campaign(people=[make_contact("guest@example.org")])
    campaigns.submit(campaign, acting_user=campaign.created_by)
    stale = Campaign.objects.get(pk=campaign.pk)  # what the withdrawing manager holds
    checker = approver()
    approved, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def approve_and_hold() -> None:
        try:
            with transaction.atomic():
                campaigns.approve(Campaign.objects.get(pk=campaign.pk), acting_user=checker)
                approved.set()
                release.wait(30)
        finally:
            connection.close()

    def withdraw() -> None:
        approved.wait(30)
        try:
            campaigns.withdraw(stale, acting_user=campaign.created_by)
            outcome["withdrawn"] = True
        except ValidationError as exc:
            outcome["refused"] = exc.error_list[0].code
        finally:
            connection.close()

    threads = [threading.Thread(target=approve_and_hold), threading.Thread(target=withdraw)]
    for thread in threads:
        thread.start()
    # Let the approval commit only once the withdraw waits for the campaign's row lock.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
        time.sleep(0.02)
    release.set()
    for thread in threads:
        thread.join(30)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.APPROVED
    assert outcome == {"refused": "invalid_state"}
    assert Message.objects.filter(campaign=campaign).count() == 1


# --- the audience as submitted ----------------------------------------------------------------
@pytest.fixture
def segment_of_one(db):
    first = make_contact("first@example.org")
    segment = SegmentFactory(name="Partners")
    segment.additions.add(first)
    return segment


def _more_people(segment, count: int) -> None:
    segment.additions.add(*[make_contact(f"more{i}@example.org") for i in range(count)])


@pytest.mark.django_db
def test_editing_a_segment_after_submission_does_not_change_the_campaign(segment_of_one):
    campaign = make_campaign()
    campaign.segments.add(segment_of_one)
    campaigns.submit(campaign, acting_user=campaign.created_by)
    _more_people(segment_of_one, 3)  # allowed: the segment is the CRM's
    assert campaigns.submitted_count(campaign) == 1
    campaign = campaigns.approve(campaign, acting_user=approver(), expected_count=1)
    assert Message.objects.filter(campaign=campaign).count() == 1
    assert campaign.approved_count == 1


@pytest.mark.django_db
def test_the_worker_freezes_the_submitted_specification_not_the_edited_segment(
    segment_of_one, settings
):
    settings.CAMPAIGN_FREEZE_IN_REQUEST_MAX = 0
    campaign = make_campaign()
    campaign.segments.add(segment_of_one)
    campaigns.submit(campaign, acting_user=campaign.created_by)
    campaigns.approve(campaign, acting_user=approver(), expected_count=1)
    _more_people(segment_of_one, 263)
    campaign = campaigns.finish_approval(campaign.pk)
    assert campaign.status == CampaignStatus.APPROVED
    assert Message.objects.filter(campaign=campaign).count() == 1


@pytest.mark.django_db
def test_a_segments_filters_are_snapshotted_too():
    make_contact("de@example.org", language="de")
    segment = SegmentFactory(name="German readers", languages=["de"])
    campaign = make_campaign(languages=("en", "de"))
    campaign.segments.add(segment)
    campaigns.submit(campaign, acting_user=campaign.created_by)
    segment.languages = ["de", "en"]
    segment.save()
    make_contact("en@example.org", language="en")
    assert campaigns.submitted_count(campaign) == 1


@pytest.mark.django_db
def test_an_approval_of_another_count_than_the_audience_has_now_is_refused():
    make_contact("de@example.org", language="de")
    campaign = make_campaign(languages=("en", "de"))
    campaign.segments.add(SegmentFactory(name="German readers", languages=["de"]))
    campaigns.submit(campaign, acting_user=campaign.created_by)
    make_contact("de2@example.org", language="de")  # a new contact matches the filters
    with pytest.raises(ValidationError) as refused:
        campaigns.approve(campaign, acting_user=approver(), expected_count=1)
    assert refused.value.error_list[0].code == "audience_changed"
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SUBMITTED


@pytest.mark.django_db
def test_withdrawing_drops_the_snapshot_so_the_draft_follows_its_segments(segment_of_one):
    campaign = make_campaign()
    campaign.segments.add(segment_of_one)
    campaigns.submit(campaign, acting_user=campaign.created_by)
    _more_people(segment_of_one, 2)
    campaigns.withdraw(campaign, acting_user=campaign.created_by)
    assert campaign.audience_snapshot is None
    assert campaigns.submitted_count(campaign) == 3


# --- the API -----------------------------------------------------------------------------------
def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_every_transition_the_admin_offers_is_in_the_api():
    offered = {*campaign_admin.VERBS, "schedule", "approve"}
    missing = [verb for verb in offered if not hasattr(CampaignViewSet, verb)]
    assert missing == []


@pytest.mark.django_db
def test_a_submitted_campaign_can_be_withdrawn_through_the_api():
    campaign = make_campaign(people=[make_contact("guest@example.org")])
    campaigns.submit(campaign, acting_user=campaign.created_by)
    answer = _api(approver()).post(f"/api/v1/campaigns/{campaign.pk}/withdraw/")
    assert answer.status_code == 200
    assert answer.json()["status"] == CampaignStatus.DRAFT


@pytest.mark.django_db
def test_api_errors_carry_a_stable_code_and_an_english_message_by_default():
    campaign = approved_campaign(people=[make_contact("guest@example.org")])
    answer = _api(approver()).post(f"/api/v1/campaigns/{campaign.pk}/withdraw/")
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "invalid_state"
    assert body["errors"][0]["code"] == "invalid_state"
    assert body["errors"][0]["message"].startswith("The campaign is Approved;")
    assert answer["Content-Language"] == "en"


@pytest.mark.django_db
def test_api_messages_follow_accept_language():
    campaign = approved_campaign(people=[make_contact("guest@example.org")])
    answer = _api(approver()).post(
        f"/api/v1/campaigns/{campaign.pk}/withdraw/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9"
    )
    assert answer.json()["code"] == "invalid_state"
    assert answer["Content-Language"] == "zh-hans"
    assert "The campaign is" not in answer.json()["errors"][0]["message"]


@pytest.mark.django_db
def test_an_api_approval_of_a_changed_audience_is_refused_with_audience_changed():
    make_contact("de@example.org", language="de")
    campaign = make_campaign(languages=("en", "de"))
    campaign.segments.add(SegmentFactory(name="German readers", languages=["de"]))
    campaigns.submit(campaign, acting_user=campaign.created_by)
    api = _api(approver())
    shown = api.get(f"/api/v1/campaigns/{campaign.pk}/audience/").json()["count"]
    make_contact("de2@example.org", language="de")
    answer = api.post(
        f"/api/v1/campaigns/{campaign.pk}/approve/", {"audience_count": shown}, format="json"
    )
    assert (answer.status_code, answer.json()["code"]) == (409, "audience_changed")
    answer = api.post(
        f"/api/v1/campaigns/{campaign.pk}/approve/", {"audience_count": shown + 1}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["approved_count"] == 2


# --- the funnel ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_hard_bounced_message_is_not_delivered_even_with_a_delivery_event():
    campaign = approved_campaign(
        people=[make_contact("ok@example.org"), make_contact("gone@example.org")]
    )
    now = timezone.now()
    Message.objects.filter(campaign=campaign).update(status=MessageStatus.SENT, delivered_at=now)
    Message.objects.filter(campaign=campaign, email="gone@example.org").update(bounced_at=now)
    assert figures.funnel(campaign)["delivered"] == 1
    assert figures.funnel(campaign)["hard_bounced"] == 1
    assert tracking.campaign_health(campaign.pk)["delivered"] == 1


# --- the admin --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_admin_approves_the_count_it_showed_and_refuses_a_changed_audience(client, staff_admin):
    make_contact("de@example.org", language="de")
    campaign = make_campaign(languages=("en", "de"))
    campaign.segments.add(SegmentFactory(name="German readers", languages=["de"]))
    campaigns.submit(campaign, acting_user=campaign.created_by)
    client.force_login(staff_admin)
    page = client.get(f"/admin/campaigns/{campaign.pk}/live/").content.decode()
    assert 'name="audience_count" value="1"' in page
    make_contact("de2@example.org", language="de")
    client.post(f"/admin/campaigns/{campaign.pk}/act/approve/", {"audience_count": "1"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SUBMITTED
    client.post(f"/admin/campaigns/{campaign.pk}/act/approve/", {"audience_count": "2"})
    campaign.refresh_from_db()
    assert (campaign.status, campaign.approved_count) == (CampaignStatus.APPROVED, 2)
