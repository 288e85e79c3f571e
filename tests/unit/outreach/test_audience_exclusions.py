"""The audience step says who is left out and why, counted and listed through the access
policy."""

from __future__ import annotations

import pytest

from outreach.models import SuppressionReason
from outreach.services import exclusions, suppression
from tests.factories import PersonFactory, make_campaign, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_campaign(other_officer):
    ok = make_contact("ok@example.org")
    never = make_contact("never@example.org")
    people = {
        "ok": ok,
        "no_consent": make_contact("nc@example.org", consent=None),
        "dnc": make_contact("dnc@example.org", do_not_contact=True),
        "suppressed": make_contact("bounced@example.org"),
        "no_address": PersonFactory(family_name="Noaddress"),
        "japanese": make_contact("ja@example.org", language="ja"),
        "never": never,
        "hidden": make_contact(
            "hidden@example.org", consent=None, restricted=True, owner=other_officer
        ),
    }
    from crm.models import Consent

    Consent.objects.create(
        person=people["no_address"], purpose="event_invitations", channel="email"
    )
    suppression.suppress("bounced@example.org", SuppressionReason.HARD_BOUNCE)
    campaign = make_campaign(people=list(people.values()), languages=("en", "zh-hans"))
    campaign.exclusions.add(never)
    return campaign, people


def test_each_left_out_person_is_counted_under_the_first_reason(mixed_campaign, officer):
    campaign, people = mixed_campaign
    counts = {reason: count for reason, _label, count in exclusions.summary(campaign, officer)}
    assert counts == {
        "excluded": 1,
        "erased": 0,
        "do_not_contact": 1,
        "no_consent": 1,  # the restricted person of another officer is not counted
        "no_address": 1,
        "language": 1,
        "suppressed": 1,
    }
    listed = exclusions.excluded_people(campaign, officer, "language")
    assert list(listed) == [people["japanese"]]


def test_a_fallback_language_leaves_nobody_out_for_their_language(mixed_campaign, officer):
    campaign, _people = mixed_campaign
    campaign.fallback_language = "en"
    campaign.save()
    counts = {reason: count for reason, _label, count in exclusions.summary(campaign, officer)}
    assert counts["language"] == 0


def test_the_left_out_page_names_reasons_and_lists_people_without_hidden_ones(
    client, mixed_campaign, campaign_manager, administrator
):
    campaign, _people = mixed_campaign
    client.force_login(campaign_manager)
    page = client.get(f"/admin/campaigns/{campaign.pk}/excluded/?reason=no_consent")
    assert page.status_code == 200
    body = page.content.decode()
    assert "No valid consent for the campaign&#x27;s purpose" in body
    assert "Nc" in body
    assert "Hidden" not in body
    client.force_login(administrator)  # administrators see restricted contacts
    body = client.get(f"/admin/campaigns/{campaign.pk}/excluded/?reason=no_consent").content
    assert "Hidden" in body.decode()
