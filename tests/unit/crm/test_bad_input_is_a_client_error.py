"""Input the API or admin cannot use is a 4xx naming the field, never a server error."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from crm.models import Organization
from outreach.models import Event, EventOrganizer
from tests.factories import OrganizationFactory, PersonFactory, SegmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(administrator):
    client = APIClient()
    client.force_authenticate(administrator)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.mark.parametrize("value", [True, 3, "en", {"a": 1}, [1]])
def test_segment_languages_must_be_a_list_of_codes(api, value):
    response = api.post("/api/v1/segments/", {"name": "s", "languages": value}, format="json")
    assert response.status_code == 400
    assert "languages" in response.json()


@pytest.mark.parametrize(
    ("field", "item", "missing"),
    [("phones", {"kind": "mobile"}, "number"), ("emails", {"is_primary": True}, "email")],
)
def test_patching_a_contact_item_without_its_value_names_the_missing_field(
    api, field, item, missing
):
    person = PersonFactory()
    response = api.patch(f"/api/v1/people/{person.pk}/", {field: [item]}, format="json")
    assert response.status_code == 400
    assert missing in str(response.json()[field])


def test_deleting_an_event_organizer_is_a_conflict_that_says_why(api):
    organization = OrganizationFactory()
    start = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        name="Forum", code="forum", kind="forum", starts_at=start, ends_at=start, time_zone="UTC"
    )
    EventOrganizer.objects.create(event=event, organization=organization, role="host")
    response = api.delete(f"/api/v1/organizations/{organization.pk}/")
    assert response.status_code == 409
    assert "event organizer" in response.json()["detail"]
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_segment_inspect_page_opens(client, administrator):
    segment = SegmentFactory(languages=["en"], countries=["DE", "FR"])
    segment.additions.add(PersonFactory())
    client.force_login(administrator)
    response = client.get(
        f"/admin/snippets/crm/segment/inspect/{segment.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Germany, France" in response.content.decode()
