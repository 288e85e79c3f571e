"""What every public page shares: synchronised slugs, the fallback flag, real translations for the
language switcher and hreflang links, and sitemap alternates."""

from __future__ import annotations

from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from site_cms.i18n import (
    active_language,
    live_translations,
    site_language_codes,
    source_language,
    url_in_language,
)


def language_choices(translations, language: str, page) -> list[tuple[str, str]]:
    """The language switcher's entries: each real translation, and always the visitor's own
    language (the page they are on, shown from a fallback when it is not translated)."""
    urls = {p.locale.language_code: p.url for p in translations}
    if language not in urls:
        urls[language] = url_in_language(page, language)
    return [(code, urls[code]) for code in site_language_codes() if code in urls]


class SitePage(Page):
    """Abstract base of Liaison's public pages."""

    # The slug is the same in every language so that /de/<path> is the German address of the
    # page whether or not it has been translated (see site_cms.i18n).
    override_translatable_fields = [SynchronizedField("slug", overridable=False)]

    search_fields = [*Page.search_fields, index.FilterField("locale_id")]

    class Meta:
        abstract = True

    # --- what the templates need ---------------------------------------------------------
    def is_fallback_for(self, language: str) -> bool:
        """True when this page is shown because the visitor's language has no translation."""
        return self.locale.language_code != language

    def social_image(self):
        """The image for OpenGraph and JSON-LD; pages with an image override this."""
        return getattr(self, "image", None)

    def social_description(self) -> str:
        return self.search_description or getattr(self, "intro_text", "") or ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        language = active_language()
        translations = live_translations(self)
        context["fallback"] = self.is_fallback_for(language)
        context["content_language"] = self.locale.language_code
        context["translations"] = translations
        context["language_choices"] = language_choices(translations, language, self)
        context["x_default"] = next(
            (p for p in translations if p.locale.language_code == source_language()), None
        )
        return context

    def get_sitemap_urls(self, request=None):
        translations = live_translations(self)
        alternates = [
            {"lang_code": p.locale.language_code, "location": p.get_full_url(request)}
            for p in translations
        ]
        source = next(
            (p for p in translations if p.locale.language_code == source_language()), None
        )
        if source is not None:
            alternates.append({"lang_code": "x-default", "location": source.get_full_url(request)})
        return [
            {
                "location": self.get_full_url(request),
                "lastmod": self.last_published_at or self.latest_revision_created_at,
                "alternates": alternates,
            }
        ]
