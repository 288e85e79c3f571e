"""Choosers search as you type and create an organization or an event in place (for staff who
may add one, never a person); country, sector, tag and language pickers are searchable
multi-selects; time zones are chosen by readable names."""

from __future__ import annotations

import json

import pytest
from wagtail.models import ModelLogEntry

from crm.models import Organization
from outreach.models import Event
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

ORG_CHOOSER = "/admin/snippets/choose/crm/organization/"
EVENT_CHOOSER = "/admin/snippets/choose/outreach/event/"


def _modal(response) -> dict:
    assert response.status_code == 200
    return json.loads(response.content)


def test_organization_chooser_searches_and_offers_to_create(client, officer):
    OrganizationFactory(name="Handelskammer Hamburg")
    OrganizationFactory(name="Ningbo University")
    client.force_login(officer)
    modal = _modal(client.get(ORG_CHOOSER))
    assert "Create the organization" in modal["html"]
    assert 'name="q"' in modal["html"]
    results = client.get(f"{ORG_CHOOSER}results/", {"q": "Handels"}).content.decode()
    assert "Handelskammer Hamburg" in results
    assert "Ningbo University" not in results


def test_an_organization_created_in_the_chooser_is_chosen_and_logged(client, officer):
    client.force_login(officer)
    response = client.post(
        f"{ORG_CHOOSER}create/",
        {
            "chooser-create-name": "宁波市机器人协会",
            "chooser-create-kind": "industry_association",
            "chooser-create-country": "CN",
        },
    )
    data = _modal(response)
    assert data["step"] == "chosen", data
    created = Organization.objects.get(name="宁波市机器人协会")
    assert str(data["result"]["id"]) == str(created.pk)
    entry = ModelLogEntry.objects.get(object_id=str(created.pk), action="wagtail.create")
    assert entry.user == officer


def test_staff_without_the_add_permission_get_no_create_tab(client, viewer):
    client.force_login(viewer)
    modal = _modal(client.get(ORG_CHOOSER))
    assert "Create the organization" not in modal["html"]
    response = client.post(
        f"{ORG_CHOOSER}create/",
        {"chooser-create-name": "X", "chooser-create-kind": "industry_association"},
    )
    assert response.status_code in (302, 403)  # Wagtail turns a refusal into a redirect
    assert not Organization.objects.filter(name="X").exists()


def test_people_are_never_created_from_a_chooser(client, staff_admin):
    client.force_login(staff_admin)
    response = client.post(
        "/admin/snippets/choose/crm/person/create/", {"family_name": "Chen", "given_name": "J"}
    )
    assert response.status_code in (302, 403)
    from crm.models import Person

    assert not Person.objects.filter(family_name="Chen").exists()


def test_an_event_is_created_in_place_in_its_own_time_zone(client, staff_admin):
    client.force_login(staff_admin)
    modal = _modal(client.get(EVENT_CHOOSER))
    assert "Create the event" in modal["html"]
    response = client.post(
        f"{EVENT_CHOOSER}create/",
        {
            f"chooser-create-{name}": value
            for name, value in {
                "name": "Hamburg roadshow",
                "code": "hamburg-roadshow",
                "kind": "roadshow",
                "starts_at": "2027-05-04 09:00",
                "ends_at": "2027-05-04 17:00",
                "time_zone": "Europe/Berlin",
                "city": "Hamburg",
                "country": "DE",
            }.items()
        },
    )
    assert _modal(response)["step"] == "chosen"
    event = Event.objects.get(code="hamburg-roadshow")
    assert event.local_start.strftime("%H:%M") == "09:00"


def test_person_form_pickers_are_searchable_and_zones_have_readable_names(client, staff_admin):
    person = PersonFactory(time_zone="Europe/Berlin")
    client.force_login(staff_admin)
    page = client.get(f"/admin/snippets/crm/person/edit/{person.pk}/").content.decode()
    for name in ("country", "sectors", "time_zone"):
        tag = page.split(f'name="{name}"', 1)[1].split(">", 1)[0]
        assert "data-searchable-select" in tag, name
    assert "tom-select.complete.min.js" in page
    assert "Central European Time · Berlin" in page


def test_segment_countries_and_languages_are_searchable(client, staff_admin):
    client.force_login(staff_admin)
    page = client.get("/admin/snippets/crm/segment/add/").content.decode()
    for name in ("countries", "languages", "sectors", "tags"):
        tag = page.split(f'name="{name}"', 1)[1].split(">", 1)[0]
        assert "data-searchable-select" in tag, name
        assert "multiple" in tag, name


def test_a_time_zone_chosen_from_the_list_is_saved(client, staff_admin):
    from crm.models import Person
    from tests.unit.crm.test_person_profile_events_and_consent import edit_form

    person = PersonFactory(time_zone="Europe/Berlin")
    client.force_login(staff_admin)
    url = f"/admin/snippets/crm/person/edit/{person.pk}/"
    assert client.post(url, edit_form(time_zone="Asia/Shanghai")).status_code == 302
    assert Person.objects.get(pk=person.pk).time_zone == "Asia/Shanghai"
    response = client.post(url, edit_form(time_zone="Mars/Olympus"))
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
