"""From invitation to answer in Chromium: an invitation campaign bound to an event goes out
through anymail's Postmark backend to the ESP simulator; each guest's RSVP link is taken from
the simulator's outbox and opened; a Chinese guest accepts in zh-hans, an Arabic guest in ar
(right to left); each confirmation arrives in the outbox with its .ics, parsed back with
icalendar. Every page is checked with axe-core (WCAG 2.2 A/AA) and for console errors."""

from __future__ import annotations

import base64
import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from outreach.models import Registration, RegistrationStatus
from tests.browser.test_public_site import axe_violations
from tests.factories import EventFactory, approved_campaign, make_contact
from tests.support import running_simulator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def simulator():
    with running_simulator("sim-token") as running:
        yield running


@pytest.fixture
def mail_through_simulator(simulator, settings, live_server):
    url, outbox = simulator
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "POSTMARK_SERVER_TOKEN": "sim-token",
        "POSTMARK_API_URL": url,
    }
    settings.SITE_URL = live_server.url
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True  # the confirmation is sent by the answering request
    yield outbox
    app.conf.task_always_eager = previous


def _send_invitations(event, people):
    from outreach.services import campaigns, dispatch, sending

    campaign = approved_campaign(
        event=event, languages=("zh-hans", "ar"), people=people, name="Forum invitation"
    )
    for content in campaign.contents.all():
        content.body = (
            '<p>{{ salutation }}</p><p><a href="{{ rsvp_url }}">RSVP</a> {{ event_time }}</p>'
        )
        content.save()
    campaigns.schedule(campaign, kind="now", acting_user=campaign.created_by)
    dispatch.dispatch_due_campaigns()  # with tasks in process, the wave sends at once
    sending.send_due_messages(budget_seconds=2)
    from outreach.models import Message

    assert Message.objects.filter(campaign=campaign, status="sent").count() == len(people)


def _rsvp_link(outbox, address: str) -> str:
    (record,) = [r for r in outbox.snapshot() if address in r["To"] and "/rsvp/" in r["TextBody"]]
    return re.search(r"https?://[^\s)]+/rsvp/[^\s)]+/", record["TextBody"]).group(0)


def _confirmation_ics(outbox, address: str) -> Calendar:
    records = [r for r in outbox.snapshot() if address in r["To"] and r["Attachments"]]
    assert records, f"no confirmation with an attachment for {address}"
    (attachment,) = [a for a in records[-1]["Attachments"] if a["Name"].endswith(".ics")]
    assert attachment["Name"] == "invitation.ics"
    assert attachment["ContentType"].startswith("text/calendar")
    return Calendar.from_ical(base64.b64decode(attachment["Content"]))


def test_guests_accept_in_chinese_and_arabic_and_receive_the_calendar_invitation(
    browser, live_server, mail_through_simulator, site_structure
):
    outbox = mail_through_simulator
    event = EventFactory(capacity=20, companion_allowance=1, time_zone="Asia/Shanghai")
    wang = make_contact(
        "wang.wei@university.example.cn",
        language="zh-hans",
        family_name="Wang",
        given_name="Wei",
        name_chinese="王伟",
        honorific="prof",
    )
    amal = make_contact("amal@example.ae", language="ar", family_name="Haddad", given_name="Amal")
    _send_invitations(event, [wang, amal])

    # bypass_csp: the inline axe-core script (the policy itself is tested by the site's csp_page)
    context = browser.new_context(
        locale="en-GB", viewport={"width": 390, "height": 844}, bypass_csp=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))

    # Chinese: the page speaks the invitation's language, names the invitee with the title
    page.goto(_rsvp_link(outbox, "wang.wei@university.example.cn"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_contain_text("王伟教授")
    assert axe_violations(page) == []
    page.get_by_label("是，我将出席").check()
    page.get_by_label("随行人员 1：拉丁字母姓名").fill("Li Na")
    page.get_by_role("button", name="提交答复").click()
    expect(page.get_by_role("status").first).to_contain_text("谢谢，您的答复已保存。")
    assert axe_violations(page) == []

    # Arabic: right to left
    page.goto(_rsvp_link(outbox, "amal@example.ae"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert axe_violations(page) == []
    page.get_by_label("نعم، سأحضر").check()
    page.get_by_role("button", name="إرسال ردي").click()
    expect(page.get_by_role("status").first).to_contain_text("تم حفظ ردك")
    assert errors == []
    context.close()

    answers = {r.person_id: r for r in Registration.objects.filter(event=event)}
    assert answers[wang.pk].status == RegistrationStatus.ACCEPTED
    assert answers[wang.pk].places == 2
    assert answers[amal.pk].status == RegistrationStatus.ACCEPTED

    for address, subject in (
        ("wang.wei@university.example.cn", "您的席位已确认"),
        ("amal@example.ae", "تم تأكيد مقعدك"),
    ):
        calendar = _confirmation_ics(outbox, address)
        assert str(calendar["METHOD"]) == "REQUEST"
        (entry,) = calendar.walk("VEVENT")
        assert str(entry["ATTENDEE"]) == f"mailto:{address}"
        assert entry["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert entry["DTSTART"].dt == event.starts_at
        assert [r for r in outbox.snapshot() if address in r["To"] and subject in r["Subject"]]
