"""The campaign API answers bad input with a 4xx that says what is wrong, never a 500; the test
send goes to the sender's own address only, is rate-limited, and reports a refused message."""

from __future__ import annotations

import pytest
from anymail.exceptions import AnymailRequestsAPIError
from django.core.mail import EmailMessage
from rest_framework.test import APIClient

from outreach.models import Campaign, CampaignContent
from tests.factories import UserFactory, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory(username="author", is_superuser=True, email="author@office.invalid")


@pytest.fixture
def api(author):
    client = APIClient()
    client.force_authenticate(author)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def campaign(author):
    campaign = Campaign.objects.create(
        name="Roadshow",
        from_name="Office",
        from_email="office@example.org",
        languages=["en"],
        fallback_language="en",
        created_by=author,
    )
    CampaignContent.objects.create(
        campaign=campaign, language="en", subject="Hello {{ name }}", body="<p>Hi</p>"
    )
    return campaign


def _in_audience(campaign):
    """Previews and test sends are of people in the campaign's audience only."""
    guest = make_contact("guest@example.org")
    campaign.additions.add(guest)
    return guest


@pytest.mark.parametrize(
    "payload",
    [
        {"segments": [999999]},
        {"additions": [-1]},
        {"exclusions": [0]},
        {"additions": [2**63]},
        {"additions": [10**30]},
        {"segments": ["x"]},
        {"additions": 5},
    ],
)
def test_audience_with_unknown_negative_or_huge_ids_is_a_400(api, campaign, payload):
    response = api.post(f"/api/v1/campaigns/{campaign.pk}/audience/", payload, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {*payload, "code", "errors"}  # the field, and the error codes
    assert {error["field"].split("[")[0] for error in body["errors"]} == set(payload)


def test_test_send_goes_to_the_senders_own_address_only(api, campaign, mailoutbox):
    guest = _in_audience(campaign)
    response = api.post(
        f"/api/v1/campaigns/{campaign.pk}/test-send/",
        {"person": guest.pk, "language": "en", "to": "attacker@evil.example"},
        format="json",
    )
    assert response.status_code == 202
    (sent,) = mailoutbox
    assert sent.to == ["author@office.invalid"]
    assert not sent.cc
    assert not sent.bcc


def test_test_send_only_goes_to_an_address_at_the_offices_domains(
    api, campaign, author, settings, mailoutbox
):
    settings.STAFF_EMAIL_DOMAINS = ["office.example.org"]
    guest = _in_audience(campaign)
    url = f"/api/v1/campaigns/{campaign.pk}/test-send/"
    body = {"person": guest.pk, "language": "en"}
    refused = api.post(url, body, format="json")
    assert refused.status_code == 400
    assert "office.example.org" in str(refused.json())
    assert not mailoutbox
    author.email = "author@office.example.org"
    author.save()
    assert api.post(url, body, format="json").status_code == 202
    assert mailoutbox[0].to == ["author@office.example.org"]


def test_test_send_is_rate_limited(api, campaign, settings, mailoutbox):
    settings.CAMPAIGN_TEST_SENDS_PER_HOUR = 2
    guest = _in_audience(campaign)
    url = f"/api/v1/campaigns/{campaign.pk}/test-send/"
    body = {"person": guest.pk, "language": "en"}
    assert [api.post(url, body, format="json").status_code for _ in range(3)] == [202, 202, 429]
    assert len(mailoutbox) == 2


def test_test_send_with_the_esp_down_is_a_clear_error(api, campaign, monkeypatch):
    def esp_down(self, fail_silently=False):
        raise AnymailRequestsAPIError("Connection refused")

    monkeypatch.setattr(EmailMessage, "send", esp_down)
    guest = _in_audience(campaign)
    response = api.post(
        f"/api/v1/campaigns/{campaign.pk}/test-send/",
        {"person": guest.pk, "language": "en"},
        format="json",
    )
    assert response.status_code == 400
    assert "email service did not accept" in str(response.json())


def test_a_line_break_in_the_sender_name_is_refused_and_never_reaches_a_header(
    api, campaign, mailoutbox
):
    response = api.patch(
        f"/api/v1/campaigns/{campaign.pk}/", {"from_name": "Office\nBcc: x@evil"}, format="json"
    )
    assert response.status_code == 400
    assert "from_name" in response.json()
    # a campaign stored before the rule: the test send says what is wrong
    Campaign.objects.filter(pk=campaign.pk).update(from_name="Office\r\nBcc: x@evil.example")
    guest = _in_audience(campaign)
    response = api.post(
        f"/api/v1/campaigns/{campaign.pk}/test-send/",
        {"person": guest.pk, "language": "en"},
        format="json",
    )
    assert response.status_code == 400
    assert "line break" in str(response.json())
    assert not mailoutbox
