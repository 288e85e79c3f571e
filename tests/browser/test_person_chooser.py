"""The person chooser (crm.admin.widgets.PersonChooser) in Chromium, on the segment form: type a
name or an address, pick with the mouse or the keyboard, remove a chip, save, reopen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_campaigns import _manager, _open, field, log_in
from tests.browser.test_public_site import axe_violations
from tests.factories import SegmentFactory, make_contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    return {
        "wang": make_contact(
            "wang.wei@university.example.cn",
            family_name="Wang",
            given_name="Wei",
            name_order="family_first",
            full_name_native="王伟",
            name_chinese="王伟",
            name_latin="Wang Wei",
        ),
        "mueller": make_contact(
            "anna.mueller@hamburg.example.de", family_name="Müller", given_name="Anna"
        ),
        "smith": make_contact("john.smith@example.org", family_name="Smith", given_name="John"),
    }


def test_staff_pick_two_people_remove_one_and_the_other_is_saved(page, live_server, people):
    manager = _manager("mei.segments")
    segment = SegmentFactory(name="Forum partners")
    log_in(page, live_server, manager)
    url = f"{live_server.url}/admin/snippets/crm/segment/edit/{segment.pk}/"
    page.goto(url)

    box = field(page, "combobox", "Always include")
    results = page.locator(f"#{box.get_attribute('id')}-results")
    # With the mouse: a name in Chinese script finds Wang Wei, shown with his Latin name.
    box.fill("王伟")
    results.get_by_role("option", name=re.compile("^Wang Wei")).click()
    chips = page.get_by_role("list", name="Chosen people").first
    expect(chips.get_by_role("listitem")).to_have_count(1)
    # With the keyboard: an email address, arrow down, Enter (which must not submit the form).
    box.fill("anna.mueller@")
    expect(results.get_by_role("option", name=re.compile("^Anna Müller"))).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(chips.get_by_role("listitem")).to_have_count(2)
    expect(page).to_have_url(url)
    assert axe_violations(page) == []

    # Remove Wang Wei from the keyboard.
    remove = page.get_by_role("button", name="Remove Wang Wei (王伟)")
    remove.focus()
    page.keyboard.press("Enter")
    expect(chips.get_by_role("listitem")).to_have_count(1)
    expect(page.get_by_role("status").filter(has_text="Wang Wei (王伟) removed.")).to_have_count(1)

    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Forum partners").first).to_be_visible()
    assert list(segment.additions.all()) == [people["mueller"]]

    page.goto(url)
    expect(page.get_by_role("button", name="Remove Anna Müller")).to_be_visible()
    expect(page.get_by_role("button", name="Remove Wang Wei (王伟)")).to_have_count(0)
    assert page.console_errors == []


def test_the_chooser_speaks_chinese_to_chinese_speaking_staff(browser, live_server, people):
    manager = _manager("li.segments")
    segment = SegmentFactory(name="Partners")
    segment.additions.add(people["wang"])
    page = _open(browser, "zh-CN")
    try:
        log_in(page, live_server, manager)
        page.goto(f"{live_server.url}/admin/snippets/crm/segment/edit/{segment.pk}/")
        # Chinese-speaking staff read the Chinese name first.
        remove = page.locator("[data-person-chooser] [data-remove]").first
        expect(remove).to_have_attribute("aria-label", re.compile("王伟 \\(Wang Wei\\)"))
        box = page.locator("input[data-search]").first
        box.fill("smith")
        expect(page.get_by_role("option", name=re.compile("^John Smith"))).to_be_visible()
        box.fill("nobody-at-all")
        expect(page.get_by_role("option").filter(has_text="nobody-at-all")).to_have_count(1)
        assert page.console_errors == []
    finally:
        page.context.close()
