"""The office's daily screens in Chromium (issue 14): a person's profile with their events, consent
ticked on the person form, an organization chooser that searches as you type and creates one in
place, a searchable country picker, the campaign's "who is left out" page, and approval with its
notices (dashboard and email). Each new screen is checked with axe-core (WCAG 2.2 A/AA) and for
console errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from crm.models import Consent, Organization
from outreach.models import CampaignStatus, SuppressionReason
from outreach.services import suppression
from tests.browser.test_campaigns import _manager, _open, field, log_in
from tests.browser.test_public_site import axe_violations
from tests.factories import (
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    RegistrationFactory,
    SegmentFactory,
    make_campaign,
    make_contact,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def manager(site_structure):
    user = _manager("mei.daily")
    user.is_superuser = True  # records consent, edits anyone: the office's administrator
    user.save()
    return user


def test_profile_shows_events_and_consent_ticked_on_the_form_appears_on_it(
    page, live_server, manager
):
    person = PersonFactory(family_name="Schäfer", given_name="Eva", honorific="dr")
    forum = EventFactory(name="Ningbo Robotics Forum")
    RegistrationFactory(event=forum, person=person, status="accepted")
    make_campaign(people=[], event=forum, kind="invitation", name="Robotics invitation")
    log_in(page, live_server, manager)

    page.goto(f"{live_server.url}/admin/snippets/crm/person/inspect/{person.pk}/")
    events = page.get_by_role("heading", name="Events").locator("xpath=following-sibling::ul[1]")
    expect(events).to_contain_text("Ningbo Robotics Forum")
    expect(events).to_contain_text("Accepted")
    assert axe_violations(page) == []

    # Invite her to the forum from the profile.
    page.get_by_role("link", name="Invite to an event").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add to this invitation").click()
    expect(page.get_by_text("added to the invitation “Robotics invitation”")).to_be_visible()

    # Consent on the person form: tick the purpose, say how, save.
    page.goto(f"{live_server.url}/admin/snippets/crm/person/edit/{person.pk}/")
    page.get_by_role("tab", name="Handling").click()
    page.get_by_role("checkbox", name="Event invitations").check()
    field(page, "textbox", "How the consent was given").fill("Card at the Hamburg roadshow")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("updated").first).to_be_visible()
    consent = Consent.objects.valid().get(person=person)
    assert consent.source == "Card at the Hamburg roadshow"
    page.goto(f"{live_server.url}/admin/snippets/crm/person/inspect/{person.pk}/")
    expect(page.get_by_text("Card at the Hamburg roadshow").first).to_be_visible()
    assert page.console_errors == []


def test_organization_chooser_searches_as_you_type_and_creates_in_place(page, live_server, manager):
    OrganizationFactory(name="Handelskammer Hamburg")
    OrganizationFactory(name="Ningbo University")
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/admin/snippets/crm/organization/add/")
    field(page, "textbox", "Official name").fill("Hamburg Robotics Cluster")

    page.get_by_role("button", name=re.compile("Choose .*organization")).first.click()
    modal = page.locator(".modal-content")
    search = modal.get_by_role("textbox", name=re.compile("Search term"))
    search.press_sequentially("Handels", delay=50)  # no Enter: the list follows the typing
    expect(modal.get_by_role("link", name="Handelskammer Hamburg")).to_be_visible()
    expect(modal.get_by_role("link", name="Ningbo University")).to_have_count(0)
    assert axe_violations(page) == []

    # Not there yet: create the parent in place.
    modal.get_by_role("tab", name="Create the organization").click()
    modal.get_by_role("textbox", name=re.compile("^Official name")).fill(
        "Hamburg Senate Chancellery"
    )
    modal.get_by_role("combobox", name=re.compile("^Kind")).select_option(
        "provincial_municipal_department"
    )
    modal.get_by_role("button", name="Create the organization").click()
    expect(page.locator(".modal-content")).to_have_count(0)
    expect(page.get_by_text("Hamburg Senate Chancellery")).to_be_visible()

    # The country picker filters as you type.
    country = page.get_by_role("combobox", name=re.compile("^Country"))
    country.click()
    country.press_sequentially("Germ", delay=50)
    page.locator(".ts-dropdown").get_by_role("option", name="Germany").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("created").first).to_be_visible()
    created = Organization.objects.get(name="Hamburg Robotics Cluster")
    assert created.parent.name == "Hamburg Senate Chancellery"
    assert created.country.code == "DE"
    assert page.console_errors == []


def test_segment_countries_are_picked_by_typing(page, live_server, manager):
    segment = SegmentFactory(name="German-speaking partners")
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/admin/snippets/crm/segment/edit/{segment.pk}/")
    assert axe_violations(page) == []
    countries = page.get_by_role("combobox", name=re.compile("^Countries"))
    countries.click()
    countries.fill("Austr")
    page.locator(".ts-dropdown").get_by_role("option", name="Austria").click()
    countries.fill("Switz")
    page.locator(".ts-dropdown").get_by_role("option", name="Switzerland").click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("updated").first).to_be_visible()
    segment.refresh_from_db()
    assert sorted(c.code for c in segment.countries) == ["AT", "CH"]


def test_audience_exclusions_are_listed_with_their_reasons(page, live_server, manager):
    ok = make_contact("ok@example.org")
    no_consent = make_contact("lin.feng@example.org", consent=None, family_name="Lin")
    bounced = make_contact("bounced@example.org", family_name="Becker")
    suppression.suppress("bounced@example.org", SuppressionReason.HARD_BOUNCE)
    campaign = make_campaign(owner=manager, people=[ok, no_consent, bounced])
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/admin/campaigns/{campaign.pk}/live/")
    page.get_by_role("link", name="Who is left out, and why").click()
    summary = page.locator("#campaign-excluded-summary")
    expect(summary.locator('[data-reason="no_consent"] td')).to_have_text("1")
    expect(summary.locator('[data-reason="suppressed"] td')).to_have_text("1")
    expect(page.locator("#campaign-excluded-list")).to_contain_text("Lin")
    assert axe_violations(page) == []
    summary.get_by_role("link", name="Address on the suppression list").click()
    expect(page.locator("#campaign-excluded-list")).to_contain_text("Becker")
    assert page.console_errors == []


def test_approvers_are_told_and_the_author_reads_why_it_came_back(browser, live_server, mailoutbox):
    author, approver_user = _manager("mei.author2"), _manager("tom.approver2")
    campaign = make_campaign(owner=author, people=[make_contact("guest@example.org")])
    writer = _open(browser, "en-GB")
    log_in(writer, live_server, author)
    writer.goto(f"{live_server.url}/admin/campaigns/{campaign.pk}/live/")
    expect(writer.locator("#campaign-next-step")).to_contain_text("submit the campaign")
    writer.get_by_role("button", name="Submit for approval").click()
    expect(writer.get_by_text("Submitted for approval: 1 recipients.")).to_be_visible()
    assert [m.to for m in mailoutbox] == [[approver_user.email]]

    judge = _open(browser, "en-GB")
    log_in(judge, live_server, approver_user)
    awaiting = judge.locator("#outreach-approvals")
    expect(awaiting).to_contain_text("Awaiting your approval")
    assert axe_violations(judge) == []
    awaiting.get_by_role("link", name=campaign.name).click()
    field(judge, "textbox", "Reason for sending it back").fill("The German text is missing")
    judge.get_by_role("button", name="Send back to the author").click()
    expect(judge.get_by_text("Sent back to the author with your reason.")).to_be_visible()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert mailoutbox[-1].to == [author.email]
    assert "The German text is missing" in mailoutbox[-1].body

    writer.goto(f"{live_server.url}/admin/")
    expect(writer.locator("#outreach-approvals")).to_contain_text("The German text is missing")
    assert axe_violations(writer) == []
    assert writer.console_errors == []
    assert judge.console_errors == []
    writer.context.close()
    judge.context.close()


def test_dashboard_shows_upcoming_events_with_their_answers(page, live_server, manager):
    event = EventFactory(
        name="Smart Manufacturing Expo", starts_at=timezone.now() + dt.timedelta(days=9)
    )
    RegistrationFactory(event=event, status="accepted")
    RegistrationFactory(event=event, status="declined")
    log_in(page, live_server, manager)
    panel = page.locator("#outreach-upcoming-events")
    row = panel.get_by_role("row").filter(has_text="Smart Manufacturing Expo")
    expect(row.get_by_role("cell")).to_have_text(
        [re.compile("Smart Manufacturing Expo"), re.compile(r"\d"), "0", "1", "1"]
    )
    assert axe_violations(page) == []
