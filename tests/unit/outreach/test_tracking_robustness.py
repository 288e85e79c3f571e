"""A malformed or failing tracking event is marked with its error and never holds up the rest."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from outreach.models import DeliveryStatus, Message, Suppression, TrackingEvent
from outreach.services import campaigns, sending, suppression, tracking
from tests.factories import approved_campaign, make_contact

pytestmark = pytest.mark.django_db
SECRET = "hook:s3cret"
WEBHOOK = "/anymail/postmark/tracking/"
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}


def _post(payload, **extra):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return Client().post(WEBHOOK, data=body, content_type="application/json", **AUTH, **extra)


def delivery(message: Message) -> dict:
    return {
        "RecordType": "Delivery",
        "MessageID": message.esp_message_id,
        "Recipient": message.email,
        "DeliveredAt": "2027-01-01T10:00:00Z",
        "Metadata": {"m": str(message.public_id)},
    }


def bounce(message: Message, event_id: int = 77) -> dict:
    return {
        "RecordType": "Bounce",
        "ID": event_id,
        "Type": "HardBounce",
        "MessageID": message.esp_message_id,
        "Email": message.email,
        "BouncedAt": "2027-01-01T10:05:00Z",
        "Metadata": {"m": str(message.public_id)},
    }


def _two_sent_messages() -> list[Message]:
    campaign = approved_campaign(
        people=[make_contact("a@example.org"), make_contact("b@example.org")]
    )
    campaigns.schedule(campaign, kind="now", acting_user=campaign.created_by)
    sending.send_due_messages(budget_seconds=2)
    messages = list(Message.objects.order_by("pk"))
    for i, message in enumerate(messages):
        Message.objects.filter(pk=message.pk).update(esp_message_id=f"esp-{i}")
        message.refresh_from_db()
    return messages


@override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})
def test_an_event_whose_message_id_is_not_a_uuid_is_marked_and_later_events_apply():
    first, second = _two_sent_messages()
    malformed = {**delivery(first), "MessageID": "unknown", "Metadata": {"m": "not-a-uuid"}}
    assert _post(malformed).status_code == 200
    assert _post(bounce(second)).status_code == 200
    stored = TrackingEvent.objects.get(esp_message_id="unknown")
    assert stored.error == "metadata m is not a message id"

    tracking.apply_all_pending_events()
    second.refresh_from_db()
    assert second.delivery_status == DeliveryStatus.BOUNCED
    assert not TrackingEvent.objects.filter(applied_at__isnull=True).exists()


def test_a_malformed_row_stored_before_validation_does_not_block_the_queue():
    (message,) = _two_sent_messages()[:1]
    now = timezone.now()
    TrackingEvent.objects.create(
        esp="postmark", event_id="old-1", event_type="delivered", message_public_id="x" * 36
    )
    TrackingEvent.objects.create(
        esp="postmark",
        event_id="new-1",
        event_type="delivered",
        message_public_id=str(message.public_id),
        occurred_at=now,
    )
    assert tracking.apply_all_pending_events() == 2
    message.refresh_from_db()
    assert message.delivered_at == now


@override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})
def test_an_event_that_fails_to_apply_is_marked_with_its_error_and_the_rest_apply(monkeypatch):
    first, second = _two_sent_messages()
    real = suppression.suppress

    def failing_for_first(digest, *args, **kwargs):
        if digest == first.email_digest:
            raise RuntimeError("boom")
        return real(digest, *args, **kwargs)

    monkeypatch.setattr(suppression, "suppress", failing_for_first)
    _post(bounce(first, event_id=1))
    _post(bounce(second, event_id=2))
    tracking.apply_all_pending_events()

    failed = TrackingEvent.objects.get(event_id="1")
    assert failed.applied_at is not None
    assert failed.error == "not applied: RuntimeError"
    second.refresh_from_db()
    assert second.delivery_status == DeliveryStatus.BOUNCED
    assert Suppression.objects.filter(email_digest=second.email_digest).exists()
    first.refresh_from_db()
    assert first.delivery_status != DeliveryStatus.BOUNCED  # nothing half-applied


@override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})
@pytest.mark.parametrize("body", ["this is not json", "[" * 100_000 + "]" * 100_000])
def test_a_webhook_body_that_is_not_json_is_a_client_error(body):
    approved_campaign(people=[])
    response = _post(body)
    assert response.status_code == 400
    assert TrackingEvent.objects.count() == 0
