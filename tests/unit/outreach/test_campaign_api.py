"""/api/v1/campaigns/: the same workflow and rules as the services."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from outreach.models import Campaign, CampaignStatus, Message, Suppression
from tests.factories import UserFactory, approver, make_contact

pytestmark = pytest.mark.django_db


def manager(username: str):
    user = UserFactory(username=username)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="outreach").exclude(
            codename="approve_campaign"
        ),
        # the API admits whom the admin admits
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    return type(user).objects.get(pk=user.pk)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_campaign_goes_through_the_workflow_over_the_api(mailoutbox):
    author = manager("author")
    api = client_for(author)
    guest = make_contact("guest@example.org", language="de")
    created = api.post(
        "/api/v1/campaigns/",
        {
            "name": "Roadshow Hamburg",
            "from_name": "Office",
            "from_email": "office@example.org",
            "languages": ["en", "de"],
            "fallback_language": "en",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    cid = created.json()["id"]
    for language, subject in [("en", "Hello {{ name }}"), ("de", "Hallo {{ name }}")]:
        r = api.post(
            f"/api/v1/campaigns/{cid}/content/",
            {"language": language, "subject": subject, "body": "<p>{{ salutation }}</p>"},
            format="json",
        )
        assert r.status_code == 200, r.content
    assert api.post(
        f"/api/v1/campaigns/{cid}/audience/", {"additions": [guest.pk]}, format="json"
    ).json() == {"count": 1}
    preview = api.post(
        f"/api/v1/campaigns/{cid}/preview/", {"person": guest.pk, "language": "de"}, format="json"
    )
    assert preview.json()["subject"].startswith("Hallo")
    assert api.post(f"/api/v1/campaigns/{cid}/submit/").status_code == 200
    # the author may not approve (no permission, and it is their own campaign)
    assert api.post(f"/api/v1/campaigns/{cid}/approve/").status_code == 403
    other = client_for(approver())
    assert other.post(f"/api/v1/campaigns/{cid}/approve/").status_code == 200
    assert Message.objects.filter(campaign_id=cid).count() == 1
    scheduled = api.post(f"/api/v1/campaigns/{cid}/schedule/", {"kind": "now"}, format="json")
    assert scheduled.json()["status"] == CampaignStatus.SENDING
    stats = api.get(f"/api/v1/campaigns/{cid}/stats/").json()
    assert stats["counts"]["queued"] == 1


def test_bad_content_gets_a_field_error_naming_the_merge_field():
    api = client_for(manager("m"))
    campaign = Campaign.objects.create(
        name="x", from_name="O", from_email="o@example.org", created_by=None
    )
    r = api.post(
        f"/api/v1/campaigns/{campaign.pk}/content/",
        {"language": "en", "subject": "Hi {{ nam }}", "body": "<p>x</p>"},
        format="json",
    )
    assert r.status_code == 400
    assert "nam" in str(r.json()["subject"])


def test_suppression_list_over_the_api_keeps_only_a_digest():
    api = client_for(manager("s"))
    r = api.post("/api/v1/suppressions/", {"email": "Who@Example.org"}, format="json")
    assert r.status_code == 201, r.content
    entry = Suppression.objects.get()
    assert "@" not in entry.email_digest
    assert "example" not in str(api.get("/api/v1/suppressions/").json()).lower()


def test_anonymous_and_unprivileged_users_are_refused():
    assert APIClient().get("/api/v1/campaigns/").status_code in (401, 403)
    plain = client_for(UserFactory(username="plain"))
    assert plain.get("/api/v1/campaigns/").status_code == 403
    assert plain.get("/api/v1/messages/unknown/").status_code == 403


def test_openapi_schema_documents_the_campaign_endpoints(staff_admin):
    api = client_for(staff_admin)
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/api/v1/campaigns/{id}/stats/",
        "/api/v1/messages/unknown/",
        "/api/v1/suppressions/",
    ):
        assert path in text


def test_stats_and_messages_report_hard_and_soft_bounces_apart():
    from anymail.webhooks.postmark import PostmarkTrackingWebhookView

    from outreach.models import DeliveryStatus
    from outreach.services import campaigns, sending, tracking
    from tests.factories import approved_campaign

    campaign = approved_campaign(
        people=[make_contact(f"{name}@example.org") for name in ("ok", "full", "gone")]
    )
    campaigns.schedule(campaign, kind="now", acting_user=campaign.created_by)
    sending.send_due_messages(budget_seconds=5)
    parse = PostmarkTrackingWebhookView(webhook_secret="u:p").esp_to_anymail_event
    by_email = {m.email: m for m in Message.objects.filter(campaign=campaign)}
    events = [
        {"RecordType": "Delivery", "DeliveredAt": "2027-01-01T10:00:00Z", "who": "ok"},
        {"RecordType": "Bounce", "Type": "SoftBounce", "ID": 1, "who": "full"},
        {"RecordType": "Bounce", "Type": "HardBounce", "ID": 2, "who": "gone"},
    ]
    for event in events:
        message = by_email[f"{event.pop('who')}@example.org"]
        event |= {"MessageID": "x", "Metadata": {"m": str(message.public_id)}}
        event.setdefault("BouncedAt", "2027-01-01T10:05:00Z")
        tracking.record_events("postmark", [parse(event)])
    tracking.apply_all_pending_events()

    api = client_for(manager("stats"))
    funnel = api.get(f"/api/v1/campaigns/{campaign.pk}/stats/").json()["funnel"]
    assert funnel == {
        "sent": 3,
        "delivered": 1,
        "opened": 0,
        "clicked": 0,
        "hard_bounced": 1,
        "soft_bounced": 1,
        "complained": 0,
        "unsubscribed": 0,
    }
    soft = api.get("/api/v1/messages/", {"delivery_status": DeliveryStatus.SOFT_BOUNCED}).json()
    rows = soft["results"] if isinstance(soft, dict) else soft
    assert [(r["email"], r["bounced_at"]) for r in rows] == [("f•••@example.org", None)]
    assert rows[0]["soft_bounced_at"].startswith("2027-01-01T")
    hard = api.get("/api/v1/messages/", {"delivery_status": DeliveryStatus.BOUNCED}).json()
    rows = hard["results"] if isinstance(hard, dict) else hard
    assert [(r["email"], r["soft_bounced_at"]) for r in rows] == [("g•••@example.org", None)]


def test_an_approver_sends_a_campaign_back_over_the_api_with_a_reason():
    from tests.factories import make_campaign

    author = manager("author")
    campaign = make_campaign(owner=author, people=[make_contact("guest@example.org")])
    client_for(author).post(f"/api/v1/campaigns/{campaign.pk}/submit/")
    judge = client_for(approver())
    missing = judge.post(f"/api/v1/campaigns/{campaign.pk}/reject/", {}, format="json")
    assert missing.status_code == 400
    assert "reason" in missing.json()
    assert (
        client_for(author)
        .post(f"/api/v1/campaigns/{campaign.pk}/reject/", {"reason": "mine"}, format="json")
        .status_code
        == 403
    )
    sent_back = judge.post(
        f"/api/v1/campaigns/{campaign.pk}/reject/", {"reason": "No German text"}, format="json"
    )
    assert sent_back.status_code == 200, sent_back.content
    assert sent_back.json()["status"] == CampaignStatus.DRAFT
    campaign.refresh_from_db()
    assert campaign.status_note == "No German text"
