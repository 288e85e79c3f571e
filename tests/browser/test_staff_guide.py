"""The staff guide's walk (docs/staff-guide.en.md, docs/staff-guide.zh-hans.md) in Chromium, in
Chinese and English: the first contact, their consent, the first segment, the first campaign
through approval by a colleague. Each step is asserted; its screenshot is the guide's picture.

Screenshots go to a temporary folder; `make guide-screenshots` sets GUIDE_SCREENSHOTS_DIR=docs/
screenshots to refresh the guide's pictures."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_campaigns import PASSWORD, _manager, _open, field, log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# label -> (English, Chinese) as the admin shows it
LABELS = {
    "family": ("Family name", "姓"),
    "given": ("Given name", "名"),
    "save": ("Save", "保存"),
    "segment_name": ("Name", "名称"),
    "submit": ("Submit for approval", "提交审批"),
    "approve": ("Approve (freezes the audience)", "批准（锁定受众）"),
    "approved": ("Approved", "已批准"),
}


def _officer():
    from django.contrib.auth.models import Group

    from crm.services.roles import OFFICER, ensure_roles

    ensure_roles()
    user = UserFactory(username="li.officer", is_staff=True, password=PASSWORD)
    user.groups.add(Group.objects.get(name=OFFICER))
    return user


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("GUIDE_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shot(page, folder: Path, language: str, name: str) -> None:
    target = folder / language
    target.mkdir(exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(target / f"{name}.png"), full_page=False)


@pytest.mark.parametrize(("language", "locale"), [("zh-hans", "zh-CN"), ("en", "en-GB")])
def test_the_staff_guide_walk_first_contact_segment_and_campaign(
    browser, live_server, shots, settings, language, locale
):
    from crm.models import Person, Segment
    from outreach.models import Campaign, CampaignStatus
    from tests.factories import make_campaign

    settings.LIAISON_ADMIN_LANGUAGE = language
    english = language == "en"
    label = {key: pair[0 if english else 1] for key, pair in LABELS.items()}
    officer, author, approver = _officer(), _manager("mei.author"), _manager("tom.approver")
    from wagtail.users.models import UserProfile

    for user in (officer, author, approver):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    page = _open(browser, locale)
    page.set_viewport_size({"width": 1280, "height": 800})

    # 1. The first contact: family and given name, saved; the profile opens.
    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}/admin/snippets/crm/person/add/")
    field(page, "textbox", label["family"]).fill("Schäfer")
    field(page, "textbox", label["given"]).fill("Anja")
    page.locator("#id_gender").select_option("female")
    page.locator("#id_honorific").select_option("dr")
    _shot(page, shots, language, "1-first-contact")
    page.get_by_role("button", name=label["save"]).first.click()
    expect(page.locator(".messages")).to_be_visible()
    person = Person.objects.get(family_name="Schäfer")
    person.preferred_language = "de"
    person.save(update_fields=["preferred_language"])

    # 2. Consent, recorded from the profile; the salutation preview on the profile.
    from crm.models import Consent, PersonEmail

    PersonEmail.objects.create(person=person, email="anja.schaefer@example.de", is_primary=True)
    Consent.objects.create(person=person, purpose="event_invitations", source="Business card")
    page.goto(f"{live_server.url}/admin/snippets/crm/person/inspect/{person.pk}/")
    expect(page.get_by_text(re.compile("Sehr geehrte Frau Dr. Schäfer"))).to_be_visible()
    expect(page.get_by_text(re.compile("尊敬的Anja Schäfer博士"))).to_be_visible()
    # The consents and the salutation preview are below the profile's facts.
    page.get_by_text(re.compile("Sehr geehrte Frau Dr. Schäfer")).scroll_into_view_if_needed()
    _shot(page, shots, language, "2-profile-and-consent")

    # 3. The first segment: contacts in Germany with consent for event invitations.
    page.context.clear_cookies()
    log_in(page, live_server, author)
    page.goto(f"{live_server.url}/admin/snippets/crm/segment/add/")
    field(page, "textbox", label["segment_name"]).fill("Germany · event invitations")
    _shot(page, shots, language, "3-first-segment")
    segment = Segment.objects.create(
        name="Germany · event invitations",
        countries=["DE"],
        consent_purpose="event_invitations",
        owner=author,
    )
    segment.additions.add(person)

    # 4. The first campaign: built, submitted, approved by a colleague.
    campaign = make_campaign(owner=author, languages=("en", "zh-hans", "de"), fallback="en")
    campaign.segments.add(segment)
    page.goto(f"{live_server.url}/admin/campaigns/{campaign.pk}/live/")
    _shot(page, shots, language, "4-campaign-before-submitting")
    page.get_by_role("button", name=label["submit"]).click()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SUBMITTED
    _shot(page, shots, language, "5-campaign-submitted")

    page.context.clear_cookies()
    log_in(page, live_server, approver)
    page.goto(f"{live_server.url}/admin/campaigns/{campaign.pk}/live/")
    page.get_by_role("button", name=label["approve"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(label["approved"])
    _shot(page, shots, language, "6-campaign-approved")
    assert Campaign.objects.get(pk=campaign.pk).approved_by == approver
    assert page.console_errors == []
    page.context.close()
