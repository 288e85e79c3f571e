"""Tells outreach how the public site names an event in each language (its page title and
address) and what guests should wear and bring, for invitations, RSVP pages, reminders and
calendar files. Registered when the app starts."""

from __future__ import annotations

import threading

from django.conf import settings

# (generation, event id, language) -> page facts; only the current generation is kept (any
# publish, unpublish, move or deletion bumps it, see site_cms.page_cache), as for the menu.
_details: dict[tuple[int, int, str], dict | None] = {}
_details_lock = threading.Lock()


def public_event_details(event, language: str) -> tuple[str, str] | None:
    """The event page's title in `language` (else in the first fallback language that has it)
    and its address under the `language` prefix; None when the event has no live page."""
    facts = page_facts(event, language)
    return (facts["title"], facts["url"]) if facts else None


def practical_event_details(event, language: str) -> dict | None:
    """Dress code and what to bring, from the event page in `language` (or its fallback)."""
    facts = page_facts(event, language)
    if not facts:
        return None
    return {"dress_code": facts["dress_code"], "what_to_bring": facts["what_to_bring"]}


def page_facts(event, language: str) -> dict | None:
    """`read_page_facts(event, language)`, kept per process until the site's pages change (when
    NAVIGATION_CACHE is on): an RSVP page or a campaign names the event without a query."""
    if not settings.NAVIGATION_CACHE:
        return read_page_facts(event, language)
    from site_cms.page_cache import request_generation

    key = (request_generation(), event.pk, language)
    try:
        return _details[key]
    except KeyError:
        pass
    facts = read_page_facts(event, language)
    with _details_lock:
        for stale in [k for k in _details if k[0] != key[0]]:
            del _details[stale]
        _details[key] = facts
    return facts


def read_page_facts(event, language: str) -> dict | None:
    from site_cms.i18n import fallback_languages, url_in_language
    from site_cms.models import EventPage

    pages = {
        page.locale.language_code: page
        for page in EventPage.objects.live()
        .public()
        .filter(event=event)
        .select_related("locale")
        .only("title", "url_path", "locale__language_code", "dress_code", "what_to_bring")
    }
    if not pages:
        return None
    page = next(
        (pages[code] for code in [language, *fallback_languages(language)] if code in pages),
        next(iter(pages.values())),
    )
    return {
        "title": page.title,
        "url": settings.SITE_URL.rstrip("/") + url_in_language(page, language),
        "dress_code": page.dress_code,
        "what_to_bring": page.what_to_bring,
    }
