"""Names refuse zero-width and bidirectional control characters, with an error on the field."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from crm.models import Organization, Person
from crm.models.validators import validate_visible_text

CONTROLS = ["\u200b", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069"]


@pytest.mark.parametrize("control", CONTROLS)
def test_each_invisible_control_character_is_refused_naming_it(control):
    with pytest.raises(ValidationError) as refused:
        validate_visible_text(f"Ann{control}a")
    message = refused.value.messages[0]
    assert f"U+{ord(control):04X}" in message
    assert "position 4" in message


def test_names_in_any_script_pass():
    for name in ["王伟", "Müller", "Иванов", "田中太郎", "محمد", "O'Brien-Smith"]:
        validate_visible_text(name)


@pytest.mark.django_db
def test_api_refuses_a_person_whose_name_hides_a_right_to_left_override(officer):
    api = APIClient()
    api.force_authenticate(officer)
    response = api.post(
        "/api/v1/people/",
        {"family_name": "Smith\u202egnp.exe", "given_name": "Ann", "country": "DE"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert [error["field"] for error in body["errors"]] == ["family_name"]
    assert "U+202E" in response.json()["family_name"][0]
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_admin_form_refuses_an_organization_name_with_a_zero_width_space(client, administrator):
    client.force_login(administrator)
    response = client.post(
        "/admin/snippets/crm/organization/add/",
        {"name": "ACME\u200b Corp", "kind": "other"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "U+200B" in response.content.decode()
    assert not Organization.objects.exists()
