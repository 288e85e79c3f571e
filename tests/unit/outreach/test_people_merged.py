"""A merge keeps outreach's records: messages, campaign additions and exclusions follow the
kept person, and an undo puts them back."""

import pytest

from crm.services import merge as merge_service
from outreach.models import Message
from outreach.services.audience import audience_people
from tests.factories import approved_campaign, make_campaign, make_contact

pytestmark = pytest.mark.django_db


def test_a_duplicate_on_the_never_send_to_list_keeps_the_kept_person_off_the_campaign(officer):
    keep = make_contact("anna.li@example.org")
    drop = make_contact("anna@li.example.cn")
    campaign = make_campaign(people=[keep])
    campaign.exclusions.add(drop)
    assert list(audience_people(campaign)) == [keep]
    merge_service.merge_people(keep, drop, acting_user=officer)
    assert list(campaign.exclusions.all()) == [keep]
    assert list(audience_people(campaign)) == []


def test_sent_messages_of_the_merged_away_person_point_to_the_kept_one_until_undone(officer):
    keep = make_contact("anna.li@example.org")
    drop = make_contact("anna@li.example.cn")
    campaign = approved_campaign(people=[drop])
    message = Message.objects.get(campaign=campaign)
    assert message.person == drop
    dropped_id = drop.pk
    merge = merge_service.merge_people(keep, drop, acting_user=officer)
    message.refresh_from_db()
    assert message.person_id == keep.pk
    assert list(campaign.additions.all()) == [keep]
    merge_service.undo_merge(merge, acting_user=officer)
    message.refresh_from_db()
    assert message.person_id == dropped_id
    assert list(campaign.additions.values_list("pk", flat=True)) == [dropped_id]


def test_a_campaign_listing_both_keeps_one_row_and_undo_restores_both(officer):
    keep = make_contact("anna.li@example.org")
    drop = make_contact("anna@li.example.cn")
    campaign = make_campaign(people=[keep, drop])
    merge = merge_service.merge_people(keep, drop, acting_user=officer)
    assert list(campaign.additions.all()) == [keep]
    merge_service.undo_merge(merge, acting_user=officer)
    assert set(campaign.additions.values_list("pk", flat=True)) == {keep.pk, drop.pk}
