"""The project pool: putting projects in (once per source), moving them along the pipeline with
history, the board and its move endpoint, filters, export and the dashboard figure."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from crm.models import Sector
from projects.models import Project, StageChange
from projects.services import pool
from tests.factories import OrganizationFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_a_competition_winner_enters_the_pool_once_however_often_it_is_added(officer):
    source = OrganizationFactory(name="Stands in for a competition entry")
    first = pool.add_to_pool(
        name_en="Graphene coatings",
        name_zh="石墨烯涂层",
        source=source,
        source_kind="competition",
        investment_sought=Decimal("5000000"),
        acting_user=officer,
    )
    again = pool.add_to_pool(name_en="Graphene coatings", source=source, acting_user=officer)
    assert again.pk == first.pk
    assert Project.objects.count() == 1
    assert first.stage == "lead"
    assert list(first.stage_changes.values_list("from_stage", "to_stage")) == [("", "lead")]


def test_adding_a_signed_agreement_again_moves_the_known_project_forward(officer):
    source = OrganizationFactory()
    project = pool.add_to_pool(name_en="Port logistics", source=source, acting_user=officer)
    again = pool.add_to_pool(
        name_en="Port logistics", source=source, stage="signed", acting_user=officer
    )
    assert again.pk == project.pk
    assert again.stage == "signed"


def test_a_project_needs_a_name_and_a_currency_code(officer):
    with pytest.raises(ValidationError) as error:
        pool.add_to_pool(name_en=" ", acting_user=officer)
    assert "name_en" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        pool.add_to_pool(name_en="Moulds", currency="euro", acting_user=officer)
    assert "currency" in error.value.message_dict


def test_moving_a_project_records_who_when_and_why_and_is_audited(officer):
    project = ProjectFactory()
    pool.move_stage(project, "contact", officer, "first call done")
    project.refresh_from_db()
    assert project.stage == "contact"
    change = StageChange.objects.get(project=project)
    assert (change.from_stage, change.to_stage, change.changed_by, change.reason) == (
        "lead",
        "contact",
        officer,
        "first call done",
    )
    entry = ModelLogEntry.objects.get(object_id=str(project.pk), action="projects.stage")
    assert entry.user == officer
    assert entry.data["to"] == "contact"


def test_moving_back_needs_a_reason_and_moving_in_place_changes_nothing(officer):
    project = ProjectFactory(stage="negotiation")
    with pytest.raises(ValidationError) as error:
        pool.move_stage(project, "contact", officer, "")
    assert error.value.code == "reason_required"
    pool.move_stage(project, "negotiation", officer, "")
    assert not StageChange.objects.filter(project=project).exists()
    pool.move_stage(project, "contact", officer, "investor withdrew")
    assert StageChange.objects.get(project=project).reason == "investor withdrew"


def test_landed_this_year_counts_projects_landed_in_the_calendar_year(officer):
    landed = ProjectFactory(stage="negotiation")
    pool.move_stage(landed, "landed", officer)
    ProjectFactory(stage="landed", landed_on=timezone.localdate() - datetime.timedelta(days=400))
    ProjectFactory(stage="signed")
    assert pool.landed_this_year() == 1


def test_a_follow_up_becomes_a_crm_interaction_linked_to_the_project(officer):
    org = OrganizationFactory(name="Ningbo Bank")
    project = ProjectFactory()
    project.organizations.add(org)
    person = PersonFactory(owner=officer)
    interaction = pool.record_follow_up(
        project,
        kind="meeting",
        occurred_on=timezone.localdate(),
        subject="Term sheet",
        people=[person],
        next_follow_up_on=timezone.localdate() + datetime.timedelta(days=14),
        acting_user=officer,
    )
    assert list(project.interactions.all()) == [interaction]
    assert list(interaction.organizations.all()) == [org]
    project.refresh_from_db()
    assert project.next_follow_up_on == timezone.localdate() + datetime.timedelta(days=14)


def test_the_board_shows_each_project_in_its_stage_column_filtered_by_sector(officer):
    robots = Sector.objects.create(name="Welding automation", slug="welding-test")
    ProjectFactory(name_en="Welding robot", stage="contact", sector=robots)
    ProjectFactory(name_en="Silk scarves", stage="contact")
    page = _client(officer).get("/admin/projects/board/").content.decode()
    assert "Welding robot" in page
    assert "Silk scarves" in page
    page = _client(officer).get(f"/admin/projects/board/?sector={robots.pk}").content.decode()
    assert "Welding robot" in page
    assert "Silk scarves" not in page


def test_the_keyboard_form_moves_a_project_and_returns_to_the_board(officer):
    project = ProjectFactory()
    response = _client(officer).post(
        f"/admin/projects/{project.pk}/move/",
        {"stage": "contact", "next": "/admin/projects/board/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/projects/board/"
    project.refresh_from_db()
    assert project.stage == "contact"


def test_the_drag_endpoint_answers_json_and_names_a_refused_move(officer):
    project = ProjectFactory(stage="signed")
    client = _client(officer)
    answer = client.post(
        f"/admin/projects/{project.pk}/move/",
        {"stage": "lead"},
        headers={"accept": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "reason_required"
    answer = client.post(
        f"/admin/projects/{project.pk}/move/",
        {"stage": "nowhere"},
        headers={"accept": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("stage:")
    answer = client.post(
        f"/admin/projects/{project.pk}/move/",
        {"stage": "landed"},
        headers={"accept": "application/json"},
    )
    assert answer.json() == {"id": project.pk, "stage": "landed"}


def test_the_move_endpoint_refuses_a_post_without_the_csrf_token(officer):
    project = ProjectFactory()
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    client.force_login(officer)
    response = client.post(f"/admin/projects/{project.pk}/move/", {"stage": "contact"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.stage == "lead"


def test_a_viewer_sees_the_board_but_cannot_move_projects(viewer):
    project = ProjectFactory(name_en="Smart port")
    client = _client(viewer)
    page = client.get("/admin/projects/board/").content.decode()
    assert "Smart port" in page
    assert 'name="stage"' not in page.split("pool-board")[1]
    assert client.post(f"/admin/projects/{project.pk}/move/", {"stage": "contact"}).status_code
    project.refresh_from_db()
    assert project.stage == "lead"


def test_the_export_escapes_spreadsheet_formulas(officer):
    ProjectFactory(name_en='=HYPERLINK("http://evil")', stage="lead")
    response = _client(officer).get("/admin/snippets/projects/project/?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


def test_the_project_page_names_no_restricted_contact_and_shows_the_history(officer, other_officer):
    secret = PersonFactory(family_name="Zzyzxhidden", restricted=True, owner=other_officer)
    shown = PersonFactory(family_name="Openface", owner=officer)
    project = ProjectFactory(name_en="Hydrogen buses")
    project.people.add(secret, shown)
    pool.move_stage(project, "contact", officer, "met at the forum")
    page = _client(officer).get(f"/admin/snippets/projects/project/inspect/{project.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Openface" in text
    assert "Zzyzxhidden" not in text
    assert "met at the forum" in text


def test_the_dashboard_shows_projects_landed_this_year(officer):
    pool.move_stage(ProjectFactory(stage="signed"), "landed", officer)
    page = _client(officer).get("/admin/").content.decode()
    assert "1 project landed this year" in page
