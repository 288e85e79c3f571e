"""Event pages: the public face of an `outreach.Event` in each language.

The Event holds the operational facts once (dates, time zone, venue, city, country, status,
organizers); the page holds the translatable words (title, summary, programme text) and shows the
facts. wagtail-localize keeps the link to the Event, the image and the slug synchronised."""

from __future__ import annotations

import json
from datetime import date

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from outreach.models import Event
from site_cms.i18n import active_language, localize_all, public, url_in_language
from site_cms.richtext import PUBLIC_RICH_TEXT_FEATURES

from .base import SitePage


class EventIndexPage(SitePage):
    intro = RichTextField(_("introduction"), blank=True, features=PUBLIC_RICH_TEXT_FEATURES)

    content_panels = [*SitePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["site_cms.HomePage"]
    subpage_types = ["site_cms.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("event index")
        verbose_name_plural = _("event indexes")

    def event_pages(self):
        """Every public event page of the site, each in the visitor's language where it exists."""
        source_pages = (
            public(EventPage.objects.live())
            .filter(locale__language_code=self._source_language())
            .exclude(event__status=Event.Status.PLANNED)
            .select_related("event", "image")
            .order_by("event__starts_at", "pk")
        )
        return source_pages

    @staticmethod
    def _source_language() -> str:
        from site_cms.i18n import source_language

        return source_language()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = self.event_pages()
        kinds = dict(Event.Kind.choices)
        kind = request.GET.get("kind", "")
        city = request.GET.get("city", "")
        year = request.GET.get("year", "")
        all_events = [p.event for p in pages]
        if kind in kinds:
            pages = pages.filter(event__kind=kind)
        else:
            kind = ""
        if city:
            pages = pages.filter(event__city=city)
        if year.isdigit():
            pages = pages.filter(event__starts_at__year=int(year))
        else:
            year = ""
        paginator = Paginator(pages, 24)
        page_obj = paginator.get_page(request.GET.get("page"))
        context.update(
            {
                "event_cards": event_cards(page_obj.object_list),
                "page_obj": page_obj,
                "filters": {"kind": kind, "city": city, "year": year},
                "kind_choices": [
                    (k, v) for k, v in Event.Kind.choices if k in {e.kind for e in all_events}
                ],
                "city_choices": sorted({e.city for e in all_events if e.city}),
                "year_choices": sorted({e.starts_at.year for e in all_events}, reverse=True),
            }
        )
        return context


def event_cards(source_pages) -> list[dict]:
    """Listing entries: the page in the visitor's language (or its fallback) and its address
    under the visitor's language prefix."""
    language = active_language()
    source_pages = list(source_pages)
    shown = localize_all(source_pages, language, related=("image",))
    return [
        {
            "page": page,
            "event": source.event,
            "url": url_in_language(source, language),
            "lang": page.locale.language_code,
            "is_fallback": page.locale.language_code != language,
        }
        for source, page in zip(source_pages, shown, strict=True)
    ]


# What django.utils.html.json_script escapes: no text can close the script element, open an
# HTML comment ("<!--<script>" would swallow the rest of the page) or start an entity.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_for_script(data: object) -> str:
    """JSON safe inside a <script> element of any type (here application/ld+json)."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


class EventPage(RoutablePageMixin, SitePage):
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        related_name="pages",
        help_text=_("Dates, venue, organizers and registration come from the event."),
    )
    intro_text = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences for listings and sharing.")
    )
    body = RichTextField(_("programme"), blank=True, features=PUBLIC_RICH_TEXT_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Practical information for accepted guests (their reminders), translated with the page.
    dress_code = models.CharField(
        _("dress code"), max_length=200, blank=True, help_text=_("For example: business attire.")
    )
    what_to_bring = models.CharField(
        _("what to bring"),
        max_length=300,
        blank=True,
        help_text=_("For example: your passport or ID card for the security check."),
    )

    content_panels = [
        *SitePage.content_panels,
        FieldPanel("event"),
        FieldPanel("intro_text"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("dress_code"), FieldPanel("what_to_bring")],
            heading=_("for guests"),
        ),
    ]
    override_translatable_fields = [
        *SitePage.override_translatable_fields,
        SynchronizedField("event", overridable=False),
        SynchronizedField("image", overridable=False),
    ]
    search_fields = [
        *SitePage.search_fields,
        index.SearchField("intro_text"),
        index.SearchField("body"),
    ]
    # Flat below the index: how events nest (forum > sub-forum, roadshow > stop) is a fact of the
    # Event, so a stop can be translated before the roadshow's own page is.
    parent_page_types = ["site_cms.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event page")
        verbose_name_plural = _("event pages")

    def social_description(self) -> str:
        return self.search_description or self.intro_text

    # Loaded with the page when Wagtail routes to it (see site_cms.models.home.route_below).
    route_select_related = ("event", "image")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        organizer_links = self.organizer_links()
        context.update(
            {
                "json_ld": self.json_ld(request, organizer_links=organizer_links),
                "agenda": self.agenda(),
                "parts": self.parts(),
                "organizer_groups": self.organizers_by_role(organizer_links),
                "news": self.related_news(),
            }
        )
        return context

    # --- what the page shows ---------------------------------------------------------------
    def agenda(self) -> list[dict]:
        """Sessions by day in the event's time zone, each with its speakers, all localised."""
        from site_cms.i18n import source_language
        from site_cms.models.programme import Session

        sessions = list(
            Session.objects.filter(event=self.event, locale__language_code=source_language())
            .prefetch_related("speakers__speaker__photo")
            .order_by("starts_at", "pk")
        )
        sessions_shown = localize_all(sessions)
        speakers = [link.speaker for session in sessions for link in session.speakers.all()]
        localized_speakers = dict(
            zip([s.pk for s in speakers], localize_all(speakers), strict=True)
        )
        zone = self.event.zone
        days: dict[date, list] = {}
        for source, shown in zip(sessions, sessions_shown, strict=True):
            day = source.starts_at.astimezone(zone).date()
            days.setdefault(day, []).append(
                {
                    "session": shown,
                    "lang": shown.locale.language_code,
                    "starts_at": source.starts_at,
                    "ends_at": source.ends_at,
                    "speakers": [
                        {
                            "speaker": localized_speakers[link.speaker_id],
                            "role": link.get_role_display(),
                        }
                        for link in source.speakers.all()
                    ],
                }
            )
        return [{"day": day, "sessions": items} for day, items in sorted(days.items())]

    def parts(self) -> list[dict]:
        """Sub-forums, stops and other parts of this event that have a public page."""
        from site_cms.i18n import source_language

        source_pages = (
            public(EventPage.objects.live())
            .filter(event__parent=self.event, locale__language_code=source_language())
            .exclude(event__status=Event.Status.PLANNED)
            .select_related("event", "image")
            .order_by("event__starts_at", "pk")
        )
        return event_cards(source_pages)

    def organizer_links(self) -> list:
        """The event's organizers with their organization and logo (renditions included)."""
        return list(
            self.event.organizers.select_related("organization", "logo").prefetch_related(
                "logo__renditions"
            )
        )

    def organizers_by_role(self, links: list | None = None) -> list[dict]:
        """[{"role": label, "organizers": [EventOrganizer, ...]}], guiding unit first, then host,
        organizer, co-organizer, supporters, media partners (the order of the role choices)."""
        from outreach.models import EventOrganizer

        order = {value: index for index, (value, _label) in enumerate(EventOrganizer.Role.choices)}
        links = sorted(
            self.organizer_links() if links is None else links,
            key=lambda link: (order.get(link.role, len(order)), link.sort_order, link.pk),
        )
        groups: dict[str, dict] = {}
        for link in links:
            group = groups.setdefault(
                link.role, {"role": link.get_role_display(), "organizers": []}
            )
            group["organizers"].append(link)
        return list(groups.values())

    def related_news(self) -> list:
        from site_cms.i18n import source_language
        from site_cms.models.news import NewsPage, news_cards

        source_pages = (
            public(NewsPage.objects.live())
            .filter(related_event=self.event, locale__language_code=source_language())
            .order_by("-date", "-pk")[:5]
        )
        return news_cards(source_pages)

    def json_ld(self, request, *, organizer_links: list | None = None) -> str:
        """schema.org Event, in the page's language, with times in the event's time zone."""
        event = self.event
        status = {
            Event.Status.CANCELLED: "https://schema.org/EventCancelled",
            Event.Status.POSTPONED: "https://schema.org/EventPostponed",
        }.get(event.status, "https://schema.org/EventScheduled")
        mode = (
            "https://schema.org/MixedEventAttendanceMode"
            if event.online_url
            else "https://schema.org/OfflineEventAttendanceMode"
        )
        data: dict = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "description": self.intro_text,
            "startDate": event.local_start.isoformat(),
            "endDate": event.local_end.isoformat(),
            "eventStatus": status,
            "eventAttendanceMode": mode,
            "inLanguage": self.locale.language_code,
            "url": self.get_full_url(request),
            "location": {
                "@type": "Place",
                "name": event.venue or event.city,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": event.address,
                    "addressLocality": event.city,
                    "addressCountry": event.country.code or None,
                },
            },
        }
        if self.image_id:
            rendition = self.image.get_rendition("fill-1200x630|format-jpeg")
            data["image"] = [request.build_absolute_uri(rendition.url)]
        organizers = [
            {"@type": "Organization", "name": link.public_name(self.locale.language_code)}
            for link in (self.organizer_links() if organizer_links is None else organizer_links)
            if link.role in ("host", "organizer")
        ]
        if organizers:
            data["organizer"] = organizers
        if event.parent_id:
            # Only a parent page a visitor can open: not a draft, unpublished or private one.
            parent_page = (
                public(event.parent.pages.live())
                .filter(locale=self.locale)
                .exclude(event__status=Event.Status.PLANNED)
                .first()
            )
            if parent_page is not None:
                data["superEvent"] = {"@type": "Event", "name": parent_page.title}
        return json_for_script(data)

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.render(request)

    @path("calendar/")
    def calendar_file(self, request):
        from outreach.services.calendar import event_calendar_file

        content = event_calendar_file(
            self.event,
            title=self.title,
            description=self.intro_text,
            url=self.get_full_url(request),
            language=self.locale.language_code,
        )
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.event.code}.ics"'
        return response
