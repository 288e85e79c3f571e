"""The public site on the demo content: every page type in every language, translations and
fallbacks, hreflang, sitemap, feeds, calendar files, JSON-LD, search, filters, sanitising, cache."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import icalendar
import pytest
from django.conf import settings
from wagtail.models import Locale, Page

from site_cms.models import EventPage, NewsIndexPage, NewsPage, StandardPage
from tests.site_support import demo_site  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]

LANGUAGES = [code for code, _name in settings.LANGUAGES]
LOCAL_CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    for alias in ("default", "pages")
}
PAGE_PATHS = {
    "home": "",
    "event index": "events/",
    "event page": "events/wsmc/",
    "news index": "news/",
    "news page": "news/registration-opens/",
    "standard page": "about/",
    "search": "search/?q=roadshow",
}


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def real_languages(page: Page) -> set[str]:
    return set(
        Page.objects.live()
        .filter(translation_key=page.translation_key)
        .values_list("locale__language_code", flat=True)
    )


def source_page(model, slug: str):
    return model.objects.get(slug=slug, locale__language_code=settings.LANGUAGE_CODE)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_PATHS)
def test_every_page_type_answers_in_every_language_with_lang_and_dir(client, language, page_type):
    html = html_of(client, f"/{language}/{PAGE_PATHS[page_type]}")
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert '<main id="main"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_interface_strings_are_translated_in_every_language(client, language):
    from django.utils import translation

    html = html_of(client, f"/{language}/events/")
    with translation.override(language):
        skip = translation.gettext("Skip to content")
        upcoming_filter = translation.gettext("All kinds")
    if language != "en":
        assert skip != "Skip to content"
        assert upcoming_filter != "All kinds"
    assert skip in html
    assert upcoming_filter in html


def test_interface_catalogues_have_no_untranslated_or_fuzzy_entries():
    import polib

    for language in ["zh_Hans", "en", "de", "ja", "ru", "ar"]:
        catalogue = polib.pofile(
            str(settings.BASE_DIR / "site_cms" / "locale" / language / "LC_MESSAGES" / "django.po")
        )
        assert catalogue.untranslated_entries() == [], language
        assert catalogue.fuzzy_entries() == [], language


def test_translated_page_links_every_real_translation_and_x_default(client):
    event = source_page(EventPage, "wsmc")
    html = html_of(client, "/de/events/wsmc/")
    hreflangs = set(re.findall(r'<link rel="alternate" hreflang="([^"]+)"', html))
    assert hreflangs == real_languages(event) | {"x-default"}
    assert "ru" not in hreflangs  # the umbrella event has no Russian translation
    assert '<link rel="canonical" href="http://localhost/de/events/wsmc/">' in html
    assert 'name="robots"' not in html
    assert "Weltkonferenz für intelligente Fertigung" in html


def test_untranslated_page_is_shown_from_the_fallback_with_a_notice_and_not_advertised(client):
    html = html_of(client, "/de/events/wsmc-expo/")
    # The notice is in German, the content in English (the configured fallback) and marked so.
    assert "Diese Seite ist noch nicht auf Deutsch verfügbar" in html
    assert "Smart Manufacturing Expo" in html
    assert '<div lang="en" dir="ltr">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert '<link rel="canonical" href="http://localhost/en/events/wsmc-expo/">' in html
    assert 'hreflang="de"' not in html
    assert '<link rel="alternate" hreflang' not in html


def test_language_switcher_lists_only_real_translations(client):
    stop = source_page(EventPage, "roadshow-osaka")
    html = html_of(client, "/en/events/roadshow-osaka/")
    switcher = html.split('class="language-switcher"')[1].split("</nav>")[0]
    listed = set(re.findall(r'lang="([^"]+)"', switcher))
    assert listed == real_languages(stop) == {"zh-hans", "en", "ja"}


def test_arabic_pages_are_right_to_left_and_untranslated_news_is_marked_left_to_right(client):
    html = html_of(client, "/ar/news/")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'lang="en" dir="ltr"' in html  # news only available in English is marked as such


def test_a_path_missing_in_every_language_is_not_found(client):
    assert client.get("/de/events/no-such-event/").status_code == 404


def test_sitemap_lists_each_real_translation_with_its_alternates():
    from django.test import Client

    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap
    entries = {
        url.find("s:loc", ns).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in root.findall("s:url", ns)
    }
    live_pages = Page.objects.live().public().filter(depth__gte=2)
    assert set(entries) == {page.get_full_url() for page in live_pages}
    assert "http://localhost/de/events/wsmc-expo/" not in entries  # a fallback, not a page
    expo = source_page(EventPage, "wsmc-expo")
    alternates = entries[expo.get_full_url()]
    assert set(alternates) == real_languages(expo) | {"x-default"}
    assert alternates["x-default"] == expo.get_full_url()


@pytest.mark.parametrize("language", ["en", "zh-hans", "ru"])
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_news_feed_parses_and_carries_the_news_of_its_language(client, language, kind):
    response = client.get(f"/{language}/news/feed/{kind}/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    locale = Locale.objects.get(language_code=language)
    expected = set(NewsPage.objects.live().filter(locale=locale).values_list("title", flat=True))
    assert {entry.title for entry in feed.entries} == expected
    assert expected  # every demo language has at least one translated news item


def test_news_index_advertises_its_feeds(client):
    html = html_of(client, "/en/news/")
    assert 'type="application/rss+xml"' in html
    assert 'href="/en/news/feed/atom/"' in html


def test_event_calendar_file_keeps_the_events_own_time_zone(client):
    response = client.get("/en/events/roadshow-hamburg/calendar/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Roadshow: Hamburg"
    assert entry["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert entry.decoded("DTSTART").hour == 14  # the stop starts at 14:00 Hamburg time


def test_event_page_has_schema_org_event_json_ld(client):
    html = html_of(client, "/ja/events/roadshow-osaka/")
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Event"
    assert data["name"] == "ロードショー：大阪"
    assert data["startDate"].endswith("+09:00")  # Osaka time
    assert data["location"]["address"]["addressCountry"] == "JP"
    assert data["inLanguage"] == "ja"


def test_event_page_shows_facts_agenda_speakers_parts_and_open_graph(client):
    html = html_of(client, "/en/events/wsmc-forum/")
    assert "Opening and keynote" in html
    assert "Academician Li Jianguo" in html
    assert "Sub-forum: robotics and AI" in html  # a part of the forum
    assert '(China Standard Time, <bdi dir="ltr">UTC+08:00</bdi>)' in html
    assert 'href="https://example.org/register/wsmc-forum/"' in html  # registration is open
    assert '<meta property="og:title" content="Main forum: the future of manufacturing">' in html
    assert "openstreetmap.org" not in html or "Show on map" in html


def test_roadshow_page_lists_its_four_stops_in_four_countries(client):
    html = html_of(client, "/en/events/roadshow/")
    stops = EventPage.objects.filter(
        event__parent__code="demo-roadshow", locale__language_code="en"
    ).select_related("event")
    assert {stop.event.country.code for stop in stops} == {"DE", "JP", "RU", "AE"}
    for stop in stops:
        assert stop.title in html


def test_speaker_profiles_never_show_contact_data(client):
    html = html_of(client, "/en/events/wsmc-forum/")
    main = html.split('<main id="main"')[1].split("</main>")[0]
    assert "mailto:" not in main  # (the office's own address is in the footer)
    assert "@" not in main


def test_event_index_filters_by_kind_city_and_year(client):
    html = html_of(client, "/en/events/?kind=roadshow_stop")
    assert "Roadshow: Osaka" in html
    assert "Smart Manufacturing Expo" not in html
    html = html_of(client, "/en/events/?city=Hamburg")
    assert "Roadshow: Hamburg" in html
    assert "Roadshow: Dubai" not in html
    year = EventPage.objects.get(slug="wsmc", locale__language_code="en").event.starts_at.year
    assert "World Smart Manufacturing Conference" in html_of(client, f"/en/events/?year={year}")
    assert "World Smart Manufacturing Conference" not in html_of(client, "/en/events/?year=1999")


def test_search_finds_pages_only_in_the_visitors_language(client):
    english = html_of(client, "/en/search/?q=Hamburg")
    assert "Roadshow: Hamburg" in english
    german = html_of(client, "/de/search/?q=Hamburg")
    assert "/de/events/roadshow-hamburg/" in german
    assert "/en/events/roadshow-hamburg/" not in german
    chinese = html_of(client, "/zh-hans/search/?q=汉堡")
    assert "/zh-hans/events/roadshow-hamburg/" in chinese


def test_stored_script_in_rich_text_never_reaches_the_public_page(client):
    page = NewsPage.objects.get(slug="online-hall", locale__language_code="en")
    page.body = (
        '<p>Safe text<script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">x</a>'
        '<img src="x" onerror="alert(3)"></p>'
    )
    page.save_revision().publish()
    html = html_of(client, "/en/news/online-hall/")
    assert "Safe text" in html
    body = html.split('<main id="main"')[1]
    assert "<script>alert" not in body
    assert "javascript:" not in body
    assert "onerror" not in body
    assert "onclick" not in body


def test_page_cache_serves_repeat_visits_and_is_invalidated_on_publish(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = LOCAL_CACHES
    first = client.get("/en/about/")
    second = client.get("/en/about/")
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    about.title = "About the office"
    about.save_revision().publish()
    third = client.get("/en/about/")
    assert third["X-Page-Cache"] == "miss"
    assert "About the office" in third.content.decode()


def test_page_cache_is_bypassed_for_signed_in_editors(client, settings, staff_admin):
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = LOCAL_CACHES
    client.get("/en/news/")
    client.force_login(staff_admin)
    response = client.get("/en/news/")
    assert "X-Page-Cache" not in response


def test_news_index_shows_tags_and_filters_by_tag(client):
    html = html_of(client, "/en/news/?tag=expo")
    assert "Online exhibition hall goes live" in html
    assert "Global roadshow route announced" not in html
    news = NewsIndexPage.objects.get(locale__language_code="en")
    assert news.url == "/en/news/"
