"""The campaign screens in the Wagtail admin."""

from __future__ import annotations

import pytest
from django.utils import timezone

from outreach.models import CampaignStatus, DeliveryStatus, Message, MessageStatus
from outreach.services import campaigns, sending
from tests.factories import approved_campaign, approver, make_campaign, make_contact

pytestmark = pytest.mark.django_db


def test_builder_lists_campaigns_and_opens_the_live_page(client, staff_admin):
    campaign = make_campaign(people=[make_contact("a@example.org")])
    client.force_login(staff_admin)
    listing = client.get("/admin/snippets/outreach/campaign/")
    assert listing.status_code == 200
    assert campaign.name in listing.content.decode()
    live = client.get(f"/admin/campaigns/{campaign.pk}/live/")
    assert live.status_code == 200
    body = live.content.decode()
    assert "Audience now: 1" in body
    preview = client.get(
        f"/admin/campaigns/{campaign.pk}/live/",
        {"person": campaign.additions.get().pk, "language": "en"},
    )
    assert "Invitation for" in preview.content.decode()


def test_edit_form_refuses_changes_once_the_campaign_left_draft():
    from outreach.wagtail_hooks import CampaignViewSet

    campaign = approved_campaign(people=[make_contact("a@example.org")])
    form_class = CampaignViewSet().get_edit_handler().get_form_class()
    data = {
        "name": "Changed",
        "kind": campaign.kind,
        "purpose": campaign.purpose,
        "from_name": "x",
        "from_email": "x@example.org",
        "languages": ["en"],
        "contents-TOTAL_FORMS": "0",
        "contents-INITIAL_FORMS": "0",
        "contents-MIN_NUM_FORMS": "0",
        "contents-MAX_NUM_FORMS": "1000",
    }
    form = form_class(data, instance=campaign)
    assert not form.is_valid()
    assert "Only a draft can be edited" in str(form.errors)


def test_live_page_decides_on_unknown_messages(client):
    campaign = approved_campaign(people=[make_contact("a@example.org")])
    campaigns.schedule(campaign, kind="now", acting_user=campaign.created_by)
    ids, _token = sending.claim_batch(5)
    Message.objects.filter(pk__in=ids).update(status=MessageStatus.UNKNOWN)
    user = approver()
    user.is_staff = True
    user.save()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    page = client.get(f"/admin/campaigns/{campaign.pk}/live/")
    assert "Mark sent" in page.content.decode()
    client.post(
        f"/admin/campaigns/{campaign.pk}/decide/", {"message": ids, "decision": "mark_sent"}
    )
    assert Message.objects.get(pk=ids[0]).status == MessageStatus.SENT


def test_workflow_buttons_call_the_services(client, staff_admin):
    campaign = make_campaign(people=[make_contact("a@example.org")])
    client.force_login(campaign.created_by)
    campaign.created_by.is_superuser = True
    campaign.created_by.save()
    client.post(f"/admin/campaigns/{campaign.pk}/act/submit/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SUBMITTED
    # the author cannot approve, even as superuser
    client.post(f"/admin/campaigns/{campaign.pk}/act/approve/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SUBMITTED
    client.force_login(staff_admin)
    client.post(f"/admin/campaigns/{campaign.pk}/act/approve/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.APPROVED


def test_suppression_list_admin_stores_only_a_digest(client, staff_admin):
    from outreach.models import Suppression

    client.force_login(staff_admin)
    response = client.post(
        "/admin/snippets/outreach/suppression/add/",
        {"email": "Someone@Example.org", "purpose": "", "reason": "manual", "note": ""},
    )
    assert response.status_code in (200, 302)
    entry = Suppression.objects.get()
    assert "@" not in entry.email_digest
    assert entry.created_by == staff_admin


# --- bounces on the live page and the message list ------------------------------------------
def _sent_campaign(people):
    """A campaign whose messages have all been handed to the ESP."""
    campaign = approved_campaign(people=people)
    campaigns.schedule(campaign, kind="now", acting_user=campaign.created_by)
    sending.send_due_messages(budget_seconds=5)
    return campaign


def _report(campaign, email: str, delivery_status: str, **stamps) -> Message:
    message = Message.objects.get(campaign=campaign, email=email)
    Message.objects.filter(pk=message.pk).update(delivery_status=delivery_status, **stamps)
    return message


@pytest.fixture
def reported_campaign(db):
    """Four guests: delivered, soft-bounced (not delivered yet), hard-bounced, no report."""
    from crm.services.people import refresh_search_text

    people = [
        make_contact("li.wei@example.org", family_name="Li", given_name="Wei"),
        make_contact("anna.schmidt@example.de", family_name="Schmidt", given_name="Anna"),
        make_contact("gone@example.com", family_name="Gone", given_name="Max"),
        make_contact("quiet@example.net", family_name="Quiet", given_name="Ida", restricted=True),
    ]
    for person in people:
        refresh_search_text(person)
    campaign = _sent_campaign(people)
    now = timezone.now()
    _report(campaign, "li.wei@example.org", DeliveryStatus.DELIVERED, delivered_at=now)
    _report(campaign, "anna.schmidt@example.de", DeliveryStatus.SOFT_BOUNCED, soft_bounced_at=now)
    _report(campaign, "gone@example.com", DeliveryStatus.BOUNCED, bounced_at=now)
    return campaign


def _listing(client, campaign, **params):
    return client.get(f"/admin/campaigns/{campaign.pk}/messages/", params)


def _rows(response) -> list[str]:
    """The recipients' addresses as listed, in order."""
    import re

    assert response.status_code == 200
    return re.findall(r"<br>([^<\s]+@[^<\s]+)", response.content.decode())


def test_live_page_shows_hard_and_soft_bounces_apart_and_links_the_message_list(
    client, staff_admin, reported_campaign
):
    client.force_login(staff_admin)
    body = client.get(f"/admin/campaigns/{reported_campaign.pk}/live/").content.decode()
    assert 'Hard bounces (permanent)</th><td data-funnel="hard_bounced">1<' in body
    assert (
        'Soft bounces (temporary, not delivered yet)</th><td data-funnel="soft_bounced">1<' in body
    )
    assert f'href="/admin/campaigns/{reported_campaign.pk}/messages/"' in body


def test_message_list_filters_by_sending_status_and_delivery_report(
    client, campaign_manager, reported_campaign
):
    client.force_login(campaign_manager)
    # The restricted recipient's row stays (the figures add up) without name or address.
    assert _rows(_listing(client, reported_campaign)) == [
        "li.wei@example.org",
        "anna.schmidt@example.de",
        "gone@example.com",
    ]
    assert _rows(_listing(client, reported_campaign, delivery_status="soft_bounced")) == [
        "anna.schmidt@example.de"
    ]
    assert _rows(_listing(client, reported_campaign, delivery_status="bounced")) == [
        "gone@example.com"
    ]
    undelivered = _listing(client, reported_campaign, delivery_status="none")
    assert _rows(undelivered) == []
    assert "(restricted contact)" in undelivered.content.decode()
    assert "quiet@example.net" not in undelivered.content.decode()
    sent = _listing(client, reported_campaign, status="sent")
    assert len(_rows(sent)) == 3
    assert "(restricted contact)" in sent.content.decode()
    assert _rows(_listing(client, reported_campaign, status="queued")) == []
    page = _listing(client, reported_campaign, delivery_status="soft_bounced").content.decode()
    assert "Soft bounce (temporary, the ESP retries)" in page
    assert "soft bounce: " in page  # its timestamp, labelled


def test_message_list_finds_a_guest_by_any_name_form_or_address(
    client, campaign_manager, reported_campaign
):
    client.force_login(campaign_manager)
    assert _rows(_listing(client, reported_campaign, q="schmidt")) == ["anna.schmidt@example.de"]
    assert _rows(_listing(client, reported_campaign, q="Wei Li")) == ["li.wei@example.org"]
    assert _rows(_listing(client, reported_campaign, q="example.com")) == ["gone@example.com"]
    assert _rows(_listing(client, reported_campaign, q="nobody")) == []


def test_message_list_masks_addresses_for_staff_who_may_not_see_contact_details(
    client, groups, reported_campaign
):
    from django.contrib.auth.models import Group, Permission

    from tests.factories import UserFactory

    # A campaign reader without the CRM's contact details (no default role is like that).
    reader_group = Group.objects.create(name="Campaign reader")
    reader_group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_campaign"),
    )
    reader = UserFactory(username="rita")
    reader.groups.add(reader_group)
    client.force_login(reader)
    page = _listing(client, reported_campaign)
    body = page.content.decode()
    assert page.status_code == 200
    assert "li.wei@example.org" not in body
    assert "l•••@example.org" in body
    assert "Schmidt" in body
    # a restricted person's name stays hidden from those who may not see them
    assert "Quiet" not in body
    assert "(restricted contact)" in body
    # a name finds; a part of an address finds nothing; the whole address does
    assert "a•••@example.de" in _listing(client, reported_campaign, q="anna").content.decode()
    partial = _listing(client, reported_campaign, q="schmidt@example").content.decode()
    assert "a•••@example.de" not in partial
    found = _listing(client, reported_campaign, q="Anna.Schmidt@example.de").content.decode()
    assert "a•••@example.de" in found
    assert "l•••@example.org" not in found


@pytest.mark.parametrize(
    ("role", "status", "sees_restricted"),
    [
        ("viewer", 403, None),
        ("officer", 403, None),
        ("campaign_manager", 200, False),  # restricted people: only those they own
        ("administrator", 200, True),
    ],
)
def test_message_list_is_open_to_the_roles_that_see_the_campaign_page(
    client, request, reported_campaign, role, status, sees_restricted
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    live = client.get(f"/admin/campaigns/{reported_campaign.pk}/live/")
    listing = _listing(client, reported_campaign)
    results = client.get(f"/admin/campaigns/{reported_campaign.pk}/messages/results/")
    assert _status(live) == _status(listing) == _status(results) == status
    if status == 200:
        assert "li.wei@example.org" in listing.content.decode()
        assert "li.wei@example.org" in results.content.decode()
        assert ("Quiet" in listing.content.decode()) == sees_restricted
    else:
        assert "li.wei@example.org" not in listing.content.decode()


def _status(response) -> int:
    """Wagtail answers a refused admin page with a redirect to the dashboard and a message."""
    if response.status_code == 302 and response.url.rstrip("/").endswith("/admin"):
        return 403
    return response.status_code


def test_message_list_reads_a_page_in_the_same_few_queries_whatever_the_campaign_size(
    client, campaign_manager
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_contacts_in_bulk

    small = _sent_campaign(make_contacts_in_bulk(3, domain="small.example.org"))
    large = _sent_campaign(make_contacts_in_bulk(120, domain="large.example.org"))
    client.force_login(campaign_manager)
    _listing(client, small)  # warm the session and permission caches
    counts = {}
    for campaign in (small, large):
        for params in ({}, {"delivery_status": "none", "status": "sent"}, {"q": "guest1"}):
            with CaptureQueriesContext(connection) as queries:
                assert _listing(client, campaign, **params).status_code == 200
            counts[(campaign.pk, tuple(params))] = len(queries)
    small_counts = [n for (pk, _p), n in counts.items() if pk == small.pk]
    large_counts = [n for (pk, _p), n in counts.items() if pk == large.pk]
    assert small_counts == large_counts, counts
    # session, user, permissions, profile, campaign, the admin menu's own reads, the count, the
    # page and its addressees (+ the person search, which reads matching ids first): no query
    # per row
    assert max(large_counts) <= 14, counts
    listed = [q["sql"] for q in queries.captured_queries if "outreach_message" in q["sql"]]
    assert len(listed) == 2, listed  # the count and the page, nothing per row


# --- what the Chromium walk (tests/browser/test_campaigns.py) found ----------------------------
def test_builder_counts_the_unsaved_audience_as_it_is_chosen(client, staff_admin):
    from tests.factories import SegmentFactory

    reader = make_contact("zh@example.org", language="zh-hans")
    other = make_contact("en@example.org")
    make_contact("no-consent@example.org", consent=None)
    segment = SegmentFactory(languages=["zh-hans"])
    client.force_login(staff_admin)

    def count(**data):
        response = client.post("/admin/campaigns/audience-count/", data)
        assert response.status_code == 200
        return response.json()

    assert count(purpose="event_invitations")["count"] == 0
    assert count(segments=[segment.pk], purpose="event_invitations")["count"] == 1
    both = count(segments=[segment.pk], additions=[other.pk], purpose="event_invitations")
    assert both == {"count": 2, "text": "Audience now: 2 people (before suppression)."}
    assert count(segments=[segment.pk], exclusions=[reader.pk])["count"] == 0
    # nobody has consent for newsletters
    assert count(segments=[segment.pk], purpose="newsletters")["count"] == 0


def test_live_page_names_statuses_and_funnel_steps_in_the_staff_language(client):
    campaign = approved_campaign(people=[make_contact("a@example.org")])
    user = approver()
    user.is_staff = True
    user.save()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    english = client.get(f"/admin/campaigns/{campaign.pk}/live/").content.decode()
    assert "<th>Queued</th>" in english
    assert '<th scope="row">Delivered</th>' in english
    assert "Audience frozen on" in english
    assert ": 1 messages." in english
    assert f"/admin/snippets/outreach/campaign/history/{campaign.pk}/" in english
    chinese = client.get(
        f"/admin/campaigns/{campaign.pk}/live/", headers={"accept-language": "zh-hans"}
    ).content.decode()
    assert "<th>排队中</th>" in chinese
    assert "<th>queued</th>" not in chinese


def test_author_is_told_that_someone_else_must_approve(client):
    campaign = make_campaign(people=[make_contact("a@example.org")])
    campaigns.submit(campaign, acting_user=campaign.created_by)
    author = campaign.created_by
    author.is_superuser = True
    author.save()
    client.force_login(author)
    page = client.get(f"/admin/campaigns/{campaign.pk}/live/").content.decode()
    assert "Approve (freezes the audience)" not in page
    assert "Another user with the approve permission must approve this campaign" in page


def test_preview_offers_the_audience_by_name(client, staff_admin):
    wang = make_contact("wang@example.cn", family_name="Wang", name_chinese="王伟")
    campaign = make_campaign(people=[wang])
    client.force_login(staff_admin)
    page = client.get(f"/admin/campaigns/{campaign.pk}/live/").content.decode()
    assert f'<option value="{wang.pk}">{wang}</option>' in page


def test_content_language_is_chosen_from_the_site_languages_and_the_event_chooser_speaks_the_request_language(  # noqa: E501
    client, staff_admin
):
    campaign = make_campaign(people=[make_contact("a@example.org")])
    client.force_login(staff_admin)
    for language, choose in [("en", "Choose event"), ("zh-hans", "选择 活动")]:
        page = client.get(
            f"/admin/snippets/outreach/campaign/edit/{campaign.pk}/",
            headers={"accept-language": language},
        ).content.decode()
        assert choose in page
    assert '<select name="contents-0-language"' in page
    assert '<option value="de">Deutsch</option>' in page


def test_suppression_purpose_is_a_choice_not_free_text(client, staff_admin):
    from outreach.models import Suppression

    client.force_login(staff_admin)
    response = client.post(
        "/admin/snippets/outreach/suppression/add/",
        {"email": "x@example.org", "purpose": "newsletter", "reason": "manual", "note": ""},
    )
    assert response.status_code == 200  # the form again, with the error
    assert "Select a valid choice" in response.content.decode()
    assert not Suppression.objects.exists()
