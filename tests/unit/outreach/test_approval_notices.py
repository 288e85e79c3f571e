"""Approval as people live it: approvers hear about a submitted campaign, the author hears the
decision with the reason, messages say what happened, and the builder lands on the campaign."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from outreach.models import CampaignStatus
from outreach.services import campaign_notices, campaigns
from tests.factories import UserFactory, approver, make_campaign, make_contact

pytestmark = pytest.mark.django_db


def _people(n: int):
    return [make_contact(f"guest{i}@example.org") for i in range(n)]


def test_submitting_emails_every_approver_but_not_the_author(committed):
    first, second = approver(), approver()
    author = UserFactory(email="author@office.example.org")
    campaign = make_campaign(owner=author, people=_people(3))
    with committed():
        campaigns.submit(campaign, acting_user=author)
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([first.email, second.email])
    assert "3" in mail.outbox[0].body
    assert f"/admin/campaigns/{campaign.pk}/live/" in mail.outbox[0].body


def test_rejection_needs_a_reason_and_tells_the_author_why(committed):
    judge = approver()
    author = UserFactory(email="author@office.example.org")
    campaign = make_campaign(owner=author, people=_people(1))
    campaigns.submit(campaign, acting_user=author)
    with pytest.raises(ValidationError):
        campaigns.reject(campaign, acting_user=judge, reason="  ")
    mail.outbox.clear()
    with committed():
        campaigns.reject(campaign, acting_user=judge, reason="The German text has no salutation")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.status_note == "The German text has no salutation"
    assert [m.to for m in mail.outbox] == [["author@office.example.org"]]
    assert "The German text has no salutation" in mail.outbox[0].body
    decisions = campaign_notices.recent_decisions_for(author)
    assert [(d["approved"], d["reason"]) for d in decisions] == [
        (False, "The German text has no salutation")
    ]


def test_approval_tells_the_author(committed):
    author = UserFactory(email="author@office.example.org")
    campaign = make_campaign(owner=author, people=_people(1))
    campaigns.submit(campaign, acting_user=author)
    mail.outbox.clear()
    with committed():
        campaigns.approve(campaign, acting_user=approver())
    assert [m.to for m in mail.outbox] == [["author@office.example.org"]]
    assert campaign_notices.recent_decisions_for(author)[0]["approved"] is True


def test_messages_say_what_happened(client, staff_admin):
    author = UserFactory()
    author.is_superuser = True
    author.save()
    campaign = make_campaign(owner=author, people=_people(2))
    client.force_login(author)
    response = client.post(f"/admin/campaigns/{campaign.pk}/act/submit/", follow=True)
    body = response.content.decode()
    assert "Submitted for approval: 2 recipients." in body
    assert "Done." not in body
    client.force_login(staff_admin)
    page = client.get(f"/admin/campaigns/{campaign.pk}/live/").content.decode()
    assert "Send back to the author" in page
    response = client.post(
        f"/admin/campaigns/{campaign.pk}/act/reject/", {"reason": "Wrong date"}, follow=True
    )
    assert "Sent back to the author with your reason." in response.content.decode()
    client.force_login(author)
    page = client.get(f"/admin/campaigns/{campaign.pk}/live/").content.decode()
    assert "Wrong date" in page
    assert 'id="campaign-next-step"' in page


def test_messages_in_chinese_read_as_the_office_expects(client, settings):
    settings.LIAISON_ADMIN_LANGUAGE = "zh-hans"
    author = UserFactory()
    author.is_superuser = True
    author.save()
    campaign = make_campaign(owner=author, people=_people(2))
    client.force_login(author)
    response = client.post(f"/admin/campaigns/{campaign.pk}/act/submit/", follow=True)
    assert "已提交审批：共 2 位收件人" in response.content.decode()


def test_schedule_form_names_each_mode_and_asks_for_confirmation(client, staff_admin):
    from tests.factories import approved_campaign

    campaign = approved_campaign(people=_people(1))
    client.force_login(staff_admin)
    page = client.get(f"/admin/campaigns/{campaign.pk}/live/").content.decode()
    assert 'id="campaign-schedule" data-confirm=' in page
    for field in ("kind", "send_at", "local_date", "local_time"):
        assert f'data-schedule-field="{field}"' in page


def test_saving_the_builder_lands_on_the_campaign_with_its_next_step(client, staff_admin):
    campaign = make_campaign(owner=staff_admin, people=_people(1))
    client.force_login(staff_admin)
    from outreach.wagtail_hooks import CampaignViewSet

    view_class = CampaignViewSet().edit_view_class
    assert any(c.__name__ == "LandOnCampaignMixin" for c in view_class.__mro__)
    view = view_class()
    view.object = campaign

    class Request:
        user = staff_admin

    view.request = Request()
    assert view.get_success_url() == f"/admin/campaigns/{campaign.pk}/live/"
    assert "submit the campaign for approval" in view.get_success_message(campaign)
