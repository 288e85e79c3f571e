"""The campaign screens in the Wagtail admin."""

from __future__ import annotations

import pytest

from outreach.models import CampaignStatus, Message, MessageStatus
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
    assert "<th>Delivered</th>" in english
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
