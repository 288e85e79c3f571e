"""The public site as a visitor of any language meets it: not-found and error pages in their
language, time zones by name, organizers by the name they use, Arabic bidi, the fallback notice
and the language switcher, the landing language for unsupported browsers, the office's
branding instead of the product's name."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import OfficeBrandingFactory
from tests.site_support import demo_site  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_page_answers_404_in_the_visitors_language(client, language):
    response = client.get(f"/{language}/events/no-such-event/")
    assert response.status_code == 404
    html = response.content.decode()
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    with translation.override(language):
        expected = translation.gettext("Page not found")
    assert _h1(html) == expected
    if language != "en":
        assert expected != "Page not found"
    assert f'href="/{language}/"' in html  # back to the home page of the same language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_server_error_page_is_in_the_visitors_language(rf, language):
    from django.views.defaults import server_error

    with translation.override(language):
        html = server_error(rf.get(f"/{language}/")).content.decode()
        expected = translation.gettext("Something went wrong")
    assert f'<html lang="{language}"' in html
    assert _h1(html) == expected
    if language != "en":
        assert expected != "Something went wrong"


def test_event_times_name_the_zone_in_the_visitors_language(client):
    english = client.get("/en/events/wsmc-forum/").content.decode()
    chinese = client.get("/zh-hans/events/wsmc-forum/").content.decode()
    assert "China Standard Time" in english
    assert "中国标准时间" in chinese
    assert "Asia/Shanghai" not in english
    assert "Asia/Shanghai" not in chinese


def test_organizers_are_named_as_the_visitor_reads_them(client):
    german = client.get("/de/events/roadshow-hamburg/").content.decode()
    english = client.get("/en/events/roadshow-hamburg/").content.decode()
    chinese = client.get("/zh-hans/events/roadshow-hamburg/").content.decode()
    assert "<bdi>Handelskammer Hamburg</bdi>" in german  # the official name, in German
    assert "<bdi>Hamburg Chamber of Commerce</bdi>" in english
    assert "<bdi>汉堡商会</bdi>" in chinese


def test_arabic_pages_isolate_times_and_latin_names(client):
    html = client.get("/ar/events/wsmc-forum/").content.decode()
    assert '<bdi dir="ltr">UTC+08:00</bdi>' in html
    assert re.search(r"<strong><bdi>[^<]*[A-Za-z]", html) or "<bdi>" in html
    organizers = html.split('id="organizers-heading"')[1]
    assert "<bdi>" in organizers


def test_the_fallback_notice_names_both_languages_in_the_visitors_language(client):
    html = client.get("/de/events/wsmc-expo/").content.decode()
    notice = re.search(r'<p class="fallback-notice"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "Englisch" in notice  # not "English"
    assert "English" not in notice


def test_the_language_switcher_always_lists_the_visitors_language(client):
    html = client.get("/de/events/wsmc-expo/").content.decode()  # shown from English
    switcher = html.split('class="language-switcher"')[1].split("</nav>")[0]
    assert '<span aria-current="true" lang="de">' in switcher
    assert 'hreflang="en"' in switcher


@pytest.mark.parametrize(
    ("accept", "landing"),
    [
        ("es-ES,es;q=0.9", "/en/"),
        ("pt-BR", "/en/"),
        ("ja,en;q=0.5", "/ja/"),
        ("fr,de;q=0.8", "/de/"),
    ],
)
def test_an_unsupported_browser_language_lands_on_the_configured_fallback(client, accept, landing):
    response = client.get("/", headers={"accept-language": accept})
    assert response.status_code == 302
    assert response["Location"] == landing


def test_site_name_logo_footer_and_icp_number_come_from_the_office_branding(client):
    from outreach.models import OfficeBranding

    OfficeBranding.objects.all().delete()
    bare = client.get("/en/about/").content.decode()
    assert "Liaison" not in bare
    assert "beian.miit.gov.cn" not in bare
    OfficeBrandingFactory(icp_number="浙ICP备12345678号-1", primary_colour="#7a1f2b")
    try:
        chinese = client.get("/zh-hans/about/").content.decode()
        english = client.get("/en/about/").content.decode()
    finally:
        OfficeBranding.objects.all().delete()
    assert '<a class="brand"' in chinese
    assert "宁波市国际会展促进中心" in chinese
    assert "Ningbo International Events Office" in english
    assert "1901 Ningchuan Road" in english
    assert (
        '<a class="icp" href="https://beian.miit.gov.cn/" rel="noopener">浙ICP备12345678号-1</a>'
        in chinese
    )
    assert "--brand: #7a1f2b" in chinese
    assert "Liaison" not in english
