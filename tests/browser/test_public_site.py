"""The public site in Chromium: every page type in every demo language (including right-to-left
Arabic) loads without console errors and axe-core finds no WCAG 2.2 A/AA violation; the language
switcher moves between real translations.

axe-core is shipped with the tests (tests/browser/vendor/axe.min.js, from the npm registry)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGE_PATHS = {
    "home": "",
    "event index": "events/",
    "event page": "events/wsmc-forum/",
    "roadshow stop": "events/roadshow-hamburg/",
    "news index": "news/",
    "news page": "news/registration-opens/",
    "standard page": "about/",
    "search results": "search/?q=Ningbo",
}


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
            }));
        }""",
        WCAG_TAGS,
    )


@pytest.fixture
def demo(db):
    from site_cms.services.demo import load_demo_data

    load_demo_data()


def test_every_page_type_in_every_language_is_accessible_and_error_free(page, live_server, demo):
    problems: list[str] = []
    for language, _name in settings.LANGUAGES:
        for page_type, path in PAGE_PATHS.items():
            url = f"{live_server.url}/{language}/{path}"
            page.console_errors.clear()
            response = page.goto(url)
            assert response.status == 200, url
            page.wait_for_load_state("load")
            assert page.locator("html").get_attribute("lang") == language
            direction = "rtl" if language == "ar" else "ltr"
            assert page.locator("html").get_attribute("dir") == direction
            if page.console_errors:
                problems.append(f"{url}: console errors {page.console_errors}")
            violations = axe_violations(page)
            if violations:
                problems.append(f"{url} ({page_type}): axe {violations}")
    assert problems == []


def test_visitor_switches_language_and_sees_fallback_notice_where_untranslated(
    page, live_server, demo
):
    page.goto(f"{live_server.url}/en/events/roadshow-hamburg/")
    switcher = page.get_by_role("navigation", name="Languages of this page")
    assert switcher.get_by_role("link").all_inner_texts() == ["简体中文", "Deutsch"]
    switcher.get_by_role("link", name="Deutsch").click()
    page.wait_for_url(f"{live_server.url}/de/events/roadshow-hamburg/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", level=1).inner_text() == "Roadshow: Hamburg"
    assert page.get_by_role("link", name="In den Kalender (.ics)").is_visible()

    # The expo has no German page: the English one is shown, with a German notice.
    page.get_by_role("navigation", name="Hauptmenü").get_by_role(
        "link", name="Veranstaltungen"
    ).click()
    page.get_by_role("link", name="Smart Manufacturing Expo").click()
    page.wait_for_url(f"{live_server.url}/de/events/wsmc-expo/")
    notice = page.get_by_role("note")
    assert "noch nicht auf Deutsch verfügbar" in notice.inner_text()
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["zh-hans", "en", "ar"])
def test_not_found_and_unsubscribe_pages_are_accessible(page, live_server, demo, language):
    from outreach.models import Message
    from outreach.services.tokens import make_token
    from tests.factories import OfficeBrandingFactory, approved_campaign, make_contact

    OfficeBrandingFactory()
    response = page.goto(f"{live_server.url}/{language}/no-such-page/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []
    approved_campaign(
        people=[make_contact(f"{language}@example.org", language=language)], languages=(language,)
    )
    token = make_token(Message.objects.get().public_id)
    for path in (f"/u/{token}/", f"/u/{token}/preferences/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        assert axe_violations(page) == [], path
