"""The public call for entries: a team enters, confirms by mail (and becomes CRM people), edits
until the deadline through its signed link; bad input is a clear error, never a server error."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from competitions.models import Entry, TeamMember
from crm.models import Person
from tests.factories import CompetitionFactory, PersonFactory, TrackFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def pptx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


@pytest.fixture
def contest(db):
    competition = CompetitionFactory(max_attachment_mb=1)
    TrackFactory(
        competition=competition, code="materials", name_en="New materials", name_zh="新材料"
    )
    return competition


def form_data(contest, **overrides):
    data = {
        "lang": "en",
        "track": contest.tracks.first().pk,
        "title_zh": "石墨烯电池",
        "title_en": "Graphene battery",
        "summary_zh": "更快充电",
        "summary_en": "Charges faster",
        "organization_name": "Graphene Labs",
        "lead_family_name": "Meyer",
        "lead_given_name": "Lena",
        "contact_email": "lena@graphene-labs.example",
        "members": "Wang, Wei, wei@graphene-labs.example\nSato",
        "video_url": "https://video.example/pitch",
        "consent": "on",
        "plan": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
        "deck": SimpleUploadedFile("deck.pptx", pptx_bytes(), content_type="application/zip"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def enter(client, contest, **overrides):
    return client.post(
        f"/competitions/{contest.event.code}/enter/?lang=en", form_data(contest, **overrides)
    )


def confirmation_link(django_capture_on_commit_callbacks=None) -> str:
    body = mail.outbox[-1].body
    return re.search(r"https?://[^\s]+/competitions/entry/confirm/[^\s]+/", body).group(0)


@pytest.mark.django_db
def test_a_team_enters_confirms_and_becomes_crm_people(
    client, contest, django_capture_on_commit_callbacks
):
    known = PersonFactory(family_name="Wang", given_name="Wei", email="WEI@graphene-labs.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = enter(client, contest)
    assert response.status_code == 200
    assert "check your mailbox" in response.content.decode()
    entry = Entry.objects.get()
    assert entry.status == "unconfirmed"
    assert entry.consent_at is not None
    assert "jury reads our entry" in entry.consent_text
    assert {a.kind: a.content_type for a in entry.attachments.all()} == {
        "plan": "application/pdf",
        "deck": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }
    assert not TeamMember.objects.exists()  # nobody in the CRM before the address is confirmed

    link = confirmation_link().replace("http://localhost:8000", "")
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "submitted"
    team = {m.person: m.role for m in entry.team.select_related("person")}
    assert team[known] == "member"  # matched by email, not duplicated
    lead = Person.objects.get(emails__email_normalized="lena@graphene-labs.example")
    assert team[lead] == "lead"
    assert len(team) == 3

    page = client.get(response["Location"])
    assert "Graphene battery" in page.content.decode()
    assert "Submitted" in page.content.decode()


@pytest.mark.django_db
def test_the_team_edits_until_the_deadline_and_not_after(
    client, contest, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enter(client, contest)
    link = confirmation_link().replace("http://localhost:8000", "")
    status_path = client.post(link)["Location"].split("?")[0]
    data = form_data(contest, title_en="Graphene battery 2", plan=None, deck=None, consent=None)
    response = client.post(status_path + "?lang=en", data)
    assert response.status_code == 302
    assert Entry.objects.get().title_en == "Graphene battery 2"
    assert Entry.objects.get().attachments.count() == 2  # kept

    contest.entry_deadline = timezone.now() - datetime.timedelta(minutes=1)
    contest.save()
    response = client.post(status_path + "?lang=en", form_data(contest, title_en="Late", plan=None))
    assert response.status_code == 410
    assert "closed on" in response.content.decode()
    assert Entry.objects.get().title_en == "Graphene battery 2"


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_with_its_name_and_the_limit(client, contest):
    big = SimpleUploadedFile("plan.pdf", PDF + b"0" * (1024 * 1024 + 1))
    response = enter(client, contest, plan=big)
    assert response.status_code == 400
    text = response.content.decode()
    assert "plan.pdf is 1.0 MB; the limit is 1 MB." in text
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.html", b"<html><script>alert(1)</script></html>"),
        ("plan.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("plan.pdf", b"<html><script>alert(1)</script></html>"),  # renamed HTML
        ("plan.pptx", PDF),  # a PDF named as a deck: extension and content disagree
    ],
)
@pytest.mark.django_db
def test_a_file_of_the_wrong_type_is_refused(client, contest, name, content):
    response = enter(
        client, contest, plan=SimpleUploadedFile(name, content, content_type="application/pdf")
    )
    assert response.status_code == 400
    assert f"{name} is not an accepted file: upload .pdf." in response.content.decode()
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_an_entry_after_the_deadline_is_refused(client, contest):
    contest.entry_deadline = timezone.now() - datetime.timedelta(hours=1)
    contest.save()
    assert "closed on" in client.get(f"/competitions/{contest.event.code}/enter/").content.decode()
    response = enter(client, contest)
    assert response.status_code == 410
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_a_malformed_team_line_is_named(client, contest):
    response = enter(client, contest, members="Wang, Wei, not-an-address")
    assert response.status_code == 400
    assert "Line 1: not-an-address is not an email address." in response.content.decode()


@pytest.mark.django_db
def test_a_tampered_link_opens_nothing(client, contest):
    assert client.get("/competitions/entry/abc:def/").status_code == 410
    assert client.post("/competitions/entry/confirm/abc:def/").status_code == 410


@pytest.mark.django_db
def test_the_form_speaks_chinese(client, contest):
    page = client.get(f"/competitions/{contest.event.code}/enter/?lang=zh-hans").content.decode()
    assert "新材料" in page


@pytest.mark.django_db
def test_erasing_a_team_member_scrubs_the_entry_s_copies_of_them(
    administrator, django_capture_on_commit_callbacks
):
    from competitions.models import Assignment
    from crm.services import privacy
    from tests.factories import AssignmentFactory, EntryFactory, TeamMemberFactory

    entry = EntryFactory(
        contact_email="lena@graphene-labs.example",
        pending_team=[
            {"family_name": "Meyer", "given_name": "Lena", "email": "lena@graphene-labs.example"}
        ],
    )
    lead = PersonFactory(family_name="Meyer", given_name="Lena", email="lena@graphene-labs.example")
    TeamMemberFactory(entry=entry, person=lead)
    AssignmentFactory(
        entry=entry, round__competition=entry.competition, comment="Meyer pitched well"
    )
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_person(lead, acting_user=administrator)
    entry.refresh_from_db()
    assert entry.contact_email == ""
    assert "Meyer" not in str(entry.pending_team)
    assert "Meyer" not in Assignment.objects.get(entry=entry).comment
    assert entry.title_en  # the project stays
