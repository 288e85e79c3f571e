"""Every error answer of the API carries a stable code beside its message: field errors of the
CRM API as well as the campaign API, 401/403/404/409/429, and the schema says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from outreach.models import Event, EventOrganizer
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    return client


@pytest.fixture
def api(officer):
    return client_for(officer)


def test_a_missing_field_keeps_its_messages_and_adds_code_and_field(api):
    response = api.post("/api/v1/organizations/", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["name"] == ["This field is required."]  # DRF's messages by field, as before
    assert body["code"] == "required"
    assert {"field": "name", "code": "required", "message": "This field is required."} in body[
        "errors"
    ]


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        (
            {"family_name": "Li", "country": "CN", "phones": [{"number": "+86 12"}]},
            "phones",
            "invalid_phone",
        ),
        (
            {"family_name": "Li", "preferred_language": "klingon"},
            "preferred_language",
            "invalid_language",
        ),
        ({"family_name": "Li", "time_zone": "Asia/Ningbo"}, "time_zone", "invalid_time_zone"),
        ({"family_name": "Li", "emails": [{"email": "not-an-address"}]}, "emails", "invalid"),
        ({"family_name": "Li\u202e"}, "family_name", "invisible_control_character"),
    ],
)
def test_a_persons_invalid_value_has_the_code_of_what_is_wrong(api, payload, field, code):
    response = api.post("/api/v1/people/", payload, format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert field in body
    assert (body["errors"][0]["field"], body["errors"][0]["code"]) == (field, code)
    assert body["code"] == code


def test_an_address_of_another_contact_is_a_duplicate_email(api):
    PersonFactory(email="taken@example.org")
    response = api.post(
        "/api/v1/people/",
        {"family_name": "Li", "emails": [{"email": "taken@example.org"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_email"


def test_a_nested_items_missing_value_names_its_path(administrator):
    person = PersonFactory()
    response = client_for(administrator).patch(
        f"/api/v1/people/{person.pk}/",
        {"phones": [{"number": "+49 30 901820"}, {"kind": "mobile"}]},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("phones[1].number", "required")]


def test_deleting_a_referenced_organization_is_a_409_with_code_protected(administrator):
    organization = OrganizationFactory()
    start = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        name="Forum", code="forum", kind="forum", starts_at=start, ends_at=start, time_zone="UTC"
    )
    EventOrganizer.objects.create(event=event, organization=organization, role="host")
    response = client_for(administrator).delete(f"/api/v1/organizations/{organization.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "protected"
    assert "event organizer" in response.json()["detail"]


def test_not_signed_in_forbidden_and_not_found_have_codes(api, viewer):
    anonymous = APIClient().get("/api/v1/people/")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    forbidden = client_for(viewer).post("/api/v1/organizations/", {"name": "X"}, format="json")
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "permission_denied")
    missing = api.get("/api/v1/people/999999999/")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    unread = api.post("/api/v1/people/", "{", content_type="application/json")
    assert (unread.status_code, unread.json()["code"]) == (400, "parse_error")


def test_too_many_requests_is_a_429_with_code_throttled(api, settings):
    settings.API_RATE_USER = "2/minute"
    from django.core.cache import cache

    cache.clear()
    statuses = [api.get("/api/v1/organizations/") for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert statuses[-1].json()["code"] == "throttled"


def test_the_schema_documents_the_codes(administrator):
    schema = client_for(administrator).get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    components = schema.json()["components"]["schemas"]
    assert components["ValidationErrors"]["required"] == ["code"]
    assert components["ValidationErrors"]["properties"]["errors"]["items"] == {
        "$ref": "#/components/schemas/ErrorItem"
    }
    assert components["ErrorDetail"]["required"] == ["detail", "code"]
    create_person = schema.json()["paths"]["/api/v1/people/"]["post"]["responses"]
    assert create_person["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationErrors"
    }
    assert "409" in create_person
