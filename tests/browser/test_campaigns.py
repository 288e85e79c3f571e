"""The campaign staff experience in Chromium, walked as a campaign manager would (issue 4):
build a campaign (live audience count, content in two languages, preview as a recipient, test
send to oneself), submit, approval by another manager, schedule, pause, resume, cancel, the live
page's figures, the UNKNOWN list's decisions, the suppression list, and the recipient's public
unsubscribe and preference pages.

Sending and tracking are driven in the test process (``sending.send_due_messages`` and
``tracking.record_events``/``apply_all_pending_events``), not by Celery workers: the point here
is the screens; tests/integration covers the workers. Mail goes to Django's locmem outbox, which
pytest-django installs for every test (the live server runs in this process, so ``mailoutbox``
sees what it sends)."""

from __future__ import annotations

import re

import pytest
from anymail.signals import AnymailTrackingEvent
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import SegmentFactory, UserFactory, make_campaign, make_contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase"


# --- people and pages -----------------------------------------------------------------------
def _manager(username: str):
    """A member of the "Campaign manager" role: every outreach permission, approval included."""
    from django.contrib.auth.models import Group

    from crm.services.roles import CAMPAIGN_MANAGER, ensure_roles

    ensure_roles()
    user = UserFactory(username=username, is_staff=True, password=PASSWORD)
    user.groups.add(Group.objects.get(name=CAMPAIGN_MANAGER))
    return user


@pytest.fixture
def author(db):
    return _manager("mei.author")


@pytest.fixture
def approver_user(db):
    return _manager("tom.approver")


@pytest.fixture
def guests(db):
    """Three invited guests: a Chinese professor (family name first), a German doctor and an
    English reader without a title."""
    wang = make_contact(
        "wang.wei@university.example.cn",
        language="zh-hans",
        time_zone="Asia/Shanghai",
        family_name="Wang",
        given_name="Wei",
        name_order="family_first",
        name_chinese="王伟",
        full_name_native="王伟",
        name_latin="Wang Wei",
        honorific="prof",
    )
    mueller = make_contact(
        "anna.mueller@hamburg.example.de",
        language="de",
        family_name="Müller",
        given_name="Anna",
        honorific="dr",
    )
    smith = make_contact("john.smith@example.org", language="en", family_name="Smith")
    return {"wang": wang, "mueller": mueller, "smith": smith}


def _open(browser, locale: str):
    """A fresh browser context whose console errors are collected in ``page.console_errors``."""
    context = browser.new_context(locale=locale)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.console_errors = errors
    return page


@pytest.fixture
def zh_page(browser):
    """A browser that asks for Chinese: the admin's default language."""
    page = _open(browser, "zh-CN")
    yield page
    page.context.close()


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.set_default_timeout(10_000)


def field(page, role: str, label: str):
    """A form field by its role and label (Wagtail adds "*" to the label of required ones)."""
    return page.get_by_role(role, name=re.compile(rf"^{re.escape(label)}\*?$"))


def live_url(live_server, campaign) -> str:
    return f"{live_server.url}/admin/campaigns/{campaign.pk}/live/"


def figure(page, label: str):
    """The cell beside a row heading of the live page's tables (by its visible words)."""
    return page.get_by_role("row", name=re.compile(rf"^{re.escape(label)}\b")).get_by_role("cell")


def submitted_campaign(author, people):
    from outreach.services import campaigns

    campaign = make_campaign(
        owner=author, languages=("en", "zh-hans", "de"), fallback="en", people=people
    )
    return campaigns.submit(campaign, acting_user=author)


def sending_campaign(author, approver_user, people):
    from outreach.services import campaigns

    campaign = campaigns.approve(submitted_campaign(author, people), acting_user=approver_user)
    return campaigns.schedule(campaign, kind="now", acting_user=approver_user)


def tracking_event(message, event_type: str, n: int) -> AnymailTrackingEvent:
    return AnymailTrackingEvent(
        event_type=event_type,
        event_id=f"evt-{message.pk}-{event_type}-{n}",
        message_id=message.esp_message_id,
        timestamp=timezone.now(),
        metadata={"m": str(message.public_id)},
        reject_reason="bounced" if event_type == "bounced" else None,
        esp_event={"Type": "HardBounce"} if event_type == "bounced" else {},
    )


# --- 1. the author builds a campaign ----------------------------------------------------------
def test_author_builds_a_campaign_sees_the_audience_count_previews_and_sends_a_test(
    page, live_server, author, guests, mailoutbox
):
    chinese_readers = SegmentFactory(name="Chinese-reading guests", languages=["zh-hans"])
    log_in(page, live_server, author)
    page.goto(f"{live_server.url}/admin/snippets/outreach/campaign/add/")

    field(page, "textbox", "Name").fill("Smart Manufacturing Forum invitation")
    field(page, "textbox", "Sender name").fill("International Office")
    field(page, "textbox", "Sender address").fill("invitations@office.example.org")
    page.get_by_role("checkbox", name="English").check()
    page.get_by_role("checkbox", name="简体中文").check()
    field(page, "combobox", "Fallback language").select_option("en")

    # Audience: the count follows every change, before anything is saved.
    page.get_by_role("tab", name="Audience").click()
    count = page.locator("#campaign-audience-count")
    expect(count).to_have_text("Audience now: 0 people (before suppression).")
    field(page, "listbox", "Segments").select_option(label=chinese_readers.name)
    expect(count).to_have_text("Audience now: 1 people (before suppression).")
    field(page, "listbox", "Also send to").select_option(
        label=[str(guests["mueller"]), str(guests["smith"])]
    )
    expect(count).to_have_text("Audience now: 3 people (before suppression).")
    field(page, "listbox", "Never send to").select_option(label=str(guests["smith"]))
    expect(count).to_have_text("Audience now: 2 people (before suppression).")

    # Content in English and Chinese, each with the merge fields.
    page.get_by_role("tab", name="Content").click()
    texts = [
        ("en", "Invitation for {{ name }}", "{{ salutation }}, please join us in Ningbo."),
        ("zh-hans", "{{ name }}的邀请", "{{ salutation }}：诚邀您出席宁波论坛。"),
    ]
    for i, (language, subject, body) in enumerate(texts):
        if i:
            page.get_by_role("button", name=re.compile("Add campaign content")).click()
        page.locator(f"#id_contents-{i}-language").select_option(language)
        page.locator(f"#id_contents-{i}-subject").fill(subject)
        editor = page.locator('[data-contentpath="body"]').nth(i).get_by_role("textbox")
        editor.click()
        page.keyboard.type(body)
        # Draftail stores what was typed in its hidden input a moment later.
        expect(page.locator(f'[name="contents-{i}-body"]')).to_have_value(re.compile("Ningbo|宁波"))
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Smart Manufacturing Forum invitation").first).to_be_visible()

    from outreach.models import Campaign

    campaign = Campaign.objects.get(name="Smart Manufacturing Forum invitation")
    assert sorted(campaign.contents.values_list("language", flat=True)) == ["en", "zh-hans"]
    assert campaign.created_by == author

    # The live page: audience count, preview as a chosen recipient in each language.
    page.goto(live_url(live_server, campaign))
    expect(page.get_by_text("Audience now: 2 people (before suppression).")).to_be_visible()
    page.get_by_label("Recipient").select_option(label=str(guests["wang"]))
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_text("王伟的邀请")).to_be_visible()
    preview = page.frame_locator("iframe[title=Preview]")
    expect(preview.locator("body")).to_contain_text("尊敬的王伟教授：诚邀您出席宁波论坛。")

    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_text("Invitation for Wang Wei")).to_be_visible()  # family name first
    expect(preview.locator("body")).to_contain_text("Dear Prof. Wang, please join us in Ningbo.")

    # Test send to oneself, through the configured mail backend; never to the guest.
    page.get_by_role("button", name="Send this to me").click()
    expect(page.get_by_text(f"A test message was sent to {author.email}.")).to_be_visible()
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([author.email], "[TEST] Invitation for Wang Wei")
    ]

    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submitted for approval")
    assert page.console_errors == []


# --- 2. approval by another manager, in Chinese ---------------------------------------------------
def test_author_cannot_approve_and_another_manager_approves_in_chinese(
    page, zh_page, live_server, author, approver_user, guests
):
    from outreach.models import CampaignStatus

    campaign = submitted_campaign(author, list(guests.values()))
    log_in(page, live_server, author)
    page.goto(live_url(live_server, campaign))
    expect(
        page.get_by_text("Another user with the approve permission must approve")
    ).to_be_visible()
    assert page.get_by_role("button", name=re.compile("Approve")).count() == 0
    # Even a hand-made POST is refused, with the reason.
    page.evaluate(
        """() => { const f = document.querySelector("form[action$='/act/withdraw/']");
                   f.action = f.action.replace("withdraw", "approve"); f.submit(); }"""
    )
    expect(
        page.get_by_text("Only another user with the approve permission can approve")
    ).to_be_visible()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SUBMITTED

    log_in(zh_page, live_server, approver_user)
    zh_page.goto(live_url(live_server, campaign))
    assert zh_page.locator("html").get_attribute("lang") == "zh-hans"
    zh_page.get_by_role("button", name="批准（锁定受众）").click()
    expect(zh_page.get_by_role("heading", level=1)).to_contain_text("已批准")
    expect(zh_page.get_by_text("3", exact=True).first).to_be_visible()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.APPROVED
    assert campaign.approved_by == approver_user
    assert page.console_errors == []
    assert zh_page.console_errors == []
