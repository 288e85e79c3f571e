"""Sending through Resend (Liaison's subclass of anymail's Resend backend) to the ESP simulator
over HTTP: with Resend's idempotency key, a send whose answer was lost is retried under the same
key and the ESP keeps one copy; the key's lifetime, a changed payload and a person's "resend"
decision are handled as the ledger documents (outreach/services/sending.py)."""

from __future__ import annotations

import collections
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from outreach.models import Message, MessageStatus
from outreach.services import sending, unknown_messages
from outreach.services.esp import Sender
from tests.factories import approver
from tests.integration.test_campaign_sending import keep_dispatching, start_campaign
from tests.support import running_simulator, start_worker, stop

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BACKEND = "outreach.esp.resend.EmailBackend"


@pytest.fixture
def simulator():
    with running_simulator("re_sim") as running:
        yield running


@pytest.fixture
def resend(settings, simulator):
    """This process sends through Resend at the simulator; answers later than 1 s are lost."""
    url, outbox = simulator
    settings.EMAIL_BACKEND = BACKEND
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "RESEND_API_KEY": "re_sim",
        "RESEND_API_URL": url,
        "REQUESTS_TIMEOUT": 1,
    }
    settings.CAMPAIGN_RETRY_BASE_SECONDS = 0
    settings.CAMPAIGN_SEND_RATE = 0
    outbox.configure(timeout_seconds=2)
    return url, outbox


def first_attempt_times_out(outbox) -> None:
    """Claim and send every due row once while the simulator takes mail but answers too late."""
    outbox.configure(rate_timeout=1.0)
    ids, token = sending.claim_batch(100)
    sender = Sender()
    try:
        sending.send_claimed(ids, token, sender)
    finally:
        sender.close()
    outbox.configure(rate_timeout=0.0)


def copies_by_message(outbox) -> collections.Counter:
    return collections.Counter(m["Metadata"]["m"] for m in outbox.snapshot())


def test_a_send_that_timed_out_after_the_esp_took_it_is_retried_under_its_key_and_kept_once(
    resend,
):
    url, outbox = resend
    campaign = start_campaign(5)
    first_attempt_times_out(outbox)
    rows = Message.objects.filter(campaign=campaign)
    # the ESP has them, Liaison does not know: queued again under the same key, not UNKNOWN
    assert {m.status for m in rows} == {MessageStatus.QUEUED}
    assert all(m.ambiguous_since is not None for m in rows)
    assert len(outbox.snapshot()) == 5

    sending.send_due_messages(budget_seconds=5)

    rows = Message.objects.filter(campaign=campaign)
    assert {m.status for m in rows} == {MessageStatus.SENT}
    assert {m.attempts for m in rows} == {2}
    copies = copies_by_message(outbox)
    assert sorted(copies) == sorted(str(m.public_id) for m in rows)
    assert set(copies.values()) == {1}
    by_public_id = {m["Metadata"]["m"]: m for m in outbox.snapshot()}
    for message in rows:
        record = by_public_id[str(message.public_id)]
        assert message.esp_message_id == record["MessageID"]  # the first answer, replayed
        assert record["IdempotencyKey"] == f"liaison-message/{message.public_id}"
    assert requests.get(url + "_sim/stats", timeout=5).json()["idempotent_replays"] == 5


def test_answers_lost_every_time_end_unknown_after_the_last_attempt_with_one_copy(resend, settings):
    _url, outbox = resend
    settings.CAMPAIGN_MAX_ATTEMPTS = 2
    campaign = start_campaign(1)
    first_attempt_times_out(outbox)
    outbox.configure(rate_timeout=1.0)
    sending.send_due_messages(budget_seconds=5)
    message = Message.objects.get(campaign=campaign)
    assert (message.status, message.attempts) == (MessageStatus.UNKNOWN, 2)
    assert len(outbox.snapshot()) == 1


def test_a_message_in_doubt_that_then_fails_is_unknown_not_failed(resend, settings):
    """FAILED means "never sent"; an earlier attempt may have delivered this one."""
    _url, outbox = resend
    settings.CAMPAIGN_MAX_ATTEMPTS = 2
    campaign = start_campaign(1)
    first_attempt_times_out(outbox)
    outbox.configure(rate_429=1.0)
    sending.send_due_messages(budget_seconds=3)
    message = Message.objects.get(campaign=campaign)
    assert message.status == MessageStatus.UNKNOWN
    assert "gave up after 2 attempts" in message.last_error
    assert len(outbox.snapshot()) == 1


def test_a_message_in_doubt_whose_key_may_be_forgotten_is_unknown_and_a_resend_uses_a_new_key(
    resend,
):
    _url, outbox = resend
    campaign = start_campaign(1)
    first_attempt_times_out(outbox)
    # the campaign was paused for a day: Resend no longer recognises a repeat
    Message.objects.filter(campaign=campaign).update(
        ambiguous_since=timezone.now() - timedelta(hours=24)
    )
    sending.send_due_messages(budget_seconds=3)
    message = Message.objects.get(campaign=campaign)
    assert message.status == MessageStatus.UNKNOWN
    assert "no longer recognises a repeat" in message.last_error
    assert len(outbox.snapshot()) == 1

    # a person decides it did not go out: sent again, deliberately, under a new key
    assert unknown_messages.resend_unknown([message.pk], acting_user=approver()) == 1
    sending.send_due_messages(budget_seconds=3)
    message.refresh_from_db()
    assert (message.status, message.resend_count, message.ambiguous_since) == (
        MessageStatus.SENT,
        1,
        None,
    )
    keys = [m["IdempotencyKey"] for m in outbox.snapshot()]
    assert keys == [
        f"liaison-message/{message.public_id}",
        f"liaison-message/{message.public_id}/resend-1",
    ]


def test_a_message_that_changed_after_an_attempt_in_doubt_is_unknown_not_sent_again(resend):
    _url, outbox = resend
    campaign = start_campaign(1)
    first_attempt_times_out(outbox)
    message = Message.objects.get(campaign=campaign)
    # the guest's name was corrected meanwhile: the retry's payload differs from the first
    message.person.family_name = "Corrected"
    message.person.save()
    sending.send_due_messages(budget_seconds=3)
    message.refresh_from_db()
    assert message.status == MessageStatus.UNKNOWN
    assert "invalid_idempotent_request" in message.last_error
    assert len(outbox.snapshot()) == 1


def test_a_worker_sends_a_campaign_through_resend_with_twenty_percent_faults_exactly_once(
    simulator, tmp_path
):
    url, outbox = simulator
    outbox.configure(
        rate_429=0.05, rate_500=0.05, rate_timeout=0.05, rate_close=0.05, timeout_seconds=2, seed=7
    )
    env = {
        "ESP": "resend",
        "ESP_API_KEY": "re_sim",
        "ESP_API_URL": url,
        "ESP_TIMEOUT": "1",
        "CAMPAIGN_SEND_RATE": "0",
        "CAMPAIGN_RETRY_BASE_SECONDS": "0.2",
        "CAMPAIGN_TASK_BUDGET_SECONDS": "20",
        "CAMPAIGN_WAVE_SECONDS": "5",
        "CAMPAIGN_BATCH_SIZE": "25",
    }
    worker = start_worker(name="resend", extra_env=env, log_path=tmp_path / "worker.log")
    try:
        campaign = start_campaign(200)
        keep_dispatching(campaign, timeout=300, what="every message to be sent")
    finally:
        stop(worker)
    stats = requests.get(url + "_sim/stats", timeout=5).json()
    assert stats["faults_injected"] > 0
    assert stats["idempotent_replays"] > 0  # answers were lost and the retries were de-duplicated
    statuses = collections.Counter(
        Message.objects.filter(campaign=campaign).values_list("status", flat=True)
    )
    assert statuses == {MessageStatus.SENT: 200}
    copies = copies_by_message(outbox)
    assert len(copies) == 200
    assert set(copies.values()) == {1}
    esp_ids = {m["MessageID"] for m in outbox.snapshot()}
    assert (
        set(Message.objects.filter(campaign=campaign).values_list("esp_message_id", flat=True))
        <= esp_ids
    )
