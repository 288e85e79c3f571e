"""Finding duplicates: exact identity, likely duplicates with scores and reasons, the review
queue and its scan, "not a duplicate" remembered."""

import pytest

from crm.models import DuplicateCandidate, DuplicateStatus, PersonMatchKey
from crm.services import dedupe
from crm.services import people as people_service
from crm.services.people import EmailInput, PersonInput, PhoneInput
from tests.factories import OrganizationFactory


def _person(officer, *, phones=(), emails=(), org=None, **fields):
    person = people_service.create_person(
        PersonInput(
            fields=fields,
            emails=[EmailInput(e) for e in emails],
            phones=[PhoneInput(n, kind=k) for n, k in phones],
        ),
        acting_user=officer,
    )
    if org is not None:
        from crm.models import Affiliation

        Affiliation.objects.create(person=person, organization=org, is_primary=True)
        people_service.refresh_search_text(person)
    return person


@pytest.mark.django_db
def test_same_email_or_mobile_is_an_exact_match_but_a_shared_switchboard_is_not(officer):
    anna = _person(
        officer,
        family_name="Li",
        given_name="Anna",
        emails=["Anna.Li@example.org"],
        phones=[("+8613800138000", "mobile"), ("+8657487654321", "office")],
    )
    assert dedupe.exact_matches(emails=["anna.li@EXAMPLE.org"]) == [anna]
    assert dedupe.exact_matches(phones=["+8613800138000"]) == [anna]
    assert dedupe.exact_matches(phones=["+8657487654321"]) == []
    assert dedupe.exact_matches(emails=["someone@else.org"], phones=["+8613900139000"]) == []


@pytest.mark.django_db
def test_external_id_is_an_exact_match(officer):
    anna = _person(officer, family_name="Li", given_name="Anna")
    dedupe.set_external_ids(anna, ["outlook:42"])
    assert dedupe.exact_matches(external_id="outlook:42") == [anna]
    people_service.update_person(anna, PersonInput(fields={"city": "Ningbo"}), acting_user=officer)
    assert dedupe.exact_matches(external_id="outlook:42") == [anna]


@pytest.mark.django_db
def test_a_chinese_name_typed_in_pinyin_is_a_likely_duplicate_with_its_reasons(officer):
    org = OrganizationFactory(name="Ningbo FAO")
    wang = _person(officer, family_name="王", given_name="伟", name_order="family_first", org=org)
    probe = dedupe.Probe(full_names=["WEI Wang"], organization_ids=[org.pk])
    [match] = dedupe.likely_duplicates(probe)
    assert match.person == wang
    assert match.reasons == ["same_name", "same_organization"]
    assert match.score >= dedupe.REVIEW_MIN_SCORE
    assert not match.exact


@pytest.mark.django_db
def test_traditional_characters_find_the_simplified_name_in_the_same_city(officer):
    zhang = _person(officer, full_name_native="张伟", city="宁波")
    [match] = dedupe.likely_duplicates(dedupe.Probe(full_names=["張偉"], city="Ningbo"))
    assert match.person == zhang
    assert set(match.reasons) == {"same_name", "same_city"}


@pytest.mark.django_db
def test_homonyms_sharing_a_switchboard_are_never_an_exact_match(officer):
    first = _person(
        officer, family_name="Chen", given_name="Jing", phones=[("+8657487654321", "office")]
    )
    second = _person(
        officer, family_name="Chen", given_name="Jing", phones=[("+8657487654321", "office")]
    )
    [match] = dedupe.likely_duplicates(second)
    assert match.person == first
    assert not match.exact
    assert match.reasons == ["same_name", "shared_phone"]
    # The switchboard alone says nothing about two different names.
    other = _person(
        officer, family_name="Zhao", given_name="Lei", phones=[("+8657487654321", "office")]
    )
    assert dedupe.likely_duplicates(other, min_score=1) == []
    assert dedupe.exact_matches(phones=["+8657487654321"]) == []


@pytest.mark.django_db
def test_a_name_alone_is_a_warning_not_a_review(officer):
    _person(officer, family_name="Müller", given_name="Hans", city="Berlin")
    newcomer = _person(officer, family_name="Mueller", given_name="Hans", city="Hamburg")
    [match] = dedupe.likely_duplicates(newcomer)
    assert match.reasons == ["same_name"]
    assert dedupe.enqueue_review(newcomer) == []


@pytest.mark.django_db
def test_homophones_written_in_han_are_only_similar(officer):
    _person(officer, full_name_native="王伟", city="宁波")
    [match] = dedupe.likely_duplicates(dedupe.Probe(full_names=["汪伟"], city="宁波"))
    assert match.reasons[0] == "similar_name"


@pytest.mark.django_db
def test_similar_names_in_the_same_organization_go_to_the_review_queue(officer):
    org = OrganizationFactory()
    kept = _person(officer, family_name="Johansson", given_name="Karin", org=org)
    typo = _person(officer, family_name="Johansson", given_name="Karina", org=org)
    [candidate] = dedupe.enqueue_review(typo)
    assert {candidate.first, candidate.second} == {kept, typo}
    assert candidate.reasons == ["similar_name", "same_organization"]
    assert candidate.status == DuplicateStatus.OPEN


@pytest.mark.django_db
def test_not_a_duplicate_is_remembered_by_lookups_the_queue_and_the_scan(officer):
    org = OrganizationFactory()
    one = _person(officer, family_name="Chen", given_name="Jing", org=org)
    two = _person(officer, family_name="Chen", given_name="Jing", org=org)
    [candidate] = dedupe.enqueue_review(two)
    dedupe.mark_not_duplicate(candidate, acting_user=officer)
    assert dedupe.likely_duplicates(two) == []
    assert dedupe.enqueue_review(two) == []
    dedupe.scan_for_duplicates()
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.NOT_DUPLICATE
    assert DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN).count() == 0
    del one


@pytest.mark.django_db
def test_the_scan_fills_the_queue_once_however_often_it_runs(officer):
    org = OrganizationFactory()
    a = _person(officer, family_name="Ivanov", given_name="Ivan", city="Kazan")
    b = _person(officer, full_name_native="Иван Иванов", city="Казань")
    _person(officer, family_name="Ivanov", given_name="Pyotr", city="Kazan")
    _person(officer, family_name="Chen", given_name="Jing", org=org)
    _person(officer, full_name_native="陈静", org=org)
    first = dedupe.scan_for_duplicates()
    second = dedupe.scan_for_duplicates()
    pairs = {(c.first_id, c.second_id): c for c in DuplicateCandidate.objects.all()}
    assert len(pairs) == 2
    assert first.candidates == second.candidates == 2
    assert "same_name" in pairs[(a.pk, b.pk)].reasons


@pytest.mark.django_db
def test_matching_keys_follow_every_change_of_the_person(officer):
    anna = _person(officer, family_name="Li", given_name="Anna", emails=["anna@example.org"])
    people_service.update_person(
        anna,
        PersonInput(fields={"family_name": "Lee"}, emails=[EmailInput("anna.lee@example.org")]),
        acting_user=officer,
    )
    keys = set(PersonMatchKey.objects.filter(person=anna).values_list("key", flat=True))
    assert "e:anna.lee@example.org" in keys
    assert "e:anna@example.org" not in keys
    assert "n:annalee" in keys
    assert "n:annali" not in keys


@pytest.mark.django_db
def test_refresh_person_keys_rebuilds_keys_written_outside_the_services(officer):
    from django.core.management import call_command

    anna = _person(officer, family_name="Li", given_name="Anna", emails=["anna@example.org"])
    PersonMatchKey.objects.all().delete()
    assert dedupe.exact_matches(emails=["anna@example.org"]) == []
    call_command("refresh_person_keys", stdout=__import__("io").StringIO())
    assert dedupe.exact_matches(emails=["anna@example.org"]) == [anna]


@pytest.mark.django_db
def test_people_written_in_bulk_are_indexed_and_reviewed_by_a_worker_after_commit(
    officer, django_capture_on_commit_callbacks
):
    from crm.models import Affiliation, Person

    org = OrganizationFactory()
    known = _person(officer, family_name="Chen", given_name="Jing", org=org)
    imported = Person.objects.create(family_name="陈", given_name="静")  # as an import writes
    Affiliation.objects.create(person=imported, organization=org)
    assert not PersonMatchKey.objects.filter(person=imported).exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dedupe.index_after_commit([], review_ids=[imported.pk])
    assert len(callbacks) == 1  # nothing before commit (a dry run never queues)
    dedupe.index_people([], [imported.pk])  # the worker's half
    [candidate] = DuplicateCandidate.objects.all()
    assert {candidate.first_id, candidate.second_id} == {known.pk, imported.pk}
    assert candidate.reasons == ["same_name", "same_organization"]
