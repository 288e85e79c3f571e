"""REST API: nested emails/phones, filters, pagination, preview, and 400s that name the value."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from crm.models import Person
from tests.factories import ConsentFactory, PersonFactory, SegmentFactory


@pytest.fixture
def api(officer):
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    return client


@pytest.mark.django_db
def test_creating_a_person_stores_normalised_emails_and_phones(api, officer):
    response = api.post(
        "/api/v1/people/",
        {
            "family_name": "王",
            "given_name": "伟",
            "name_order": "family_first",
            "name_latin": "Wang Wei",
            "country": "CN",
            "preferred_language": "zh-hans",
            "time_zone": "Asia/Shanghai",
            "emails": [{"email": "Wang.Wei@Example.CN"}],
            "phones": [{"number": "138 0013 8000", "kind": "mobile"}],
            "tags": ["speaker"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phones"] == [{"number": "+8613800138000", "kind": "mobile", "is_primary": False}]
    assert body["emails"][0]["is_primary"] is True
    assert body["tags"] == ["speaker"]
    assert body["owner"] == officer.pk
    assert body["display_name"] == "王伟 (Wang Wei)"  # native name filled in, family first


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"family_name": "Li", "country": "CN", "phones": [{"number": "+86 12"}]},
            "phones",
            'phones[0]: "+86 12" is not a valid phone number for CN',
        ),
        (
            {"family_name": "Li", "preferred_language": "klingon"},
            "preferred_language",
            '"klingon" is not one of the configured languages',
        ),
        (
            {"family_name": "Li", "time_zone": "Asia/Ningbo"},
            "time_zone",
            '"Asia/Ningbo" is not an IANA time zone',
        ),
        (
            {"family_name": "Li", "emails": [{"email": "not-an-address"}]},
            "emails",
            'emails[0]: "not-an-address": Enter a valid email address.',
        ),
        (
            {"family_name": "Li", "emails": [{"email": "taken@example.org"}]},
            "emails",
            'emails[0]: "taken@example.org" already belongs to another contact',
        ),
        ({"given_name": "", "country": "XX"}, "country", '"XX" is not a valid choice.'),
        ({"city": "Nowhere"}, "family_name", "Give at least one form of the person's name."),
    ],
)
def test_invalid_input_is_a_400_naming_the_field_and_value(api, payload, field, message):
    PersonFactory(email="taken@example.org")
    response = api.post("/api/v1/people/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()[field]
    assert any(message in error for error in errors), errors
    assert Person.objects.count() == 1  # nothing half-written


@pytest.mark.django_db
def test_people_can_be_searched_and_filtered(api):
    PersonFactory(family_name="Müller", country="DE", email="m@example.de")
    PersonFactory(family_name="Иванов", country="RU", preferred_language="ru")
    assert [p["family_name"] for p in api.get("/api/v1/people/?q=MULLER").json()["results"]] == [
        "Müller"
    ]
    assert [p["family_name"] for p in api.get("/api/v1/people/?country=ru").json()["results"]] == [
        "Иванов"
    ]
    page = api.get("/api/v1/people/").json()
    assert page["count"] == 2
    assert "next" in page


@pytest.mark.django_db
def test_segment_preview_returns_the_count_and_a_sample(api):
    for index in range(3):
        ConsentFactory(person=PersonFactory(country="DE", family_name=f"P{index}"))
    PersonFactory(country="DE", family_name="NoConsent")
    segment = SegmentFactory(countries=["DE"], consent_purpose="event_invitations")
    body = api.get(f"/api/v1/segments/{segment.pk}/preview/").json()
    assert body["count"] == 3
    assert len(body["sample"]) == 3


@pytest.mark.django_db
def test_segment_filters_are_checked(campaign_manager):
    client = APIClient()
    client.force_authenticate(campaign_manager)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/api/v1/segments/",
        {"name": "Bad", "countries": ["ZZ"], "languages": ["xx"], "organization_kinds": ["pub"]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert '"ZZ" is not a country code.' in body["countries"][0]
    assert '"xx" is not one of the configured languages' in body["languages"][0]
    assert '"pub" is not an organization kind.' in body["organization_kinds"][0]


@pytest.mark.django_db
def test_a_relationship_joins_two_people_or_two_organizations(api, officer):
    from crm.models import RelationshipType

    kind = RelationshipType.objects.get(name="assistant")
    a, b = PersonFactory(owner=officer), PersonFactory(owner=officer)
    ok = api.post(
        "/api/v1/relationships/",
        {"type": kind.pk, "from_person": a.pk, "to_person": b.pk},
        format="json",
    )
    assert ok.status_code == 201
    bad = api.post("/api/v1/relationships/", {"type": kind.pk, "from_person": a.pk}, format="json")
    assert bad.status_code == 400


@pytest.mark.django_db
def test_consents_are_recorded_and_withdrawn(api, officer):
    person = PersonFactory(owner=officer)
    response = api.post(
        "/api/v1/consents/",
        {"person": person.pk, "purpose": "newsletters", "channel": "email", "source": "form"},
        format="json",
    )
    assert response.status_code == 201
    consent_id = response.json()["id"]
    withdrawn = api.post(f"/api/v1/consents/{consent_id}/withdraw/").json()
    assert withdrawn["withdrawn_at"] is not None
    assert withdrawn["is_valid"] is False


@pytest.mark.django_db
def test_schema_documents_the_crm_endpoints(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ["/api/v1/people/", "/api/v1/segments/{id}/preview/", "/api/v1/consents/"]:
        assert path in schema["paths"]


@pytest.mark.django_db
def test_an_officer_adds_an_affiliation_to_their_own_contact_only(api, officer, other_officer):
    from tests.factories import OrganizationFactory

    organization = OrganizationFactory()
    mine, theirs = PersonFactory(owner=officer), PersonFactory(owner=other_officer)
    ok = api.post(
        "/api/v1/affiliations/",
        {"person": mine.pk, "organization": organization.pk, "position": "Dean"},
        format="json",
    )
    assert ok.status_code == 201
    assert api.get(f"/api/v1/people/{mine.pk}/").json()["affiliations"][0]["position"] == "Dean"
    refused = api.post(
        "/api/v1/affiliations/",
        {"person": theirs.pk, "organization": organization.pk},
        format="json",
    )
    assert refused.status_code == 403
