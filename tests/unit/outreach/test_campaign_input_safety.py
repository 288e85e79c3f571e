"""Campaign text as stored: HTML reduced to the site's allow-list, names without hidden
controls."""

import pytest
from rest_framework.test import APIClient

from outreach.models import Campaign, CampaignContent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_campaign_body_is_sanitised_on_save_keeping_links_and_merge_fields():
    campaign = Campaign.objects.create(name="x", from_name="O", from_email="o@example.org")
    content = CampaignContent.objects.create(
        campaign=campaign,
        language="en",
        subject="Hi",
        body=(
            '<p onclick="steal()">Dear {{ salutation }}, <a href="javascript:alert(1)">x</a>'
            '<a href="{{ rsvp_url }}">reply</a> <a linktype="page" id="3">see</a></p>'
            "<script>alert(1)</script><style>p{}</style><iframe src=//evil></iframe>"
            '<embed embedtype="image" id="5" format="left" alt="logo"/>'
        ),
    )
    content.refresh_from_db()
    body = content.body
    for hostile in ("onclick", "javascript:", "<script", "<style", "<iframe", "alert"):
        assert hostile not in body
    assert "{{ salutation }}" in body
    assert '<a href="{{ rsvp_url }}">reply</a>' in body
    assert '<a linktype="page" id="3">see</a>' in body
    assert '<embed embedtype="image" id="5" format="left" alt="logo"/>' in body


def test_api_refuses_a_sender_name_with_a_bidi_control_naming_the_field():
    api = APIClient()
    api.force_authenticate(UserFactory(is_superuser=True, is_staff=True))
    response = api.post(
        "/api/v1/campaigns/",
        {
            "name": "Roadshow",
            "from_name": "Office\u2066 of the mayor",
            "from_email": "office@example.org",
            "languages": ["en"],
            "fallback_language": "en",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "U+2066" in str(response.json()["from_name"])
