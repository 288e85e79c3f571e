"""The recipient's public pages (unsubscribe, preferences) speak the recipient's language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from outreach.models import Message
from outreach.services.tokens import make_token
from tests.factories import approved_campaign, make_contact

pytestmark = pytest.mark.django_db


def _heading(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode()).group(1)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_unsubscribe_and_preference_pages_are_in_the_recipients_language(client, language):
    approved_campaign(
        people=[make_contact("reader@example.org", language=language)], languages=(language,)
    )
    token = make_token(Message.objects.get().public_id)
    confirm = client.get(reverse("outreach_unsubscribe", args=[token]))
    preferences = client.get(reverse("outreach_preferences", args=[token]))
    direction = "rtl" if language == "ar" else "ltr"
    for response in (confirm, preferences):
        assert f'<html lang="{language}" dir="{direction}">' in response.content.decode()
    if language == "en":
        assert _heading(confirm) == "Unsubscribe"
    else:  # the client asks for English: the page must still follow the recipient
        assert _heading(confirm) != "Unsubscribe"
        assert _heading(preferences) != "Your email preferences"


def test_a_cut_unsubscribe_link_gets_the_invalid_link_page_in_the_readers_language(client):
    response = client.get("/u/not-a-token/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    assert '<html lang="de" dir="ltr">' in response.content.decode()
    assert _heading(response) == "Dieser Link ist ungültig"
