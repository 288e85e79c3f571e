"""How much work an uncached public page does: query counts pinned so that an N+1 shows up as a
failing test, the per-request memo (locales, private sections) forgotten between requests, and
the per-process menu rebuilt after a publish, an unpublish or a privacy change."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from site_cms import context_processors
from site_cms.models import NewsPage, StandardPage
from tests.site_support import demo_site  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]

# Counted on the demo content with the page cache and the menu cache off (as in production on a
# first visit after a publish). Raise them only with a reason: each query is paid on every
# uncached request. (+1 each: the office's branding in the header and footer, kept per process
# with the menu when NAVIGATION_CACHE is on.)
EVENT_PAGE_MAX_QUERIES = 24
NEWS_INDEX_MAX_QUERIES = 19


@pytest.fixture
def menu_cache(settings):
    settings.NAVIGATION_CACHE = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "renditions": settings.CACHES["renditions"],
    }
    context_processors._menus.clear()
    yield
    context_processors._menus.clear()


def menu_titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [item["title"] for item in response.context["site_menu"]]


@pytest.mark.parametrize("language", ["en", "zh-hans", "de"])
def test_uncached_event_page_stays_within_its_query_budget(
    client, django_assert_max_num_queries, language
):
    client.get(f"/{language}/events/wsmc/")  # renditions are created on the first visit
    with django_assert_max_num_queries(EVENT_PAGE_MAX_QUERIES):
        response = client.get(f"/{language}/events/wsmc/")
    assert response.status_code == 200


@pytest.mark.parametrize("language", ["en", "zh-hans", "de"])
def test_uncached_news_index_stays_within_its_query_budget(
    client, django_assert_max_num_queries, language
):
    client.get(f"/{language}/news/")
    with django_assert_max_num_queries(NEWS_INDEX_MAX_QUERIES):
        response = client.get(f"/{language}/news/")
    assert response.status_code == 200


def test_kept_menu_saves_its_queries_on_the_next_request(
    client, menu_cache, django_assert_max_num_queries
):
    first = menu_titles(client, "/en/events/wsmc/")
    with django_assert_max_num_queries(EVENT_PAGE_MAX_QUERIES - 3):
        response = client.get("/en/events/wsmc/")
    assert first
    assert [item["title"] for item in response.context["site_menu"]] == first


def test_a_page_made_private_leaves_listings_on_the_next_request(client):
    source = NewsPage.objects.get(slug="registration-opens", locale__language_code="zh-hans")
    english = NewsPage.objects.get(slug="registration-opens", locale__language_code="en")
    assert english.title in client.get("/en/news/").content.decode()
    PageViewRestriction.objects.create(page=source, restriction_type=PageViewRestriction.LOGIN)
    assert english.title not in client.get("/en/news/").content.decode()


def test_kept_menu_shows_a_published_title_change(client, menu_cache):
    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    assert about.title in menu_titles(client, "/en/events/")
    about.title = "About the international office"
    about.save_revision().publish()
    assert "About the international office" in menu_titles(client, "/en/events/")


def test_kept_menu_drops_an_unpublished_page(client, menu_cache):
    source = StandardPage.objects.get(slug="about", locale__language_code="zh-hans")
    english = StandardPage.objects.get(slug="about", locale__language_code="en")
    assert english.title in menu_titles(client, "/en/news/")
    source.unpublish()
    assert english.title not in menu_titles(client, "/en/news/")
    assert source.title not in menu_titles(client, "/en/news/")


def test_kept_menu_drops_a_page_made_private(client, menu_cache):
    source = StandardPage.objects.get(slug="about", locale__language_code="zh-hans")
    english = StandardPage.objects.get(slug="about", locale__language_code="en")
    assert english.title in menu_titles(client, "/en/news/")
    PageViewRestriction.objects.create(page=source, restriction_type=PageViewRestriction.LOGIN)
    assert english.title not in menu_titles(client, "/en/news/")
