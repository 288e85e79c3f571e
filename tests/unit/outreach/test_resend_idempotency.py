"""Resend's idempotency key: the ESP simulator speaks the part of Resend's API that anymail's
Resend backend calls and honours ``Idempotency-Key`` as Resend documents it; Liaison's Resend
backend sends the key it finds on a message; the ledger classifies Resend's answers and trusts a
repeat to the ESP only while the key is honoured."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import requests
from anymail.exceptions import AnymailAPIError, AnymailRequestsAPIError
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from outreach.services import sending
from outreach.services.esp import Outcome, Sender, classify_exception
from tests.support import running_simulator

BACKEND = "outreach.esp.resend.EmailBackend"


@pytest.fixture
def simulator():
    with running_simulator("re_sim") as running:
        yield running


def connection_to(url: str, api_key: str = "re_sim"):
    return get_connection(BACKEND, api_key=api_key, api_url=url)


def email(url: str, *, to: str = "guest@example.org", subject: str = "Invitation", key=None):
    message = EmailMessage(subject, "Body", "office@example.org", [to])
    message.connection = connection_to(url)
    message.metadata = {"m": "public-id-1"}
    if key is not None:
        message.idempotency_key = key
    return message


def post(url: str, path: str, body, *, key: str | None = None, api_key: str = "re_sim"):
    headers = {"Authorization": f"Bearer {api_key}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return requests.post(url + path, json=body, headers=headers, timeout=10)


def one_email(to: str = "guest@example.org", subject: str = "Invitation") -> dict:
    return {"from": "office@example.org", "to": [to], "subject": subject, "text": "Body"}


def test_anymail_resend_backend_sends_through_the_simulator_with_the_messages_key(simulator):
    url, outbox = simulator
    message = email(url, key="liaison-message/abc")
    message.send()
    [record] = outbox.snapshot()
    assert record["To"] == "guest@example.org"
    assert record["Subject"] == "Invitation"
    assert record["Metadata"] == {"m": "public-id-1"}
    assert record["IdempotencyKey"] == "liaison-message/abc"
    assert message.anymail_status.message_id == record["MessageID"]


def test_a_message_without_a_key_is_sent_without_the_header(simulator):
    url, outbox = simulator
    email(url).send()
    email(url).send()
    assert [r["IdempotencyKey"] for r in outbox.snapshot()] == ["", ""]


def test_same_key_and_payload_replays_the_first_answer_and_records_one_message(simulator):
    url, outbox = simulator
    first, second = email(url, key="k-1"), email(url, key="k-1")
    first.send()
    second.send()
    assert second.anymail_status.message_id == first.anymail_status.message_id
    assert len(outbox.snapshot()) == 1
    assert requests.get(url + "_sim/stats", timeout=5).json()["idempotent_replays"] == 1


def test_same_key_with_another_payload_is_refused_with_resends_409(simulator):
    url, outbox = simulator
    email(url, key="k-2").send()
    with pytest.raises(AnymailAPIError) as err:
        email(url, key="k-2", subject="Changed").send()
    assert err.value.status_code == 409
    assert err.value.response.json() == {
        "statusCode": 409,
        "name": "invalid_idempotent_request",
        "message": "Same idempotency key used with a different request payload.",
    }
    assert len(outbox.snapshot()) == 1
    # the ledger cannot settle this by retrying under the same key: a person decides
    result = classify_exception(err.value)
    assert result.outcome is Outcome.AMBIGUOUS
    assert result.key_conflict


def test_a_repeat_while_the_first_request_is_in_progress_gets_409_concurrent(simulator):
    url, outbox = simulator
    # the first request under the key is being processed (held between lookup and answer)
    assert outbox.claim_key("k-busy", "fingerprint")[0] == "new"
    answer = post(url, "emails", one_email(), key="k-busy")
    assert answer.status_code == 409
    assert answer.json()["name"] == "concurrent_idempotent_requests"
    assert outbox.snapshot() == []


def test_the_batch_endpoint_honours_the_key_for_the_whole_batch(simulator):
    url, outbox = simulator
    batch = [one_email("a@example.org"), one_email("b@example.org")]
    first = post(url, "emails/batch", batch, key="batch-1")
    again = post(url, "emails/batch", batch, key="batch-1")
    assert first.status_code == again.status_code == 200
    assert len(first.json()["data"]) == 2
    assert again.json() == first.json()
    assert sorted(r["To"] for r in outbox.snapshot()) == ["a@example.org", "b@example.org"]
    other = post(url, "emails/batch", batch[:1], key="batch-1")
    assert (other.status_code, other.json()["name"]) == (409, "invalid_idempotent_request")


def test_a_refused_request_does_not_keep_its_key(simulator):
    url, outbox = simulator
    outbox.configure(rate_429=1.0)
    assert post(url, "emails", one_email(), key="k-3").status_code == 429
    outbox.configure(rate_429=0.0)
    assert post(url, "emails", one_email(subject="Other"), key="k-3").status_code == 200
    invalid = post(url, "emails", {"from": "office@example.org", "to": []}, key="k-4")
    assert (invalid.status_code, invalid.json()["name"]) == (422, "validation_error")
    assert post(url, "emails", one_email(), key="k-4").status_code == 200
    assert len(outbox.snapshot()) == 2


def test_a_timeout_after_accepting_keeps_the_message_and_the_retry_is_replayed(simulator):
    url, outbox = simulator
    outbox.configure(rate_timeout=1.0, timeout_seconds=2)
    with pytest.raises(requests.ReadTimeout):
        requests.post(
            url + "emails",
            json=one_email(),
            headers={"Authorization": "Bearer re_sim", "Idempotency-Key": "k-5"},
            timeout=0.5,
        )
    [record] = outbox.snapshot()  # it was taken although no answer came back
    outbox.configure(rate_timeout=0.0)
    retry = post(url, "emails", one_email(), key="k-5")
    assert retry.json() == {"id": record["MessageID"]}
    assert len(outbox.snapshot()) == 1


def test_a_key_is_forgotten_after_its_lifetime(simulator):
    url, outbox = simulator
    outbox.configure(idempotency_seconds=0)
    post(url, "emails", one_email(), key="k-6")
    post(url, "emails", one_email(), key="k-6")
    assert len(outbox.snapshot()) == 2


def test_key_length_and_api_key_are_checked_as_resend_does(simulator):
    url, outbox = simulator
    too_long = post(url, "emails", one_email(), key="k" * 257)
    assert (too_long.status_code, too_long.json()["name"]) == (400, "invalid_idempotency_key")
    assert post(url, "emails", one_email(), key="k" * 256).status_code == 200
    wrong = post(url, "emails", one_email(), api_key="re_wrong")
    assert (wrong.status_code, wrong.json()["name"]) == (403, "invalid_api_key")
    missing = requests.post(url + "emails", json=one_email(), timeout=5)
    assert (missing.status_code, missing.json()["name"]) == (401, "missing_api_key")
    assert len(outbox.snapshot()) == 1


def test_the_outbox_page_lists_mail_from_both_apis(simulator):
    url, _outbox = simulator
    email(url, subject="Through Resend").send()
    postmark = get_connection(
        "anymail.backends.postmark.EmailBackend", server_token="re_sim", api_url=url
    )
    EmailMessage(
        "Through Postmark", "x", "f@example.org", ["t@example.org"], connection=postmark
    ).send()
    page = requests.get(url, timeout=5).text
    assert "2 message(s)" in page
    assert "Through Resend" in page
    assert "Through Postmark" in page


# --- the ledger's side ---------------------------------------------------------------------
def _resend_error(status: int, name: str) -> AnymailRequestsAPIError:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps({"statusCode": status, "name": name, "message": "x"}).encode()
    return AnymailRequestsAPIError("x", response=response)


@pytest.mark.parametrize(
    ("name", "outcome", "key_conflict"),
    [
        ("invalid_idempotent_request", Outcome.AMBIGUOUS, True),
        ("concurrent_idempotent_requests", Outcome.TRANSIENT, False),
        ("some_other_conflict", Outcome.PERMANENT, False),
    ],
)
def test_resends_409_answers_are_classified_by_their_error_name(name, outcome, key_conflict):
    result = classify_exception(_resend_error(409, name))
    assert (result.outcome, result.key_conflict) == (outcome, key_conflict)


@pytest.mark.django_db
def test_the_key_is_opaque_stable_and_new_after_each_resend_decision():
    from outreach.models import Message

    message = Message(resend_count=0)
    key = sending.idempotency_key(message)
    assert key == f"liaison-message/{message.public_id}"
    assert sending.idempotency_key(message) == key
    message.resend_count = 2
    assert sending.idempotency_key(message) == f"liaison-message/{message.public_id}/resend-2"


def test_a_repeat_is_trusted_to_the_esp_only_well_within_the_keys_lifetime(settings):
    settings.EMAIL_BACKEND = BACKEND
    settings.ANYMAIL = {**settings.ANYMAIL, "RESEND_API_KEY": "re_x"}
    sender = Sender()
    taken = timezone.now()
    assert sender.key_still_honoured(taken, taken + timedelta(hours=22))
    assert not sender.key_still_honoured(taken, taken + timedelta(hours=23, minutes=1))
    sender.close()
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {**settings.ANYMAIL, "POSTMARK_SERVER_TOKEN": "x"}
    without_keys = Sender()
    assert not without_keys.key_still_honoured(taken, taken)
    without_keys.close()


@pytest.mark.django_db
def test_an_attempt_in_doubt_is_never_repeated_through_an_esp_without_keys(mailoutbox):
    """A row left in doubt under Resend, after the ESP was switched to one without keys."""
    from outreach.models import Message, MessageStatus
    from outreach.services import campaigns
    from tests.factories import approved_campaign, make_contact

    campaign = approved_campaign(people=[make_contact("doubt@example.org")])
    campaigns.schedule(campaign, kind="now", acting_user=campaign.created_by)
    Message.objects.filter(campaign=campaign).update(ambiguous_since=timezone.now())
    sending.send_due_messages(budget_seconds=1)
    assert Message.objects.get(campaign=campaign).status == MessageStatus.UNKNOWN
    assert mailoutbox == []
