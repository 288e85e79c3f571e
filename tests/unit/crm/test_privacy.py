"""Export everything held about a person; erase a person: data gone, figures kept, the email's
digest handed over for suppression; both audited."""

import datetime
import json

import pytest
from wagtail.models import ModelLogEntry

from crm.identity import email_digest
from crm.models import Consent, Interaction, Person, PersonEmail, PersonPhone
from crm.services import privacy
from crm.services.interactions import record_interaction
from crm.signals import person_erased
from tests.factories import AffiliationFactory, ConsentFactory, PersonFactory, SegmentFactory


@pytest.fixture
def subject(db):
    person = PersonFactory(
        family_name="Lefèvre", given_name="Hélène", country="FR", email="Helene@Example.fr"
    )
    PersonPhone.objects.create(person=person, number="+33612345678")
    AffiliationFactory(person=person)
    ConsentFactory(person=person)
    person.tags.add("speaker")
    person.save()
    record_interaction(
        kind="meeting", occurred_on=datetime.date(2026, 5, 1), subject="Lunch", people=[person]
    )
    return person


@pytest.mark.django_db
def test_export_holds_everything_about_the_person_and_is_audited(subject, administrator):
    data = privacy.export_person_data(subject, acting_user=administrator)
    json.dumps(data)  # serialisable as it stands
    assert data["person"]["family_name"] == "Lefèvre"
    assert data["emails"][0]["email"] == "Helene@Example.fr"
    assert data["phones"][0]["number"] == "+33612345678"
    assert data["affiliations"][0]["position"] == "Director"
    assert data["consents"][0]["purpose"] == "event_invitations"
    assert data["interactions"][0]["subject"] == "Lunch"
    assert data["person"]["tags"] == ["speaker"]
    assert ModelLogEntry.objects.filter(
        object_id=str(subject.pk), action="crm.personal_data_exported", user=administrator
    ).exists()


@pytest.mark.django_db
def test_export_includes_sections_other_apps_register(subject):
    from wagtail import hooks

    with hooks.register_temporarily(
        "crm_person_data_export", lambda person: ("messages", [{"id": 1}])
    ):
        assert privacy.export_person_data(subject)["messages"] == [{"id": 1}]


@pytest.mark.django_db(transaction=True)
def test_erasure_removes_personal_data_keeps_figures_and_hands_over_the_email_digest(
    subject, administrator
):
    segment = SegmentFactory()
    segment.additions.add(subject)
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    person_erased.connect(listener)
    try:
        digests = privacy.erase_person(subject, acting_user=administrator)
    finally:
        person_erased.disconnect(listener)

    person = Person.objects.get(pk=subject.pk)
    assert person.erased_at is not None
    assert (person.family_name, person.given_name, person.search_text) == ("", "", "")
    assert str(person) == "(erased contact)"
    assert not PersonEmail.objects.filter(person=person).exists()
    assert not PersonPhone.objects.filter(person=person).exists()
    assert not Consent.objects.filter(person=person).exists()
    assert not segment.additions.exists()
    assert list(person.tags.all()) == []
    # the interaction still counts, now with an anonymous participant
    assert Interaction.objects.filter(people=person).count() == 1
    # what outreach keeps: the digest of the address, never the address
    assert digests == [email_digest("helene@example.fr")]
    assert received == [
        {
            "signal": person_erased,
            "person_id": person.pk,
            "email_digests": digests,
            "acting_user": administrator,
        }
    ]
    # audited; earlier history entries no longer carry the name
    entries = ModelLogEntry.objects.filter(object_id=str(person.pk))
    assert entries.filter(action="crm.erase", user=administrator).exists()
    assert not any("Lefèvre" in e.label for e in entries)


@pytest.mark.django_db
def test_the_admin_offers_export_and_erasure_to_administrators(client, subject, administrator):
    client.force_login(administrator)
    response = client.get(f"/admin/crm/people/{subject.pk}/export/")
    assert response.status_code == 200
    assert json.loads(response.content)["person"]["family_name"] == "Lefèvre"
    response = client.post(f"/admin/crm/people/{subject.pk}/erase/")
    assert response.status_code == 302
    assert Person.objects.get(pk=subject.pk).erased_at is not None
