"""The Content-Security-Policy holds in Chromium: the Wagtail admin (dashboard, page tree, page
editor, snippet forms with inline panels and date pickers) and the public site load with no
console error, so nothing the pages need is refused; an injected inline script is refused."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    from site_cms.services.demo import load_demo_data

    load_demo_data()


def _visit(page, url: str, problems: list[str]) -> None:
    page.console_errors.clear()
    response = page.goto(url)
    assert response.status == 200, url
    assert response.headers.get("content-security-policy"), url
    page.wait_for_load_state("networkidle")
    if page.console_errors:
        problems.append(f"{url}: {page.console_errors}")


def test_admin_and_public_site_run_under_the_policy_without_console_errors(
    csp_page, live_server, demo, django_user_model
):
    from site_cms.models import EventPage

    page = csp_page
    django_user_model.objects.create_user(
        username="mei", password="a long passphrase", is_staff=True, is_superuser=True
    )
    problems: list[str] = []
    _visit(page, f"{live_server.url}/admin/login/", problems)
    page.fill("input[name=username]", "mei")
    page.fill("input[name=password]", "a long passphrase")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    event_page = EventPage.objects.filter(locale__language_code="zh-hans").first()
    for path in [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{event_page.pk}/edit/",
        "/admin/snippets/crm/person/add/",
        "/admin/snippets/crm/segment/add/",
        "/admin/snippets/outreach/campaign/add/",
        "/admin/snippets/outreach/event/add/",
        "/admin/images/",
    ]:
        _visit(page, live_server.url + path, problems)
    page.context.clear_cookies()
    for path in ["/en/", "/en/events/wsmc-forum/", "/ar/news/", "/en/search/?q=forum"]:
        _visit(page, live_server.url + path, problems)
    assert problems == []


def test_an_injected_inline_script_is_refused_on_the_public_site(csp_page, live_server, demo):
    page = csp_page
    page.goto(f"{live_server.url}/en/")
    ran = page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.injected = true;";
                   document.body.appendChild(s); return window.injected === true; }"""
    )
    assert ran is False
    assert any("Content Security Policy" in error for error in page.console_errors)
