"""Tells outreach how the public site names an event in each language (its page title and
address), for invitations, RSVP pages and calendar files. Registered when the app starts."""

from __future__ import annotations

from django.conf import settings


def public_event_details(event, language: str) -> tuple[str, str] | None:
    """The event page's title in `language` (else in the first fallback language that has it)
    and its address under the `language` prefix; None when the event has no live page."""
    from site_cms.i18n import fallback_languages, url_in_language
    from site_cms.models import EventPage

    pages = {
        page.locale.language_code: page
        for page in EventPage.objects.live()
        .public()
        .filter(event=event)
        .select_related("locale")
        .only("title", "url_path", "locale__language_code")
    }
    if not pages:
        return None
    for code in [language, *fallback_languages(language)]:
        page = pages.get(code)
        if page is not None:
            url = settings.SITE_URL.rstrip("/") + url_in_language(page, language)
            return page.title, url
    page = next(iter(pages.values()))
    return page.title, settings.SITE_URL.rstrip("/") + url_in_language(page, language)
