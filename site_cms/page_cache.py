"""Whole-page cache for anonymous visitors, invalidated on every publish.

A cached page is stored under its path (language prefix included) and the query parameters the
site's pages read (``PAGE_CACHE_QUERY_PARAMETERS``: filters and page numbers), plus a site-wide
generation number. A request carrying any other parameter is answered without the cache, so
random query strings cannot fill it. Publishing, unpublishing, moving or deleting any page,
and saving an event, session, speaker or organizer, bumps the generation, so every page that
could show the change (listings, home, the event page) is rebuilt on its next visit. This is
simpler and safer than tracking which page lists which, and publishing is rare next to reading.

Pages are kept in the "pages" cache (``PAGE_CACHE_URL``: a Redis of their own, with a memory
limit and LRU eviction; else the Redis of REDIS_URL, else files under DATA_DIR). The generation
number stays in the default cache, which never evicts it: a page cache that lost it would start
again at 1 and could serve pages older than the last publish.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "site_cms:page-generation"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, timeout=None)
    return int(value)


def request_generation() -> int:
    """`generation()`, read once per request (see site_cms.request_memo)."""
    from site_cms.request_memo import memoize

    return memoize("site_cms:generation", generation)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def invalidate_all(**_kwargs) -> None:
    """Every cached page is stale from now on.

    Bumped at once and again when the transaction commits: a page (or menu, see
    site_cms.context_processors) built by another process between the two, from data not yet
    committed, is not kept under the new generation."""
    _bump()
    transaction.on_commit(_bump)


def _key(request: HttpRequest, gen: int) -> str:
    # The parameters sorted and encoded one way: ?year=2027&kind=x and ?kind=x&year=2027 are one
    # entry. Only whitelisted parameters reach here (cacheable_request).
    query = sorted((name, value) for name, values in request.GET.lists() for value in values)
    raw = f"{request.get_host()}|{request.path}|{query!r}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"site_cms:page:{gen}:{digest}"


def cacheable_request(request: HttpRequest) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
        return False
    # Editors see the userbar and previews: never serve them (or store for others) a cached copy.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return set(request.GET).issubset(settings.PAGE_CACHE_QUERY_PARAMETERS)


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
        pages = caches["pages"]
        stored = pages.get(key)
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
            pages.set(key, (response.content, headers), timeout=settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
