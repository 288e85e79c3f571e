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
from django.utils.cache import patch_cache_control

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
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    # Editors see the userbar and previews: never serve them (or store for others) a cached copy.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return "preview" not in request.GET


def get_cached(request: HttpRequest) -> HttpResponse | None:
    if not cacheable_request(request):
        return None
    gen = generation()
    stored = cache.get(_key(request, gen))
    if stored is None:
        request._site_cms_cache_key = _key(request, gen)
        return None
    content, content_type, extra_headers = stored
    response = HttpResponse(content, content_type=content_type)
    for name, value in extra_headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def store(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    key = getattr(request, "_site_cms_cache_key", None)
    if (
        key is None
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or getattr(request, "_site_cms_no_cache", False)
    ):
        return response
    if hasattr(response, "render") and callable(response.render):
        response.render()
    extra = [
        (name, response[name])
        for name in ("Content-Disposition", "Content-Language")
        if response.has_header(name)
    ]
    cache.set(
        key,
        (response.content, response["Content-Type"], extra),
        timeout=settings.PAGE_CACHE_SECONDS,
    )
    patch_cache_control(response, public=True, max_age=60)
    response["X-Page-Cache"] = "miss"
    return response
