"""The people listing: search, filters, bulk actions, exports that cannot carry formulas,
segment live preview, follow-ups."""

import datetime

import pytest
from openpyxl import load_workbook

from crm.models import Person
from crm.services.interactions import record_interaction
from tests.factories import ConsentFactory, PersonFactory, SegmentFactory


@pytest.mark.django_db
def test_listing_search_finds_names_in_any_script_and_phones_in_any_format(client, officer):
    PersonFactory(family_name="Müller", email="m@example.de", phone="+491711234567")
    PersonFactory(family_name="王", name_chinese="王伟", name_latin="Wang Wei")
    client.force_login(officer)
    for term, expected in [("muller", "Müller"), ("王伟", "王"), ("0171 1234567", "Müller")]:
        page = client.get("/admin/snippets/crm/person/", {"q": term}).content.decode()
        assert expected in page, term
    page = client.get("/admin/snippets/crm/person/", {"q": "wang"}).content.decode()
    assert "Müller" not in page


@pytest.mark.django_db
def test_listing_filters_by_country(client, officer):
    PersonFactory(family_name="Qzxgerman", country="DE")
    PersonFactory(family_name="Qzxfrench", country="FR")
    client.force_login(officer)
    page = client.get("/admin/snippets/crm/person/", {"country": "FR"}).content.decode()
    assert "Qzxfrench" in page
    assert "Qzxgerman" not in page


@pytest.mark.django_db
def test_exports_escape_spreadsheet_formulas(client, officer):
    PersonFactory(family_name='=HYPERLINK("http://evil","x")', given_name="@SUM(A1)")
    client.force_login(officer)
    csv_text = b"".join(
        client.get("/admin/snippets/crm/person/", {"export": "csv"}).streaming_content
    ).decode()
    assert "'=HYPERLINK" in csv_text
    assert "'@SUM(A1)" in csv_text
    response = client.get("/admin/snippets/crm/person/", {"export": "xlsx"})
    import io

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://evil","x")' in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.django_db
def test_bulk_actions_tag_assign_owner_and_add_to_segment(client, administrator, officer):
    people = [PersonFactory() for _ in range(3)]
    ids = "&".join(f"id={p.pk}" for p in people)
    segment = SegmentFactory()
    client.force_login(administrator)
    base = "/admin/bulk/crm/person"
    assert client.post(f"{base}/tag/?{ids}", {"tags": "roadshow-2026, speaker"}).status_code == 302
    assert client.post(f"{base}/assign_owner/?{ids}", {"owner": officer.pk}).status_code == 302
    assert client.post(f"{base}/add_to_segment/?{ids}", {"segment": segment.pk}).status_code == 302
    for person in Person.objects.filter(pk__in=[p.pk for p in people]):
        assert person.tag_list == "roadshow-2026, speaker"
        assert person.owner == officer
    assert set(segment.additions.all()) == set(people)


@pytest.mark.django_db
def test_an_officer_cannot_bulk_edit_people_owned_by_others(client, officer, other_officer):
    mine = PersonFactory(owner=officer)
    theirs = PersonFactory(owner=other_officer)
    client.force_login(officer)
    client.post(f"/admin/bulk/crm/person/tag/?id={mine.pk}&id={theirs.pk}", {"tags": "x"})
    assert mine.tags.filter(name="x").exists()
    assert not theirs.tags.filter(name="x").exists()


@pytest.mark.django_db
def test_segment_editor_previews_the_audience_while_editing(client, campaign_manager):
    for index in range(2):
        ConsentFactory(person=PersonFactory(country="DE", family_name=f"D{index}"))
    PersonFactory(country="FR")
    client.force_login(campaign_manager)
    response = client.post(
        "/admin/crm/segments/preview/",
        {"countries": ["DE"], "consent_purpose": "event_invitations", "min_vip_level": ""},
    )
    assert response.status_code == 200
    assert response.json()["count"] == 2
    page = client.get("/admin/snippets/crm/segment/add/").content.decode()
    assert "/admin/crm/segments/preview/" in page


@pytest.mark.django_db
def test_follow_ups_page_lists_mine_and_marks_them_done(client, officer):
    item = record_interaction(
        kind="call",
        occurred_on=datetime.date(2026, 6, 1),
        subject="Send the programme",
        follow_up_on=datetime.date(2026, 6, 5),
        follow_up_owner=officer,
    )
    client.force_login(officer)
    assert "Send the programme" in client.get("/admin/crm/follow-ups/").content.decode()
    assert client.post(f"/admin/crm/follow-ups/{item.pk}/done/").status_code == 302
    assert "Send the programme" not in client.get("/admin/crm/follow-ups/").content.decode()


@pytest.mark.django_db
def test_an_administrator_merges_a_duplicate_from_the_admin(client, administrator, officer):
    keep = PersonFactory(family_name="Wang", email="wang@example.cn")
    drop = PersonFactory(family_name="Wang", email="w.wang@example.cn")
    client.force_login(officer)
    denied = client.get(f"/admin/crm/people/{keep.pk}/merge/")
    assert (denied.status_code, denied["Location"]) == (302, "/admin/")  # Wagtail's "no access"
    client.force_login(administrator)
    assert client.get(f"/admin/crm/people/{keep.pk}/merge/").status_code == 200
    response = client.post(f"/admin/crm/people/{keep.pk}/merge/", {"duplicate": drop.pk})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=drop.pk).exists()
    assert keep.emails.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("listing", ["interaction", "sistercitypartnership"])
def test_every_export_escapes_spreadsheet_formulas(client, administrator, listing):
    from crm.models import SisterCityPartnership
    from tests.factories import InteractionFactory, OrganizationFactory

    InteractionFactory(subject="=cmd|' /C calc'!A0", summary="+1+1")
    SisterCityPartnership.objects.create(
        partner=OrganizationFactory(name="=HYPERLINK(1)"), areas_of_cooperation="@SUM(A1)"
    )
    client.force_login(administrator)
    response = client.get(f"/admin/snippets/crm/{listing}/", {"export": "csv"})
    csv_text = b"".join(response.streaming_content).decode()
    lines = csv_text.splitlines()[1:]
    assert lines, csv_text
    for line in lines:
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(("=", "+", "@", "-")), line


def test_every_admin_listing_with_an_export_goes_through_the_escaping_view():
    from wagtail.snippets.models import get_snippet_models

    from crm.admin.views import SpreadsheetSafeMixin

    exporting = [m for m in get_snippet_models() if m.snippet_viewset.list_export]
    assert len(exporting) >= 6
    for model in exporting:
        view = model.snippet_viewset.index_view_class
        assert issubclass(view, SpreadsheetSafeMixin), model
