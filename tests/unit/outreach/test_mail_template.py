"""The branded invitation mail: lang and dir per recipient, the office's branding from its
settings, a preheader and a plain-text part that reads well."""

from __future__ import annotations

import re

import pytest

from outreach.models import Message
from outreach.services import rendering
from tests.factories import OfficeBrandingFactory, approved_campaign, make_contact

pytestmark = pytest.mark.django_db


def _render(language, **person):
    recipient = make_contact(f"{language}@example.org", language=language, **person)
    campaign = approved_campaign(languages=("en", "zh-hans", "ar"), people=[recipient])
    campaign.contents.filter(language="ar").update(
        subject="دعوة", body="<p>{{ salutation }}،</p><p>يسعدنا دعوتكم إلى منتدى نينغبو.</p>"
    )
    campaign.refresh_from_db()
    message = Message.objects.get(campaign=campaign)
    return rendering.render_for(campaign, message)


def test_arabic_mail_is_right_to_left_with_the_offices_branding():
    OfficeBrandingFactory()
    email = _render("ar", family_name="المنصوري", given_name="فاطمة", gender="female")
    html = email.alternatives[0][0]
    assert '<html lang="ar" dir="rtl"' in html
    assert "text-align:right" in html
    assert "السيدة المنصوري المحترمة" in html
    # the English form of the office's address and its colours
    assert "1901 Ningchuan Road" in html
    assert "#7a1f2b" in html
    assert "International Office" in html  # the campaign's sender is named
    assert 'name="viewport"' in html
    assert "@media (max-width: 620px)" in html
    # a preheader from the text after the salutation, hidden in the body
    preheader = re.search(r'<div style="display:none[^>]*>([^<&]*)', html).group(1)
    assert "يسعدنا دعوتكم" in preheader


def test_chinese_mail_is_left_to_right_in_chinese_with_a_readable_text_part():
    OfficeBrandingFactory()
    email = _render("zh-hans", family_name="王", given_name="伟", honorific="prof")
    html = email.alternatives[0][0]
    assert '<html lang="zh-hans" dir="ltr"' in html
    assert "尊敬的王伟教授" in html
    assert "浙江省宁波市鄞州区宁穿路1901号" in html
    text = email.body
    assert text.startswith("尊敬的王伟教授：")
    assert "<" not in text
    assert "浙江省宁波市鄞州区宁穿路1901号" in text
    unsubscribe = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in text
    assert "\n-- \n" in text  # the signature separator mail clients recognise


def test_without_branding_the_mail_names_the_campaigns_sender_and_has_no_empty_parts():
    email = _render("en")
    html = email.alternatives[0][0]
    assert "International Office" in html
    assert "<img" not in html
    assert "mailto:" not in html
    assert "[[liaison:" not in html
    assert "[[liaison:" not in email.body


def test_the_unsubscribe_page_carries_the_branding_and_names_the_sender(client):
    from django.urls import reverse

    from outreach.services.tokens import make_token

    OfficeBrandingFactory()
    recipient = make_contact("ar@example.org", language="ar")
    approved_campaign(people=[recipient], languages=("ar",))
    token = make_token(Message.objects.get().public_id)
    page = client.get(reverse("outreach_unsubscribe", args=[token])).content.decode()
    assert "International Office" in page
    assert "رسائل من" in page  # "Messages from ..." in the recipient's language
    assert "#7a1f2b" in page
    assert "1901 Ningchuan Road" in page
