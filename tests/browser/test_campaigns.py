"""The campaign staff experience in Chromium, walked as a campaign manager would (issue 4):
build a campaign (live audience count, content in two languages, preview as a recipient, test
send to oneself), submit, approval by another manager, schedule, pause, resume, cancel, the live
page's figures, the UNKNOWN list's decisions, the suppression list, and the recipient's public
unsubscribe and preference pages.

Sending and tracking are driven in the test process (``sending.send_due_messages`` and
``tracking.record_events``/``apply_all_pending_events``), not by Celery workers: the point here
is the screens; tests/integration covers the workers. Mail goes to Django's locmem outbox, which
pytest-django installs for every test (the live server runs in this process, so ``mailoutbox``
sees what it sends).

Every page is checked for console errors; axe-core (WCAG 2.2 A/AA, as tests/browser/
test_public_site.py) runs on the recipient pages and, since they pass too, on the builder and the
live page in their main states."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from anymail.signals import AnymailTrackingEvent
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_public_site import axe_violations
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
    """A form field by its role and label (Wagtail adds "*" to required ones, as_p a colon)."""
    return page.get_by_role(role, name=re.compile(rf"^{re.escape(label)}[*:]?$"))


def choose_person(page, label: str, term: str, name: str) -> None:
    """Type into a person chooser (crm.admin.widgets.PersonChooser) and click the match named
    ``name``; its chip appears."""
    box = field(page, "combobox", label)
    box.fill(term)
    results = page.locator(f"#{box.get_attribute('id')}-results")
    results.get_by_role("option", name=re.compile(rf"^{re.escape(name)}")).click()
    chip = page.get_by_role("button", name=f"Remove {name}")
    expect(chip.filter(visible=True).first).to_be_visible()


def live_url(live_server, campaign) -> str:
    return f"{live_server.url}/admin/campaigns/{campaign.pk}/live/"


def figure(page, table: str, label: str):
    """The figure beside a row heading of one of the live page's tables ("Progress", "Funnel")."""
    rows = page.get_by_role("table", name=table).get_by_role("row")
    return rows.filter(has=page.get_by_role("rowheader", name=label, exact=True)).get_by_role(
        "cell"
    )


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
    assert axe_violations(page) == []  # Wagtail's builder form, with the live count box

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
    choose_person(page, "Also send to", "müller", str(guests["mueller"]))
    expect(count).to_have_text("Audience now: 2 people (before suppression).")
    choose_person(page, "Also send to", "john.smith@", str(guests["smith"]))
    expect(count).to_have_text("Audience now: 3 people (before suppression).")
    choose_person(page, "Never send to", "smith", str(guests["smith"]))
    expect(count).to_have_text("Audience now: 2 people (before suppression).")
    assert axe_violations(page) == []  # the chosen people's chips

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
    # The audience is frozen: one queued message per guest.
    expect(figure(zh_page, "进度", "排队中")).to_have_text("3")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.APPROVED
    assert campaign.approved_by == approver_user
    assert page.console_errors == []
    assert zh_page.console_errors == []


# --- 3. schedule, pause, resume, send, cancel; the live figures --------------------------------
def test_manager_schedules_pauses_resumes_and_watches_the_figures(
    page, live_server, author, approver_user, guests, mailoutbox
):
    from outreach.models import Message
    from outreach.services import campaigns, sending, tracking

    campaign = campaigns.approve(
        submitted_campaign(author, list(guests.values())), acting_user=approver_user
    )
    log_in(page, live_server, author)
    page.goto(live_url(live_server, campaign))
    expect(page.get_by_text(re.compile(r"Audience frozen on .*: 3 messages\."))).to_be_visible()
    assert axe_violations(page) == []  # the live page with its schedule form
    field(page, "combobox", "When").select_option(label="As soon as it is scheduled")
    expect(field(page, "textbox", "Send at")).to_be_hidden()  # only the chosen mode's fields
    page.once("dialog", lambda dialog: dialog.accept())  # "Schedule the sending of 3 messages?"
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sending")

    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Paused")
    assert sending.send_due_messages(budget_seconds=1)["sent"] == 0  # a paused campaign waits
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sending")

    assert sending.send_due_messages(budget_seconds=2)["sent"] == 3
    by_guest = {m.person_id: m for m in Message.objects.filter(campaign=campaign)}
    wang, mueller, smith = (by_guest[guests[k].pk] for k in ("wang", "mueller", "smith"))
    events = [
        tracking_event(wang, "delivered", 1),
        tracking_event(wang, "opened", 2),
        tracking_event(wang, "clicked", 3),
        tracking_event(mueller, "delivered", 4),
        tracking_event(smith, "bounced", 5),
    ]
    tracking.record_events("postmark", events)
    tracking.apply_all_pending_events()

    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Finished")
    expect(figure(page, "Progress", "Sent")).to_have_text("3")
    expect(figure(page, "Progress", "Queued")).to_have_text("0")
    for step, count in [("Sent", 3), ("Delivered", 2), ("Opened", 1), ("Clicked", 1)]:
        expect(figure(page, "Funnel", step)).to_have_text(str(count))
    expect(figure(page, "Funnel", "Hard bounces (permanent)")).to_have_text("1")
    expect(figure(page, "Funnel", "Soft bounces (temporary, not delivered yet)")).to_have_text("0")
    assert page.get_by_role("button", name="Cancel campaign").count() == 0
    staff = {author.email, approver_user.email}  # approval notices went to them
    assert sorted(m.to[0] for m in mailoutbox if m.to[0] not in staff) == sorted(
        [
            "wang.wei@university.example.cn",
            "anna.mueller@hamburg.example.de",
            "john.smith@example.org",
        ]
    )
    assert page.console_errors == []


def test_manager_cancels_a_scheduled_campaign_after_confirming(
    page, live_server, author, approver_user, guests
):
    from outreach.services import campaigns

    campaign = campaigns.approve(
        submitted_campaign(author, list(guests.values())), acting_user=approver_user
    )
    log_in(page, live_server, author)
    page.goto(live_url(live_server, campaign))
    field(page, "combobox", "When").select_option(label="At a set time")
    send_at = field(page, "textbox", "Send at")
    send_at.fill("2099-05-04T09:30")
    expect(page.get_by_text("In the time zone Asia/Shanghai.")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scheduled")
    campaign.refresh_from_db()
    assert campaign.send_at == dt.datetime(2099, 5, 4, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai
    assert page.get_by_role("link", name="Edit").count() == 0  # only a draft can be edited

    page.once("dialog", lambda dialog: dialog.dismiss())  # changed their mind: nothing happens
    page.get_by_role("button", name="Cancel campaign").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scheduled")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel campaign").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cancelled")
    expect(figure(page, "Progress", "Cancelled")).to_have_text("3")
    expect(figure(page, "Progress", "Queued")).to_have_text("0")
    assert page.console_errors == []


# --- 4. messages of unknown outcome ----------------------------------------------------------
def test_manager_decides_on_messages_of_unknown_outcome_and_the_history_records_it(
    page, live_server, author, approver_user, guests
):
    """The worker that claimed the rows stopped mid-send: its leases expire and the sweep marks
    the rows UNKNOWN (the service path a crash takes)."""
    from outreach.models import Message, MessageStatus
    from outreach.services import sending

    campaign = sending_campaign(author, approver_user, list(guests.values()))
    ids, _token = sending.claim_batch(10)
    Message.objects.filter(pk__in=ids).update(lease_until=timezone.now())  # the lease ran out
    assert sending.sweep_expired_leases() == 3

    log_in(page, live_server, approver_user)
    page.goto(live_url(live_server, campaign))
    expect(figure(page, "Progress", "Unknown — needs a decision")).to_have_text("3")
    assert axe_violations(page) == []  # the live page with the UNKNOWN list
    page.get_by_role("checkbox", name="wang.wei@university.example.cn").check()
    page.get_by_role("button", name="Mark sent").click()
    expect(page.get_by_text("1 message(s) changed.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="wang.wei@university.example.cn")).to_have_count(0)
    expect(figure(page, "Progress", "Sent")).to_have_text("1")

    page.get_by_role("checkbox", name="anna.mueller@hamburg.example.de").check()
    page.get_by_role("button", name="Resend").click()
    expect(page.get_by_role("checkbox", name="anna.mueller@hamburg.example.de")).to_have_count(0)
    expect(figure(page, "Progress", "Queued")).to_have_text("1")
    expect(figure(page, "Progress", "Unknown — needs a decision")).to_have_text("1")
    expect(page.get_by_role("checkbox", name="john.smith@example.org")).to_be_visible()

    page.get_by_role("link", name="History").click()
    for action in (
        "Message of unknown outcome marked sent",
        "Message of unknown outcome queued again",
    ):
        row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=action))
        expect(row).to_contain_text(approver_user.username)  # who decided
    assert Message.objects.get(person=guests["wang"]).decided_by == approver_user
    assert Message.objects.get(person=guests["mueller"]).status == MessageStatus.QUEUED
    assert page.console_errors == []


# --- 5. the suppression list ------------------------------------------------------------------
def test_suppression_list_shows_hashed_identities_and_staff_add_one(page, live_server, author):
    from outreach.models import Suppression
    from outreach.services import suppression
    from outreach.services.suppression import digest_of

    suppression.suppress("bounced@example.org", "hard_bounce")
    log_in(page, live_server, author)
    page.goto(f"{live_server.url}/admin/snippets/outreach/suppression/")
    bounced = digest_of("bounced@example.org")
    row = page.get_by_role("row", name=re.compile(bounced[:12]))
    expect(row.get_by_role("cell", name="Hard bounce", exact=True)).to_be_visible()
    expect(row.get_by_role("cell", name="all purposes", exact=True)).to_be_visible()
    assert "bounced@example.org" not in page.content()

    page.get_by_role("link", name=re.compile("Add suppression")).first.click()
    field(page, "textbox", "Email address").fill("Press.Office@Example.org")
    field(page, "combobox", "Purpose").select_option(label="Newsletters")
    field(page, "combobox", "Reason").select_option(label="Added by staff")
    page.get_by_role("button", name="Save").first.click()
    manual = digest_of("press.office@example.org")  # case does not make another identity
    expect(page.get_by_role("link", name=re.compile(manual[:12]))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(manual[:12]))).to_contain_text("Newsletters")
    assert "press.office" not in page.content().lower()
    entry = Suppression.objects.get(email_digest=manual)
    assert (entry.purpose, entry.reason, entry.created_by) == ("newsletters", "manual", author)
    assert page.console_errors == []


# --- 6. the recipient's public pages -----------------------------------------------------------
@pytest.mark.parametrize(
    ("guest", "heading", "button", "done"),
    [
        ("mueller", "Abmelden", "Abmelden", "Sie sind abgemeldet"),
        ("wang", "退订", "退订", "您已退订"),
    ],
)
def test_recipient_unsubscribes_in_their_language_and_keeps_a_chosen_purpose(
    page, live_server, author, approver_user, guests, guest, heading, button, done
):
    from django.urls import reverse

    from outreach.models import Message, Suppression
    from outreach.services import unsubscribe
    from outreach.services.tokens import make_token

    sending_campaign(author, approver_user, [guests[guest]])
    message = Message.objects.get()
    url = live_server.url + reverse("outreach_unsubscribe", args=[make_token(message.public_id)])

    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.locator("html").get_attribute("lang") == message.language
    assert axe_violations(page) == []
    assert Suppression.objects.count() == 0  # looking changes nothing
    assert unsubscribe.unsubscribed_purposes(message) == set()

    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(done)
    assert unsubscribe.unsubscribed_purposes(message) == {"event_invitations"}
    assert axe_violations(page) == []

    # The preference page: keep newsletters, stay off invitations.
    page.get_by_role("link").first.click()
    checkboxes = page.get_by_role("checkbox")
    expect(checkboxes).to_have_count(2)
    expect(checkboxes.nth(0)).not_to_be_checked()  # event invitations: just unsubscribed
    checkboxes.nth(1).check()
    page.get_by_role("button").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("checkbox").nth(1)).to_be_checked()
    assert unsubscribe.unsubscribed_purposes(message) == {"event_invitations"}
    assert axe_violations(page) == []
    assert page.console_errors == []
