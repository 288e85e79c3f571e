"""Whole-page cache for anonymous visitors, invalidated on every publish.

A cached page is stored under its full path (language prefix included) and query string, plus
a site-wide generation number. Publishing, unpublishing, moving or deleting any page, and saving
an event, session, speaker or organizer, bumps the generation, so every page that could show the
change (listings, home, the event page) is rebuilt on its next visit. This is simpler and safer
than tracking which page lists which, and publishing is rare next to reading.

The cache is Django's default cache: Redis when REDIS_URL is set, else files under DATA_DIR.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "site_cms:page-generation"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, timeout=None)
    return int(value)


def invalidate_all(**_kwargs) -> None:
    """Every cached page is stale from now on."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _key(request: HttpRequest, gen: int) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"site_cms:page:{gen}:{digest}"


def cacheable_request(request: HttpRequest) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
        return False
    # Editors see the userbar and previews: never serve them (or store for others) a cached copy.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return "preview" not in request.GET


def mark_cacheable(request: HttpRequest) -> None:
    """Called by the page view: only public pages are stored, never admin or form views."""
    request._site_cms_cacheable = True


class PageCacheMiddleware:
    """Answers repeat visits from the cache before the rest of the stack runs (sessions, CSRF,
    URL resolution, Wagtail routing), and stores what the page view marked as cacheable on the
    way out, with the headers every later middleware added (language, security, framing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not cacheable_request(request):
            return self.get_response(request)
        key = _key(request, generation())
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            getattr(request, "_site_cms_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in {"set-cookie", "x-page-cache"}
            ]
            cache.set(key, (response.content, headers), timeout=settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
