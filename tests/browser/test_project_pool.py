"""The project pool board in Chromium: a project dragged from "Lead" to "Contact" moves, and its
page shows the move in the stage history; the keyboard form moves it on."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from crm.services.roles import OFFICER, ensure_roles
from projects.models import Project
from tests.browser.test_campaigns import PASSWORD, log_in
from tests.factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_drags_a_project_to_the_next_stage_and_sees_it_in_the_history(page, live_server):
    ensure_roles()
    officer = UserFactory(username="pool.officer", password=PASSWORD)
    officer.groups.add(Group.objects.get(name=OFFICER))
    project = ProjectFactory(name_en="Graphene heat sinks", stage="lead")
    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}/admin/projects/board/")
    card = page.locator(f"#project-{project.pk}")
    expect(page.locator(f".pool-column[data-stage=lead] #project-{project.pk}")).to_be_visible()

    card.get_by_role("link", name="Graphene heat sinks").drag_to(
        page.locator(".pool-column[data-stage=contact] h2")
    )
    expect(page.locator(f".pool-column[data-stage=contact] #project-{project.pk}")).to_be_visible()
    expect(page.locator("#pool-status")).to_contain_text("Graphene heat sinks")
    project.refresh_from_db()
    assert project.stage == "contact"

    # The keyboard way: the card's own form.
    page.goto(f"{live_server.url}/admin/projects/board/")
    card = page.locator(f"#project-{project.pk}")
    card.get_by_label("Move to").select_option("negotiation")
    card.get_by_role("button", name="Move").click()
    expect(
        page.locator(f".pool-column[data-stage=negotiation] #project-{project.pk}")
    ).to_be_visible()

    page.goto(f"{live_server.url}/admin/snippets/projects/project/inspect/{project.pk}/")
    history = page.locator("table.pool-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Negotiation")
    expect(history.nth(1)).to_contain_text("Lead")
    expect(history.nth(1)).to_contain_text("Contact")
    expect(history.nth(1)).to_contain_text("pool.officer")
    assert Project.objects.get(pk=project.pk).stage == "negotiation"
    assert page.console_errors == []
