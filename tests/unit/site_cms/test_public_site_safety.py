"""The public site against hostile content and hostile requests: JSON-LD that no event text can
break out of, superEvent only for a parent visitors can open, a page cache that random query
strings cannot fill."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import caches
from wagtail.models import PageViewRestriction

from site_cms.models import EventPage
from tests.site_support import demo_site  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]
LOCAL_CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    for alias in ("default", "pages")
}


def _json_ld(client, url: str) -> tuple[str, dict]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return html, json.loads(raw)


def test_event_text_cannot_break_out_of_the_json_ld_script(client):
    page = EventPage.objects.get(slug="roadshow-osaka", locale__language_code="en")
    hostile = "Intro <!--<script>alert(1)</script> & more"
    page.intro_text = hostile
    page.save_revision().publish()

    html, data = _json_ld(client, "/en/events/roadshow-osaka/")
    assert data["description"] == hostile
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert not {"<", ">", "&"} & set(script)
    # the rest of the page is still there (an open comment used to swallow it)
    assert '<main id="main"' in html.split("</script>", 1)[1]


def test_super_event_names_only_a_live_public_parent(client):
    _html, data = _json_ld(client, "/en/events/roadshow-osaka/")
    parent = EventPage.objects.get(slug="roadshow", locale__language_code="en")
    assert data["superEvent"]["name"] == parent.title

    restriction = PageViewRestriction.objects.create(
        page=parent, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    _html, data = _json_ld(client, "/en/events/roadshow-osaka/")
    assert "superEvent" not in data

    restriction.delete()
    parent.unpublish()
    _html, data = _json_ld(client, "/en/events/roadshow-osaka/")
    assert "superEvent" not in data


def test_random_query_strings_do_not_create_page_cache_entries(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = LOCAL_CACHES
    pages = caches["pages"]
    assert client.get("/en/events/")["X-Page-Cache"] == "miss"
    entries = len(pages._cache)
    for n in range(5):
        response = client.get(f"/en/events/?utm_x={n}&nonsense{n}=1")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    assert len(pages._cache) == entries

    # the whitelisted parameters are the key, in any order
    assert client.get("/en/events/?kind=roadshow_stop&city=Osaka")["X-Page-Cache"] == "miss"
    assert client.get("/en/events/?city=Osaka&kind=roadshow_stop")["X-Page-Cache"] == "hit"
    assert len(pages._cache) == entries + 1
