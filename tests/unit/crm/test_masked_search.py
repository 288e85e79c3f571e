"""Masked-search oracle: staff who may not see contact details (viewers) cannot confirm any
character of a masked address or phone number, through any search box. They find people by
name, and by a whole address or number (which tells them nothing they did not type)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PersonFactory

EMAIL = "anna.quell@example.de"
PHONE = "+4917612345678"


def api_ids(user, term):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return {p["id"] for p in client.get("/api/v1/people/", {"q": term}).json()["results"]}


def lookup_ids(client, term):
    return {r["id"] for r in client.get("/admin/crm/people/lookup/", {"q": term}).json()["results"]}


def listing_has(client, term, name):
    return name in client.get("/admin/snippets/crm/person/", {"q": term}).content.decode()


def chooser_has(client, term, name):
    response = client.get("/admin/snippets/choose/crm/person/results/", {"q": term})
    return name in response.content.decode()


# Every probe a careful tester would type to recover the address or the number piece by piece.
PROBES = (
    [EMAIL[:i] for i in range(1, len(EMAIL))]
    + [EMAIL[i:] for i in range(1, len(EMAIL))]
    + ["example.de", "@example.de", "quell@", "anna.quell"]
    + [PHONE[:i] for i in range(4, len(PHONE))]
    + [PHONE[i:] for i in range(1, len(PHONE) - 3)]
    + ["0176 1234 5678", "12345678"]
)


@pytest.fixture
def anna(officer):
    return PersonFactory(
        owner=officer, family_name="Zylberstein", given_name="Anna", email=EMAIL, phone=PHONE
    )


@pytest.mark.django_db
def test_a_viewer_cannot_confirm_any_part_of_a_masked_address_or_number(client, viewer, anna):
    client.force_login(viewer)
    for probe in PROBES:
        if probe.lower() in "anna zylberstein":
            continue  # a probe that is a part of her name finds her by name, rightly
        assert api_ids(viewer, probe) == set(), probe
        assert lookup_ids(client, probe) == set(), probe
    # The listing and the chooser, with the most telling probes (they render whole pages).
    for probe in ["q", "anna.q", "@example.de", "quell@example.de", "+49176", "5678"]:
        assert not listing_has(client, probe, "Zylberstein"), probe
        assert not chooser_has(client, probe, "Zylberstein"), probe


@pytest.mark.django_db
def test_a_viewer_finds_people_by_name_and_by_whole_address_or_number(client, viewer, anna):
    client.force_login(viewer)
    for term in ["Zylberstein", "zylber", "Anna Zylberstein", EMAIL, EMAIL.upper(), PHONE]:
        assert api_ids(viewer, term) == {anna.pk}, term
        assert lookup_ids(client, term) == {anna.pk}, term
    assert listing_has(client, EMAIL, "Zylberstein")
    assert chooser_has(client, "Zylberstein", "Zylberstein")


@pytest.mark.django_db
def test_staff_who_see_contact_details_search_any_part_of_them(client, officer, anna):
    client.force_login(officer)
    for term in ["anna.quell", "example.de", "12345678"]:
        assert api_ids(officer, term) == {anna.pk}, term
        assert lookup_ids(client, term) == {anna.pk}, term


@pytest.mark.django_db
def test_campaign_message_search_for_a_viewer_matches_whole_addresses_only(viewer, anna):
    from crm.identity import email_digest
    from outreach.models import Message
    from outreach.services.message_search import search_messages
    from tests.factories import make_campaign

    campaign = make_campaign(people=[anna])
    message = Message.objects.create(
        campaign=campaign,
        person=anna,
        email=EMAIL,
        email_digest=email_digest(EMAIL),
        language="en",
        due_at=campaign.created_at,
    )
    rows = Message.objects.filter(campaign=campaign)
    assert list(search_messages(rows, EMAIL, user=viewer)) == [message]
    for probe in ["anna.quell", "example.de", "quell@example"]:
        assert list(search_messages(rows, probe, user=viewer)) == [], probe
