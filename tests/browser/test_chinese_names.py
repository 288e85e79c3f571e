"""A Chinese name typed on the person form in Chromium: likely duplicates appear while typing,
the native full name and pinyin are filled in, and the saved person is found by pinyin."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from crm.models import Person
from tests.browser.test_campaigns import _manager, field, log_in
from tests.factories import make_contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_type_a_chinese_name_see_a_likely_duplicate_and_find_her_by_pinyin(page, live_server):
    make_contact("jing.chen@port.example.cn", family_name="", given_name="", name_latin="Jing CHEN")
    officer = _manager("wu.people")
    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}/admin/snippets/crm/person/add/")

    field(page, "textbox", "Family name").fill("陈")
    field(page, "textbox", "Given name").fill("静")
    warning = page.locator("[data-duplicate-check]")
    expect(warning).to_be_visible(timeout=15_000)  # after a pause in typing
    expect(warning.get_by_role("link", name=re.compile("Jing CHEN"))).to_be_visible()
    expect(warning).to_contain_text("same name")
    # Filled in, family name first without a space, and still editable.
    expect(field(page, "textbox", "Full name in native script")).to_have_value("陈静")
    expect(field(page, "textbox", "Latin transliteration")).to_have_value("Chen Jing")

    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("陈静").first).to_be_visible()
    chen = Person.objects.get(family_name="陈")
    assert (chen.composed_name, chen.name_latin) == ("陈静", "Chen Jing")

    for term in ("chen jing", "chenjing", "静陈"):
        page.goto(f"{live_server.url}/admin/snippets/crm/person/?q={term}")
        expect(page.get_by_role("link", name=re.compile("陈静")).first).to_be_visible()
    assert page.console_errors == []
