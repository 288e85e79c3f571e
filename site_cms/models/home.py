from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from outreach.models import Event
from site_cms.i18n import active_language, fallback_languages, source_language
from site_cms.richtext import PUBLIC_RICH_TEXT_FEATURES

from .base import SitePage


class HomePage(SitePage):
    """The root of each language's tree."""

    intro = RichTextField(_("introduction"), blank=True, features=PUBLIC_RICH_TEXT_FEATURES)

    content_panels = [*SitePage.content_panels, FieldPanel("intro")]
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        """Serve a page that has no translation in this language from the fallback language.

        Slugs are the same in every language, so the same path is looked up in the fallback
        language's tree; the page then says it is shown in another language and is not listed
        as a translation (no hreflang, canonical to the real page, noindex)."""
        try:
            return route_below(self, request, path_components)
        except Http404:
            if not path_components or self.locale.language_code != active_language():
                raise
        for code in fallback_languages(self.locale.language_code):
            home = (
                HomePage.objects.live()
                .filter(translation_key=self.translation_key, locale__language_code=code)
                .first()
            )
            if home is None:
                continue
            try:
                return route_below(home, request, path_components)
            except Http404:
                continue
        raise Http404

    def get_context(self, request, *args, **kwargs):
        from .events import EventPage, event_cards
        from .news import NewsPage, news_cards

        context = super().get_context(request, *args, **kwargs)
        upcoming = (
            EventPage.objects.live()
            .public()
            .filter(
                locale__language_code=source_language(),
                event__ends_at__gte=timezone.now(),
                event__parent__isnull=True,
            )
            .exclude(event__status__in=[Event.Status.PLANNED, Event.Status.CANCELLED])
            .select_related("event", "image")
            .order_by("event__starts_at", "pk")[:6]
        )
        news = (
            NewsPage.objects.live()
            .public()
            .filter(locale__language_code=source_language())
            .select_related("image")
            .order_by("-date", "-pk")[:4]
        )
        context["event_cards"] = event_cards(upcoming)
        context["news_cards"] = news_cards(news)
        return context


def route_below(home: Page, request, path_components: list[str]):
    """Wagtail's routing in one query instead of two per path segment: the deepest page whose
    url_path matches a prefix of the path is found directly, and routes the rest itself (a
    routable page's sub-path such as feed/rss/ or calendar/)."""
    if not path_components:
        return Page.route(home, request, path_components)
    candidates = [
        home.url_path + "".join(f"{part}/" for part in path_components[:length])
        for length in range(len(path_components), 0, -1)
    ]
    page = (
        Page.objects.filter(url_path__in=candidates, locale_id=home.locale_id)
        .order_by("-depth")
        .first()
    )
    if page is None:
        raise Http404
    depth_below_home = page.depth - home.depth
    return page.specific.route(request, path_components[depth_below_home:])
