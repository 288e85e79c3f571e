"""A competition in Chromium: a team enters in English (and confirms by mail), two judges score
in zh-Hans on a phone-sized screen, the presidium opens and closes the round and promotes the
best entry, approves the prize, and the results appear on the public site in two languages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from competitions.models import Entry
from tests.unit.competitions.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def eager_mail(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.set_default_timeout(10_000)


def test_a_team_enters_judges_score_on_phones_and_results_publish(
    browser, live_server, eager_mail, site_structure
):
    world = build_world(entries_per_track=0)
    code = world.competition.event.code

    # The team enters in English.
    team = browser.new_context(locale="en-GB")
    page = team.new_page()
    page.goto(f"{live_server.url}/competitions/{code}/enter/?lang=en")
    page.select_option("select[name=track]", label="Manufacturing")
    page.fill("input[name=title_zh]", "协作机器人")
    page.fill("input[name=title_en]", "Cobot arm")
    page.fill("textarea[name=summary_zh]", "更安全的协作机器人手臂")
    page.fill("textarea[name=summary_en]", "A safer collaborative robot arm")
    page.fill("input[name=organization_name]", "Cobotics Ltd")
    page.fill("input[name=lead_family_name]", "Smith")
    page.fill("input[name=lead_given_name]", "Ada")
    page.fill("input[name=contact_email]", "ada@cobotics.example")
    page.set_input_files(
        "input[name=plan]", {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.check("input[name=consent]")
    page.get_by_role("button", name="Send the entry").click()
    expect(page.get_by_role("status")).to_contain_text("check your mailbox")
    link = re.search(r"https?://\S+/competitions/entry/confirm/\S+/", mail.outbox[-1].body)
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm the entry").click()
    expect(page.get_by_test_id("entry-status")).to_contain_text("Submitted")
    entry = Entry.objects.get()
    team.close()

    # The presidium opens the round (judges are assigned).
    chair = browser.new_context(locale="zh-CN")
    chair_page = chair.new_page()
    log_in(chair_page, live_server, world.presidium.user)
    chair_page.goto(f"{live_server.url}/admin/judging/rounds/{world.round.pk}/")
    chair_page.get_by_role("button", name="开放评分").click()
    expect(chair_page.get_by_text("本轮已开放评分。")).to_be_visible()

    # Two judges score in zh-Hans on a phone.
    for judge, (first, second) in zip(world.judges[:2], [(9, 8), (7, 6)], strict=True):
        context = browser.new_context(locale="zh-CN", **PHONE)
        phone = context.new_page()
        log_in(phone, live_server, judge.user)
        phone.goto(f"{live_server.url}/admin/judging/")
        phone.get_by_role("link", name=re.compile("协作机器人")).click()
        expect(phone.get_by_text("更安全的协作机器人手臂")).to_be_visible()
        phone.get_by_label(re.compile("创新性")).select_option(str(first))
        phone.get_by_label(re.compile("市场")).select_option(str(second))
        phone.get_by_role("button", name="保存评分").click()
        expect(phone.get_by_text("评分已保存。")).to_be_visible()
        expect(phone.get_by_text("本轮结束后才显示其他评委的评分。")).to_be_visible()
        context.close()

    # The presidium sees the live ranking, closes the round, promotes, approves the prize.
    chair_page.reload()
    ranking = chair_page.get_by_test_id("ranking")
    expect(ranking).to_contain_text("协作机器人")
    expect(ranking).to_contain_text("7.6667")  # ((9*2+8)/3 + (7*2+6)/3) / 2
    chair_page.get_by_role("button", name="结束本轮").click()
    chair_page.get_by_role("button", name="各赛道排名靠前的项目晋级").click()
    expect(chair_page.get_by_test_id("ranking")).to_contain_text("已晋级")
    chair_page.goto(f"{live_server.url}/admin/judging/competitions/{world.competition.pk}/results/")
    chair_page.fill(f"input[name=prize_zh_{entry.pk}]", "一等奖")
    chair_page.fill(f"input[name=prize_en_{entry.pk}]", "First prize")
    chair_page.get_by_role("button", name="批准并发布结果").click()
    expect(chair_page.get_by_text("结果已批准并发布。")).to_be_visible()
    chair.close()

    # The results, in two languages.
    visitor = browser.new_context(locale="en-GB")
    public = visitor.new_page()
    public.goto(f"{live_server.url}/competitions/{code}/results/?lang=en")
    expect(public.get_by_test_id("results")).to_contain_text("First prize: Cobot arm")
    expect(public.get_by_test_id("results")).to_contain_text("A safer collaborative robot arm")
    public.goto(f"{live_server.url}/competitions/{code}/results/?lang=zh-hans")
    expect(public.get_by_test_id("results")).to_contain_text("一等奖: 协作机器人")
    expect(public.get_by_test_id("results")).not_to_contain_text("ada@cobotics.example")
    visitor.close()
