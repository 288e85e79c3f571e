import pytest

from tests.factories import OrganizationFactory, PersonFactory, SegmentFactory


@pytest.mark.django_db
def test_admin_pages_render_for_an_administrator(client, administrator):
    person = PersonFactory(email="anna@example.org")
    org = OrganizationFactory()
    segment = SegmentFactory(countries=["DE"])
    client.force_login(administrator)
    for url in [
        "/admin/snippets/crm/person/",
        "/admin/snippets/crm/person/add/",
        f"/admin/snippets/crm/person/edit/{person.pk}/",
        f"/admin/snippets/crm/person/inspect/{person.pk}/",
        f"/admin/snippets/crm/person/history/{person.pk}/",
        "/admin/snippets/crm/organization/",
        f"/admin/snippets/crm/organization/edit/{org.pk}/",
        "/admin/snippets/crm/segment/",
        f"/admin/snippets/crm/segment/edit/{segment.pk}/",
        "/admin/snippets/crm/interaction/",
        "/admin/snippets/crm/interaction/add/",
        "/admin/crm/follow-ups/",
        "/admin/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
