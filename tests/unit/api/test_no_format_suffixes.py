"""The API has no ".json" suffix routes: an action called with one is a 404, never a server
error (DRF's suffix variants of custom actions failed on the `format` argument)."""

import pytest

from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people/{pk}/export.json",
        "/api/v1/people/{pk}.json",
        "/api/v1/people.json",
        "/api/v1/campaigns.json",
    ],
)
def test_a_format_suffix_is_not_found_not_a_server_error(client, path):
    person = PersonFactory()
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(path.format(pk=person.pk))
    assert response.status_code == 404


def test_the_same_action_without_suffix_answers(client):
    person = PersonFactory()
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(f"/api/v1/people/{person.pk}/").status_code == 200
