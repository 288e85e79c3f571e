"""The contact import service end to end on the database: matching, modes, protected flags,
erased/suppressed people, dry run, resume, undo, rejected rows, the command, the API and the
wizard's views."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from crm.models import (
    ContactImport,
    ImportMapping,
    ImportStatus,
    Person,
    PersonEmail,
    PersonPhone,
)
from crm.services import imports
from crm.services.privacy import erase_person
from crm.services.timeline import timeline_for
from tests.factories import ContactImportFactory, PersonFactory, PersonPhoneFactory, make_contact

pytestmark = pytest.mark.django_db

CSV = (
    "姓名,手机,办公电话,邮箱,单位,职务,国家/地区,城市,备注,标签\r\n"
    "王伟,138 0013 8000,0574-8718 0000,wang.wei@example.cn,宁波市商务局,处长,中国,宁波,"
    "老朋友,商务;政府\r\n"
    "欧阳娜娜,13900139000,0574-8718 0000,ouyang@example.cn,宁波市商务局,科员,中国,宁波,,\r\n"
    "Ludwig van Beethoven,+49 171 1234567,,LUDWIG@Example.DE,,,Deutschland,Bonn,,\r\n"
    "王伟,,,WANG.WEI@example.CN,,,,,,VIP\r\n"
    "坏人,12,,bad@,,,,,,\r\n"
    ",,,,,,,,,\r\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_CHUNK_ROWS = 2  # several chunks even for small files


def new_import(content, name="contacts.csv", user=None, **options) -> ContactImport:
    if isinstance(content, str):
        content = content.encode("utf-8")
    return imports.create_import(
        ContentFile(content, name=name), acting_user=user, source="test cards", **options
    )


def run(content, name="contacts.csv", **options) -> ContactImport:
    return imports.run_now(new_import(content, name, **options))


def test_rows_are_created_with_names_phones_emails_tags_and_organization():
    result = run(CSV)
    assert result.status == ImportStatus.DONE
    assert result.counts == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "merged": 1,
        "skipped_blank": 1,
        "rejected": 1,
    }
    wang = PersonEmail.objects.get(email_normalized="wang.wei@example.cn").person
    assert (wang.family_name, wang.given_name, wang.name_chinese) == ("王", "伟", "王伟")
    assert str(wang.country) == "CN"
    assert sorted(t.name for t in wang.tags.all()) == ["VIP", "商务", "政府"]
    phones = {(str(p.number), p.kind) for p in wang.phones.all()}
    assert phones == {("+8613800138000", "mobile"), ("+8657487180000", "office")}
    affiliation = wang.affiliations.get()
    assert (affiliation.organization.name, affiliation.position) == ("宁波市商务局", "处长")
    assert wang.source.startswith("import")
    beethoven = PersonEmail.objects.get(email_normalized="ludwig@example.de").person
    assert beethoven.family_name == "van Beethoven"
    assert str(beethoven.phones.get().number) == "+491711234567"


def test_the_same_file_twice_creates_nothing_new():
    run(CSV)
    before = Person.objects.count()
    again = run(CSV)
    assert Person.objects.count() == before
    assert again.created == 0
    assert again.unchanged + again.merged == 4


def test_dry_run_reports_what_the_run_does_and_writes_nothing():
    contact_import = imports.dry_run_now(new_import(CSV))
    assert contact_import.status == ImportStatus.ANALYSED
    assert Person.objects.count() == 0
    dry = contact_import.analysis["counts"]
    rejection = contact_import.issues.get(code="invalid_email")
    assert (rejection.row_number, rejection.column, rejection.value) == (6, "邮箱", "bad@")
    real = imports.run_now(contact_import)
    assert real.counts == dry


def test_homonyms_and_a_shared_switchboard_stay_apart():
    text = (
        "姓名,电话,邮箱\r\n"
        "王伟,0574-8718 0000,wei1@example.cn\r\n"
        "王伟,0574-8718 0000,wei2@example.cn\r\n"
        "李娜,0574-8718 0000,li@example.cn\r\n"
    )
    result = run(text)
    assert result.created == 3
    assert PersonPhone.objects.filter(number="+8657487180000").count() == 3


def test_a_mobile_number_or_an_external_id_finds_the_person():
    person = make_contact(email="known@example.org")
    PersonPhoneFactory(person=person, number="+8613800138000", kind="mobile")
    result = run("Name,Mobile,ID\r\nWang Wei,13800138000,crm-7\r\n")
    assert result.created == 0
    assert result.updated == 1  # the external id was added
    assert run("Name,Email,ID\r\nW. Wang,other@example.org,crm-7\r\n").created == 0
    assert person.emails.filter(email_normalized="other@example.org").exists()


def test_modes_and_flags_an_import_never_changes():
    person = make_contact(email="anna@example.org", given_name="Anna", family_name="Li")
    Person.objects.filter(pk=person.pk).update(do_not_contact=True, restricted=True, city="")
    row = "Given name,Family name,Email,City,Job title\r\nAnnie,Lee,anna@example.org,Bonn,Chair\r\n"
    run(row, mode="skip")
    person.refresh_from_db()
    assert (person.given_name, person.city) == ("Anna", "")
    run(row, mode="fill")
    person.refresh_from_db()
    assert (person.given_name, person.city, person.job_title) == ("Anna", "Bonn", "Chair")
    run(row, mode="update")
    person.refresh_from_db()
    assert (person.given_name, person.family_name) == ("Annie", "Lee")
    assert person.do_not_contact
    assert person.restricted


def test_an_erased_or_suppressed_person_is_never_added_again(django_capture_on_commit_callbacks):
    from outreach.services.suppression import suppress

    person = make_contact(email="gone@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(person)
    suppress("blocked@example.org", "complaint")
    result = run(
        "Name,Email\r\nGone Again,gone@example.org\r\nBlocked,BLOCKED@example.org\r\n"
        "Fine,fine@example.org\r\n"
    )
    assert result.created == 1
    assert sorted(result.issues.values_list("code", flat=True)) == ["erased_or_suppressed"] * 2


def test_a_conflicting_row_is_rejected_not_merged():
    make_contact(email="a@example.org")
    b = make_contact(email="b@example.org")
    PersonPhoneFactory(person=b, number="+8613800138000", kind="mobile")
    result = run("Name,Email,Mobile\r\nX,a@example.org,+8613800138000\r\n")
    assert result.rejected == 1
    assert result.issues.get().code == "conflicting_match"


def test_undo_removes_created_people_restores_changed_ones_and_lists_edited_ones():
    kept = make_contact(email="kept@example.org", given_name="Kept", family_name="Same")
    touched = make_contact(email="touched@example.org", given_name="Old", family_name="Name")
    result = run(
        "Given name,Family name,Email,Tags\r\n"
        "New,Person,new@example.org,t1\r\n"
        "Edited,Later,edited@example.org,\r\n"
        "Changed,Name,touched@example.org,t2\r\n"
        "Kept,Same,kept@example.org,\r\n",
        mode="update",
    )
    assert (result.created, result.updated, result.unchanged) == (2, 1, 1)
    edited = PersonEmail.objects.get(email_normalized="edited@example.org").person
    edited.city = "Hamburg"
    edited.save()
    report = imports.undo_import(result, acting_user=None)
    assert report["removed"] == 1
    assert report["restored"] == 1
    assert [item["person_id"] for item in report["kept_edited"]] == [edited.pk]
    assert not PersonEmail.objects.filter(email_normalized="new@example.org").exists()
    touched.refresh_from_db()
    assert touched.given_name == "Old"
    assert list(touched.tags.names()) == []
    assert Person.objects.filter(pk=kept.pk).exists()
    assert result.status == ImportStatus.UNDONE


def test_strict_and_lenient_policies():
    text = "Name,Email,Mobile\r\nAnna Li,anna@example.org,12345\r\n"
    assert run(text, policy="strict").rejected == 1
    lenient = run(text, policy="lenient")
    assert lenient.created == 1
    dropped = lenient.issues.get()
    assert (dropped.code, dropped.column, dropped.rejected) == ("invalid_phone", "Mobile", False)


def test_rejected_rows_download_in_the_uploaded_format(tmp_path):
    result = run(CSV.encode("gb18030"))
    assert result.encoding == "gb18030"
    name, content_type, content = imports.rejected_rows_file(result)
    assert name == "contacts-rejected.csv"
    assert "gb18030" in content_type
    rows = list(csv.reader(io.StringIO(content.decode("gb18030"))))
    assert rows[0][-1] == "Import problem"
    assert rows[1][:2] == ["坏人", "12"]
    assert "invalid_email [邮箱] bad@" in rows[1][-1]
    workbook = Workbook()
    workbook.active.append(["Name", "Email"])
    workbook.active.append(["No Address", "nope"])
    path = tmp_path / "c.xlsx"
    workbook.save(path)
    name, _type, content = imports.rejected_rows_file(run(path.read_bytes(), name="c.xlsx"))
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[2]][:2] == ["No Address", "nope"]
    vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Contact\r\nN:Contact;No;;;\r\nEND:VCARD\r\n"
    name, _type, content = imports.rejected_rows_file(run(vcard, name="c.vcf"))
    assert name == "c-rejected.vcf"
    assert b"X-LIAISON-IMPORT-PROBLEM:no_contact_method" in content


def test_bad_files_fail_with_a_message_not_an_error():
    for content, code in [
        (b"", "empty_file"),
        (bytes(range(256)) * 50, "binary_file"),
    ]:
        contact_import = new_import(content)
        assert contact_import.status == ImportStatus.FAILED
        assert contact_import.error_code == code
    header_only = imports.dry_run_now(new_import("Name,Email\r\n"))
    assert header_only.status == ImportStatus.FAILED
    assert header_only.error_code == "no_rows"


def test_a_confirmed_mapping_is_offered_for_the_next_file_with_the_same_headers():
    first = new_import("Kol1,Kol2\r\nAnna Li,anna@example.org\r\n")
    assert first.mapping == ["", ""]
    imports.set_mapping(first, ["full_name", "email"], remember_as="Dutch sheet")
    second = new_import("Kol1,Kol2\r\nBo Ma,bo@example.org\r\n")
    assert second.mapping == ["full_name", "email"]
    assert ImportMapping.objects.filter(name="Dutch sheet").exists()
    with pytest.raises(imports.ImportError_) as error:
        imports.set_mapping(second, ["full_name"])
    assert error.value.code == "invalid_mapping"


def test_a_run_that_died_resumes_after_its_last_checkpoint(monkeypatch, settings):
    text = "Name,Email\r\n" + "".join(f"P{i} Test,p{i}@example.org\r\n" for i in range(10))
    contact_import = imports.transition(new_import(text), ImportStatus.QUEUED)
    real_apply = imports._Importer.apply_chunk
    calls = {"n": 0}

    def dies_on_the_third_chunk(self, rows, tally):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("worker killed")
        return real_apply(self, rows, tally)

    monkeypatch.setattr(imports._Importer, "apply_chunk", dies_on_the_third_chunk)
    with pytest.raises(SystemExit):
        imports.run(contact_import.pk)
    contact_import.refresh_from_db()
    assert (contact_import.status, contact_import.next_row, contact_import.created) == (
        ImportStatus.RUNNING,
        6,
        4,
    )
    imports.run(contact_import.pk)  # a second worker while the first may still run: nothing
    assert Person.objects.count() == 4
    ContactImport.objects.filter(pk=contact_import.pk).update(
        heartbeat_at=timezone.now() - timezone.timedelta(hours=1)
    )
    monkeypatch.setattr(imports._Importer, "apply_chunk", real_apply)
    imports.run(contact_import.pk)
    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.DONE
    assert contact_import.created == 10
    assert Person.objects.count() == 10


def test_import_and_person_show_on_the_timeline(officer):
    result = run("Name,Email\r\nAnna Li,anna@example.org\r\n", user=officer)
    person = PersonEmail.objects.get(email_normalized="anna@example.org").person
    assert person.owner == officer
    entries = [e for e in timeline_for(person, officer) if e.kind == "import"]
    assert entries[0].title == f"Created by the import of {result.original_name}"
    assert "test cards" in entries[0].detail


def test_command_json_summary(tmp_path, capsys):
    path = tmp_path / "contacts.csv"
    path.write_bytes(CSV.encode("utf-16"))
    call_command("import_contacts", str(path), "--dry-run", "--json", "--default-region", "CN")
    data = json.loads(capsys.readouterr().out)["files"][0]
    assert (data["format"], data["encoding"]) == ("csv", "utf-16")
    assert data["dry_run"]["created"] == 3
    assert {"row": 6, "column": "邮箱", "value": "bad@", "reason": "invalid_email"}.items() <= (
        data["rejections"][0].items()
    )
    assert Person.objects.count() == 0


def test_the_product_export_imported_again_creates_nothing(client, staff_admin):
    for i in range(3):
        make_contact(email=f"guest{i}@example.org", given_name=f"G{i}", family_name="Guest")
    PersonFactory(given_name="No", family_name="Email")
    client.force_login(staff_admin)
    export = b"".join(client.get("/admin/snippets/crm/person/?export=csv").streaming_content)
    before = Person.objects.count()
    result = run(export, name="people.csv")
    assert Person.objects.count() == before
    assert result.created == 0


@pytest.fixture
def inline_tasks(monkeypatch):
    """The worker's part runs in the test process, at once (the test's transaction never
    commits, so the service's on_commit hand-over is made immediate)."""
    from crm import tasks

    monkeypatch.setattr(tasks.analyse_contact_import, "delay", imports.analyse)
    monkeypatch.setattr(tasks.run_contact_import, "delay", imports.run)
    monkeypatch.setattr(imports.transaction, "on_commit", lambda fn, *args, **kwargs: fn())


def test_api_upload_map_dry_run_start_report_undo(client, officer, inline_tasks):
    client.force_login(officer)
    upload = ContentFile(CSV.encode(), name="cards.csv")
    response = client.post("/api/v1/imports/", {"file": upload, "source": "cards"})
    assert response.status_code == 201, response.content
    data = response.json()
    pk = data["id"]
    assert data["mapping"][:3] == ["full_name", "phone_mobile", "phone_office"]
    response = client.post(
        f"/api/v1/imports/{pk}/mapping/",
        {"mapping": data["mapping"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    with_callbacks = client.post(f"/api/v1/imports/{pk}/dry-run/")
    assert with_callbacks.status_code == 202
    assert client.get(f"/api/v1/imports/{pk}/").json()["dry_run"]["created"] == 3
    assert client.post(f"/api/v1/imports/{pk}/start/").status_code == 202
    poll = client.get(f"/api/v1/imports/{pk}/").json()
    assert (poll["status"], poll["progress"]["percent"], poll["counts"]["created"]) == (
        "done",
        100,
        3,
    )
    report = client.get(f"/api/v1/imports/{pk}/report/").json()
    assert report["rejections"][0]["reason"] == "invalid_email"
    assert client.get(f"/api/v1/imports/{pk}/rejected/").status_code == 200
    assert client.post(f"/api/v1/imports/{pk}/start/").json()["code"] == "invalid_state"
    assert client.post(f"/api/v1/imports/{pk}/undo/").json()["removed"] == 3
    assert Person.objects.count() == 0


def test_api_and_wizard_permissions(client, viewer, officer, other_officer):
    theirs = ContactImportFactory(created_by=other_officer)
    client.force_login(viewer)
    upload = ContentFile(b"Name,Email\r\nA,a@example.org\r\n", name="c.csv")
    assert client.post("/api/v1/imports/", {"file": upload, "source": "x"}).status_code == 403
    assert client.get("/admin/crm/imports/new/").status_code in (302, 403)
    client.force_login(officer)
    assert client.get(f"/api/v1/imports/{theirs.pk}/").status_code == 404
    assert client.get(f"/admin/crm/imports/{theirs.pk}/").status_code == 404


def test_wizard_pages(client, officer, inline_tasks):
    client.force_login(officer)
    response = client.post(
        "/admin/crm/imports/new/",
        {
            "file": ContentFile(CSV.encode(), name="cards.csv"),
            "source": "cards",
            "legal_basis": "legitimate_interest",
            "policy": "strict",
            "mode": "create",
            "default_region": "CN",
            "encoding": "",
        },
    )
    assert response.status_code == 302
    pk = ContactImport.objects.get().pk
    page = client.get(f"/admin/crm/imports/{pk}/").content.decode()
    assert 'name="mapping"' in page
    assert "宁波市商务局" in page  # sample values beside each column
    mapping = ContactImport.objects.get().mapping
    client.post(f"/admin/crm/imports/{pk}/dry-run/", {"mapping": mapping})
    page = client.get(f"/admin/crm/imports/{pk}/").content.decode()
    assert 'id="dry-run-counts"' in page
    client.post(f"/admin/crm/imports/{pk}/start/", {"mapping": mapping})
    assert client.get(f"/admin/crm/imports/{pk}/progress/").json()["percent"] == 100
    download = client.get(f"/admin/crm/imports/{pk}/rejected/")
    assert download["Content-Disposition"] == 'attachment; filename="cards-rejected.csv"'
    assert client.get("/admin/crm/imports/").status_code == 200


def test_google_and_outlook_exports_import_with_no_manual_work():
    from tests.unit.crm.test_contact_rows import GOOGLE, OUTLOOK

    google_row = dict.fromkeys(GOOGLE, "")
    google_row.update(
        {
            "First Name": "Anna",
            "Last Name": "Müller",
            "Organization Name": "Handelskammer Hamburg",
            "Organization Title": "Leiterin Asien",
            "Labels": "* myContacts ::: Roadshow",
            "E-mail 1 - Label": "* Work",
            "E-mail 1 - Value": "anna.mueller@example.de",
            "Phone 1 - Label": "Mobile",
            "Phone 1 - Value": "+49 171 1234567 ::: +49 40 361380",
            "Address 1 - Country": "Germany",
        }
    )
    outlook_row = dict.fromkeys(OUTLOOK, "")
    outlook_row.update(
        {
            "Title": "Dr.",
            "First Name": "Hans",
            "Last Name": "Schmidt",
            "Job Title": "Direktor",
            "Company": "Hafen Hamburg",
            "Mobile Phone": "0171 7654321",
            "Business Phone": "040 123456 ext. 12",
            "Business Country/Region": "Deutschland",
            "E-mail Address": "h.schmidt@example.de",
            "Categories": "Partner;Hamburg",
        }
    )
    for headers, values in ((GOOGLE, google_row), (OUTLOOK, outlook_row)):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerow([values[h] for h in headers])
        assert run(buffer.getvalue()).created == 1
    anna = PersonEmail.objects.get(email_normalized="anna.mueller@example.de").person
    assert (anna.given_name, anna.family_name, anna.job_title) == (
        "Anna",
        "Müller",
        "Leiterin Asien",
    )
    assert list(anna.tags.names()) == ["Roadshow"]
    assert {(str(p.number), p.kind) for p in anna.phones.all()} == {
        ("+491711234567", "mobile"),
        ("+4940361380", "office"),  # a landline labelled "Mobile" never identifies anyone
    }
    hans = PersonEmail.objects.get(email_normalized="h.schmidt@example.de").person
    assert (hans.honorific, hans.job_title, str(hans.country)) == ("dr", "Direktor", "DE")
    assert {(str(p.number), p.extension, p.kind) for p in hans.phones.all()} == {
        ("+491717654321", "", "mobile"),
        ("+4940123456", "12", "office"),
    }
    assert sorted(hans.tags.names()) == ["Hamburg", "Partner"]


def test_a_vcard_file_imports_with_its_ordinals():
    from tests.unit.crm.test_contact_files import VCARD_21, VCARD_30, VCARD_40

    broken = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Broken\r\nnot a property\r\nEND:VCARD\r\n"
    result = run(VCARD_21 + broken + VCARD_30 + VCARD_40, name="phone.vcf")
    assert (result.created, result.rejected) == (3, 1)
    assert result.issues.get().row_number == 2
    wang = PersonEmail.objects.get(email_normalized="wang.wei@example.cn").person
    assert wang.name_chinese == "王伟"
    assert wang.affiliations.get().organization.name == "宁波市商务局"


def test_imported_people_have_their_name_forms_and_matching_keys_when_the_import_commits():
    from crm.models import PersonMatchKey
    from crm.services import dedupe

    run(
        "姓,名,邮箱,国家/地区,城市\r\n"
        "陈,静,chen.jing@example.cn,中国,宁波\r\n"
        "田中,太郎,tanaka@example.jp,日本,東京\r\n"
    )
    chen = PersonEmail.objects.get(email_normalized="chen.jing@example.cn").person
    assert (chen.full_name_native, chen.name_latin) == ("陈静", "Chen Jing")
    assert "chen jing" in chen.search_text
    tanaka = PersonEmail.objects.get(email_normalized="tanaka@example.jp").person
    assert (tanaka.full_name_native, tanaka.name_latin) == ("田中太郎", "Tanaka Taro")
    # No worker ran: the keys were written with the people, as the person services write them.
    stored = set(PersonMatchKey.objects.filter(person=chen).values_list("key", flat=True))
    assert {"e:chen.jing@example.cn", "n:chenjing", "h:陈静"} <= stored
    dedupe.refresh_match_keys(chen)
    assert set(PersonMatchKey.objects.filter(person=chen).values_list("key", flat=True)) == stored
    found = dedupe.likely_duplicates(dedupe.Probe(full_names=["Taro Tanaka"]))
    assert [m.person.pk for m in found] == [tanaka.pk]


def test_an_import_never_touches_a_restricted_person_the_importer_cannot_see(
    officer, other_officer
):
    secret = make_contact(email="secret@example.org", given_name="Sec", family_name="Ret")
    Person.objects.filter(pk=secret.pk).update(restricted=True, owner=other_officer, city="")
    rows = "Name,Email,City\r\nSomeone,SECRET@example.org,Bonn\r\nFine,fine@example.org,Bonn\r\n"
    result = imports.run_now(new_import(rows, user=officer, mode="update"))
    assert (result.created, result.updated, result.rejected) == (1, 0, 1)
    issue = result.issues.get()
    assert (issue.row_number, issue.code) == (2, "restricted_person")
    assert "Sec" not in issue.message
    assert "Ret" not in issue.message
    secret.refresh_from_db()
    assert secret.city == ""
    # Its owner may.
    result = imports.run_now(new_import(rows, user=other_officer, mode="update"))
    assert (result.updated, result.rejected) == (1, 0)
    secret.refresh_from_db()
    assert secret.city == "Bonn"


def test_every_sheet_of_a_workbook_is_imported_with_rows_named_by_sheet(tmp_path):
    from crm.contact_files import ALL_SHEETS

    workbook = Workbook()
    workbook.active.title = "Ningbo"
    workbook.active.append(["姓名", "邮箱"])
    workbook.active.append(["王伟", "wang@example.cn"])
    beijing = workbook.create_sheet("Beijing")
    beijing.append(["邮箱", "姓名"])
    beijing.append(["li@example.cn", "李娜"])
    beijing.append(["bad@", "赵敏"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    contact_import = new_import(buffer.getvalue(), name="offices.xlsx")
    assert contact_import.sheets == ["Ningbo", "Beijing"]
    imports.choose_sheet(contact_import, "Beijing")
    assert contact_import.headers == ["邮箱", "姓名"]
    imports.choose_sheet(contact_import, ALL_SHEETS)
    assert contact_import.headers == ["姓名", "邮箱"]
    result = imports.run_now(contact_import)
    assert (result.created, result.rejected) == (2, 1)
    rejection = imports.report(result)["rejections"][0]
    assert (rejection["sheet"], rejection["row"], rejection["reason"]) == (
        "Beijing",
        3,
        "invalid_email",
    )
    assert result.issues.get(code="invalid_email").row_label == "Beijing · 3"
    with pytest.raises(imports.ImportError_):
        imports.choose_sheet(result, "Ningbo")  # the import has run


def test_the_wizard_offers_the_sheets_of_a_workbook(client, officer):
    workbook = Workbook()
    workbook.active.title = "Ningbo"
    workbook.active.append(["姓名", "邮箱"])
    workbook.active.append(["王伟", "wang@example.cn"])
    beijing = workbook.create_sheet("Beijing")
    beijing.append(["Name", "Email", "City"])
    beijing.append(["Li Na", "li@example.cn", "北京"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    contact_import = new_import(buffer.getvalue(), name="offices.xlsx", user=officer)
    client.force_login(officer)
    page = client.get(f"/admin/crm/imports/{contact_import.pk}/").content.decode()
    assert 'id="sheet-form"' in page
    assert '<option value="Beijing">Beijing</option>' in page
    client.post(f"/admin/crm/imports/{contact_import.pk}/sheet/", {"sheet": "Beijing"})
    contact_import.refresh_from_db()
    assert (contact_import.sheet, contact_import.headers) == ("Beijing", ["Name", "Email", "City"])
    assert "北京" in client.get(f"/admin/crm/imports/{contact_import.pk}/").content.decode()
