"""The shared send-rate budget: senders claim rows first, then take tokens for what they claimed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from outreach.models import CampaignStatus, Message, MessageStatus
from outreach.services import campaigns, ratelimit, sending
from tests.factories import approved_campaign, make_contact

pytestmark = pytest.mark.django_db
RATE = 10


@pytest.fixture(params=["database", "redis"])
def bucket(request):
    """A full bucket of RATE tokens, in the database or (when the tests have one) in Redis."""
    redis_url = settings.REDIS_URL if request.param == "redis" else None
    if request.param == "redis" and not redis_url:
        pytest.skip("REDIS_URL is not set: the Redis bucket is tested in CI")
    with override_settings(CAMPAIGN_SEND_RATE=RATE, REDIS_URL=redis_url):
        if redis_url:
            import redis

            redis.Redis.from_url(redis_url).delete(ratelimit.bucket_key())
        yield request.param


@pytest.fixture
def spent(monkeypatch):
    """Tokens the senders kept so far: taken minus given back (refills over time aside)."""
    ledger = {"taken": 0, "given_back": 0}
    take = ratelimit.take
    give_back = getattr(ratelimit, "give_back", lambda count: None)

    def counting_take(want):
        granted = take(want)
        ledger["taken"] += granted
        return granted

    def counting_give_back(count):
        ledger["given_back"] += max(0, count)
        give_back(count)

    monkeypatch.setattr(ratelimit, "take", counting_take)
    monkeypatch.setattr(ratelimit, "give_back", counting_give_back, raising=False)
    return lambda: ledger["taken"] - ledger["given_back"]


def sending_campaign(count: int, *, due_in: timedelta = timedelta(0)):
    people = [make_contact(f"guest{i}@example.org") for i in range(count)]
    campaign = approved_campaign(people=people)
    campaigns.schedule(campaign, kind="now", acting_user=campaign.created_by)
    Message.objects.filter(campaign=campaign).update(due_at=timezone.now() + due_in)
    return campaign


def test_idle_senders_leave_the_shared_budget_untouched(bucket, spent):
    campaign = sending_campaign(3, due_in=timedelta(hours=1))  # nothing due yet
    for _sender in range(4):
        tally = sending.send_due_messages(budget_seconds=0.2)
        assert tally["sent"] == 0
    assert spent() == 0
    assert Message.objects.filter(campaign=campaign, status=MessageStatus.QUEUED).count() == 3
    assert ratelimit.take(RATE) >= RATE  # the whole second's worth is still there


def test_a_sender_takes_tokens_only_for_the_rows_it_claimed(bucket, spent, mailoutbox):
    sending_campaign(3)
    tally = sending.send_due_messages(budget_seconds=5)
    assert tally["sent"] == 3
    assert len(mailoutbox) == 3
    assert spent() == 3


def test_tokens_of_rows_not_handed_to_the_esp_are_given_back(bucket, spent):
    campaign = sending_campaign(4)
    ids, token = sending.claim_batch(4)
    taken = ratelimit.acquire(len(ids))
    assert taken == 4
    campaign.status = CampaignStatus.PAUSED  # paused between the claim and the send
    campaign.save(update_fields=["status"])
    tally = sending.send_claimed(ids, token, sending.Sender(), tokens=taken)
    assert tally["sent"] == 0
    assert Message.objects.filter(campaign=campaign, status=MessageStatus.QUEUED).count() == 4
    assert spent() == 0


def test_given_back_tokens_never_overfill_the_bucket(bucket):
    assert ratelimit.take(RATE) == RATE
    ratelimit.give_back(4)
    assert 4 <= ratelimit.take(RATE) <= 5
    ratelimit.give_back(3 * RATE)
    assert ratelimit.take(3 * RATE) <= RATE + 1
