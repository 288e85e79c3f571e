"""The review queue, the side-by-side merge, "not a duplicate", undo, and the warnings while a
person is typed (admin form endpoint and API)."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from crm.models import DuplicateCandidate, DuplicateStatus, Person, PersonMerge
from crm.services import dedupe
from crm.services import people as people_service
from crm.services.people import EmailInput, PersonInput
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory


def _queued_pair(**second_fields):
    org = OrganizationFactory()
    first = PersonFactory(family_name="Chen", given_name="Jing", job_title="Director")
    second = PersonFactory(
        family_name="Chen", given_name="Jing", job_title="Deputy Director", **second_fields
    )
    for person in (first, second):
        AffiliationFactory(person=person, organization=org)
        people_service.refresh_search_text(person)
    [candidate] = dedupe.enqueue_review(second)
    return first, second, candidate


def _with_merge_right(user):
    user.user_permissions.add(Permission.objects.get(codename="merge_people"))
    return type(user).objects.get(pk=user.pk)


@pytest.mark.django_db
def test_staff_compare_a_queued_pair_and_merge_choosing_a_field(client, administrator):
    first, second, candidate = _queued_pair()
    client.force_login(administrator)
    queue = client.get("/admin/crm/duplicates/").content.decode()
    assert "same name, same organization" in queue
    compare = client.get(f"/admin/crm/duplicates/{candidate.pk}/").content.decode()
    assert "Deputy Director" in compare
    assert 'name="choice_job_title"' in compare
    response = client.post(
        f"/admin/crm/duplicates/{candidate.pk}/",
        {"action": "merge", "keep": first.pk, "choice_job_title": "drop"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.job_title == "Deputy Director"
    assert not Person.objects.filter(pk=second.pk).exists()
    assert (
        "No possible duplicates to review." in client.get("/admin/crm/duplicates/").content.decode()
    )


@pytest.mark.django_db
def test_not_a_duplicate_leaves_the_queue_for_good(client, administrator):
    first, second, candidate = _queued_pair()
    client.force_login(administrator)
    client.post(f"/admin/crm/duplicates/{candidate.pk}/", {"action": "not_duplicate"})
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.NOT_DUPLICATE
    dedupe.scan_for_duplicates()
    assert "No possible duplicates" in client.get("/admin/crm/duplicates/").content.decode()
    assert Person.objects.filter(pk__in=[first.pk, second.pk]).count() == 2


@pytest.mark.django_db
def test_a_merge_is_undone_from_the_kept_persons_page(client, administrator):
    first, second, candidate = _queued_pair()
    client.force_login(administrator)
    client.post(f"/admin/crm/duplicates/{candidate.pk}/", {"action": "merge", "keep": first.pk})
    merge = PersonMerge.objects.get()
    page = client.get(f"/admin/snippets/crm/person/inspect/{first.pk}/").content.decode()
    assert f"/admin/crm/merges/{merge.pk}/undo/" in page
    assert client.get(f"/admin/crm/merges/{merge.pk}/undo/").status_code == 200
    response = client.post(f"/admin/crm/merges/{merge.pk}/undo/")
    assert response.status_code == 302
    assert Person.objects.filter(pk=second.pk).exists()


@pytest.mark.django_db
def test_the_queue_never_names_a_restricted_person_to_someone_who_may_not_see_them(
    client, officer, other_officer
):
    first, _second, candidate = _queued_pair(restricted=True, owner=other_officer)
    officer = _with_merge_right(officer)
    client.force_login(officer)
    queue = client.get("/admin/crm/duplicates/").content.decode()
    assert "No possible duplicates to review." in queue
    assert client.get(f"/admin/crm/duplicates/{candidate.pk}/").status_code == 404
    check = client.get(
        "/admin/crm/people/duplicate-check/", {"family_name": "Chen", "given_name": "Jing"}
    ).json()
    assert [m["id"] for m in check["matches"]] == [first.pk]


@pytest.mark.django_db
def test_the_queue_and_merge_need_the_merge_right(client, officer):
    _first, _second, candidate = _queued_pair()
    client.force_login(officer)
    # Wagtail answers a denied admin page with a redirect to the dashboard.
    assert client.get("/admin/crm/duplicates/").url == "/admin/"
    denied = client.post(f"/admin/crm/duplicates/{candidate.pk}/", {"action": "merge"})
    assert denied.url == "/admin/"
    assert DuplicateCandidate.objects.get().status == DuplicateStatus.OPEN


@pytest.mark.django_db
def test_the_person_form_warns_of_likely_duplicates_and_fills_in_the_name_forms(client, officer):
    existing = people_service.create_person(
        PersonInput(
            fields={"full_name_native": "王伟", "city": "宁波"},
            emails=[EmailInput("wang.wei@example.cn")],
        ),
        acting_user=officer,
    )
    client.force_login(officer)
    answer = client.get(
        "/admin/crm/people/duplicate-check/",
        {"family_name": "王", "given_name": "伟", "city": "Ningbo"},
    ).json()
    assert answer["native"] == "王伟"
    assert answer["latin"] == "Wang Wei"
    [match] = answer["matches"]
    assert match["id"] == existing.pk
    assert match["reason_labels"] == ["same name", "same city"]
    by_email = client.get(
        "/admin/crm/people/duplicate-check/", {"email": "WANG.WEI@example.cn"}
    ).json()
    assert by_email["matches"][0]["exact"] is True
    form = client.get("/admin/snippets/crm/person/add/").content.decode()
    assert "data-duplicate-check" in form
    assert "crm/js/duplicate_check.js" in form


@pytest.mark.django_db
def test_the_api_tells_of_likely_duplicates_before_and_after_creating(officer):
    existing = people_service.create_person(
        PersonInput(fields={"family_name": "Müller", "given_name": "Hans", "city": "Hamburg"}),
        acting_user=officer,
    )
    api = APIClient()
    api.force_authenticate(officer)
    officer.is_staff = True
    officer.save()
    before = api.post(
        "/api/v1/people/duplicates/",
        {"family_name": "Mueller", "given_name": "Hans", "city": "Hamburg"},
        format="json",
    )
    assert before.status_code == 200, before.content
    assert before.json()["likely_duplicates"][0]["id"] == existing.pk
    created = api.post(
        "/api/v1/people/", {"family_name": "Mueller", "given_name": "Hans"}, format="json"
    )
    assert created.status_code == 201, created.content
    [match] = created.json()["likely_duplicates"]
    assert (match["id"], match["reasons"]) == (existing.pk, ["same_name"])
