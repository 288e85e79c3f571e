"""Creating and editing people in the Wagtail admin: phones typed in national formats, email
identity unique across people, every change in the history."""

import pytest
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from crm.models import Person
from tests.factories import PersonFactory


def person_form(**overrides):
    data = {
        "family_name": "Müller",
        "given_name": "Jürgen",
        "name_order": "given_first",
        "full_name_native": "",
        "name_chinese": "",
        "name_latin": "",
        "honorific": "dr",
        "job_title": "Director",
        "preferred_language": "de",
        "time_zone": "Europe/Berlin",
        "country": "DE",
        "city": "Hamburg",
        "assistant": "",
        "ancestral_home": "",
        "diaspora_generation": "",
        "vip_level": "1",
        "owner": "",
        "tags": "",
        "source": "",
        "notes": "",
        "affiliations": inline_formset([]),
        "emails": inline_formset(
            [{"email": "J.Mueller@Example.DE", "is_primary": "on", "label": ""}]
        ),
        "phones": inline_formset([{"number": "0171 1234567", "kind": "mobile"}]),
        "handles": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.mark.django_db
def test_officer_adds_a_person_with_a_national_phone_read_in_their_country(client, officer):
    client.force_login(officer)
    response = client.post("/admin/snippets/crm/person/add/", person_form())
    form = response.context["form"] if response.status_code == 200 else None
    assert response.status_code == 302, (
        form.errors,
        {k: f.errors for k, f in form.formsets.items()},
    )
    person = Person.objects.get(family_name="Müller")
    assert str(person.phones.get().number) == "+491711234567"
    assert person.emails.get().email_normalized == "j.mueller@example.de"
    assert person.owner == officer  # an officer's new contact is theirs
    assert "muller" in person.search_text
    assert ModelLogEntry.objects.filter(object_id=str(person.pk), action="wagtail.create").exists()


@pytest.mark.django_db
def test_invalid_phone_is_refused_with_the_value_and_region_named(client, officer):
    client.force_login(officer)
    form = person_form(
        phones=inline_formset([{"number": "+86 12", "kind": "mobile"}]), country="CN"
    )
    response = client.post("/admin/snippets/crm/person/add/", form)
    assert response.status_code == 200
    assert "&quot;+86 12&quot; is not a valid phone number for CN" in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_an_email_already_held_by_another_person_is_refused(client, officer):
    PersonFactory(email="j.mueller@example.de")
    client.force_login(officer)
    response = client.post("/admin/snippets/crm/person/add/", person_form())
    assert response.status_code == 200
    assert "already belongs to another contact" in response.content.decode()
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_editing_a_person_is_in_the_history(client, officer):
    person = PersonFactory(owner=officer, email="anna@example.org")
    client.force_login(officer)
    form = person_form(
        family_name="Schmidt",
        emails=inline_formset(
            [{"id": str(person.emails.get().pk), "email": "anna@example.org", "is_primary": "on"}],
            initial=1,
        ),
    )
    response = client.post(f"/admin/snippets/crm/person/edit/{person.pk}/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.family_name == "Schmidt"
    history = client.get(f"/admin/snippets/crm/person/history/{person.pk}/").content.decode()
    assert "otto" in history


@pytest.mark.django_db
def test_a_chinese_name_typed_as_family_and_given_name_is_written_family_first(client, officer):
    client.force_login(officer)
    form = person_form(
        family_name="陈",
        given_name="静",
        name_order="auto",
        country="CN",
        emails=inline_formset([]),
        phones=inline_formset([]),
    )
    response = client.post("/admin/snippets/crm/person/add/", form)
    assert response.status_code == 302
    person = Person.objects.get(family_name="陈")
    assert person.composed_name == "陈静"
    assert person.full_name_native == "陈静"
    assert person.name_latin == "Chen Jing"
    assert str(person) == "陈静 (Chen Jing)"
    # Both stay editable: a Latin form written by staff is kept when the name changes.
    person.name_latin = "Jing CHEN"
    person.given_name = "晶"
    person.save()
    person.refresh_from_db()
    assert (person.full_name_native, person.name_latin) == ("陈晶", "Jing CHEN")
