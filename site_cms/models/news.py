"""News: an index per language with RSS and Atom feeds, and news pages with tags and an event."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from site_cms.i18n import active_language, localize_all, source_language, url_in_language
from site_cms.richtext import PUBLIC_RICH_TEXT_FEATURES, render_public_richtext

from .base import SitePage


def news_cards(source_pages) -> list[dict]:
    language = active_language()
    source_pages = list(source_pages)
    shown = localize_all(source_pages, language, related=("image",))
    return [
        {
            "page": page,
            "url": url_in_language(source, language),
            "lang": page.locale.language_code,
            "is_fallback": page.locale.language_code != language,
            "date": source.date,
        }
        for source, page in zip(source_pages, shown, strict=True)
    ]


class NewsIndexPage(RoutablePageMixin, SitePage):
    intro = RichTextField(_("introduction"), blank=True, features=PUBLIC_RICH_TEXT_FEATURES)

    content_panels = [*SitePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["site_cms.HomePage"]
    subpage_types = ["site_cms.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def source_news(self):
        return (
            NewsPage.objects.live()
            .public()
            .filter(locale__language_code=source_language())
            .select_related("image", "related_event")
            .order_by("-date", "-pk")
        )

    def translated_news(self):
        """News really written or translated in this index's language (what the feeds carry)."""
        return (
            NewsPage.objects.live()
            .public()
            .filter(locale=self.locale)
            .select_related("image")
            .order_by("-date", "-pk")
        )

    @path("")
    def index_route(self, request):
        pages = self.source_news()
        tag = request.GET.get("tag", "")
        if tag:
            pages = pages.filter(tags__name=tag)
        paginator = Paginator(pages, 12)
        page_obj = paginator.get_page(request.GET.get("page"))
        return self.render(
            request,
            context_overrides={
                "news_cards": news_cards(page_obj.object_list),
                "page_obj": page_obj,
                "tag": tag,
            },
        )

    @path("feed/rss/", name="rss")
    def rss_feed(self, request):
        return NewsFeed(self, Rss201rev2Feed)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        return NewsFeed(self, Atom1Feed)(request)


class NewsFeed(Feed):
    """The news of one language, as RSS 2.0 or Atom 1.0."""

    def __init__(self, index_page: NewsIndexPage, feed_type):
        super().__init__()
        self.index_page = index_page
        self.feed_type = feed_type

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index_page

    def title(self, obj):
        return obj.title

    def link(self, obj):
        return obj.get_url(self.request)

    def description(self, obj):
        return obj.search_description or obj.title

    def items(self, obj):
        return obj.translated_news()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro_text

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at or timezone.now()

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "site_cms.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(SitePage):
    date = models.DateField(_("date"), default=timezone.localdate)
    intro_text = models.TextField(_("summary"), max_length=400)
    body = RichTextField(_("text"), features=PUBLIC_RICH_TEXT_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    related_event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("related event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_pages",
    )
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))

    content_panels = [
        *SitePage.content_panels,
        FieldPanel("date"),
        FieldPanel("intro_text"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("related_event"),
        FieldPanel("tags"),
    ]
    override_translatable_fields = [
        *SitePage.override_translatable_fields,
        SynchronizedField("date", overridable=False),
        SynchronizedField("image", overridable=False),
        SynchronizedField("related_event", overridable=False),
    ]
    search_fields = [
        *SitePage.search_fields,
        index.SearchField("intro_text"),
        index.SearchField("body"),
    ]
    parent_page_types = ["site_cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news page")
        verbose_name_plural = _("news pages")

    def social_description(self) -> str:
        return self.search_description or self.intro_text

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        index = NewsIndexPage.objects.filter(locale__language_code=source_language()).first()
        context["news_index_url"] = url_in_language(index, active_language()) if index else ""
        return context

    def body_html(self):
        return render_public_richtext(self.body)

    def related_event_page(self):
        """The related event's page in the visitor's language (or its fallback), with its URL."""
        if not self.related_event_id:
            return None
        from .events import EventPage, event_cards

        source = (
            EventPage.objects.live()
            .filter(event_id=self.related_event_id, locale__language_code=source_language())
            .select_related("event")
            .first()
        )
        return event_cards([source])[0] if source else None
