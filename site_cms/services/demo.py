"""Demo content for the public site: events with their pages, speakers, sessions and news.

Pages are written in the source language (Chinese) and translated through wagtail-localize, exactly
as staff would (a translation source, string translations, then `save_target`), so the admin shows
each page's translation status and the translations stay in sync with later edits. Images are drawn
with Pillow at load time. Idempotent: once the event index exists, nothing is added again."""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Collection, Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from crm.models import Organization
from outreach.models import Event, EventOrganizer
from site_cms.i18n import source_language
from site_cms.models import (
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    Session,
    SessionSpeaker,
    Speaker,
    StandardPage,
)
from site_cms.services import demo_content as content
from site_cms.services.site_setup import ensure_site_structure


@transaction.atomic
def _demo_branding() -> None:
    """The demo office's name and contact details (Settings -> Office branding)."""
    from outreach.models import OfficeBranding

    branding = OfficeBranding.load()
    if not branding.office_name:
        branding.office_name = "宁波国际会展促进中心（演示）"
        branding.office_name_latin = "Ningbo International Events Office (demo)"
        branding.address = "浙江省宁波市鄞州区宁穿路1901号"
        branding.address_latin = "1901 Ningchuan Road, Yinzhou District, Ningbo, Zhejiang, China"
        branding.email = "events@office.example.org"
        branding.phone = "+86 574 0000 0000"
        branding.save()


def load_demo_data() -> None:
    home = ensure_site_structure()
    if Collection.get_first_root_node() is None:  # Wagtail's migrations make one; a flush does not
        Collection.add_root(name="Root")
    if EventIndexPage.objects.filter(locale=home.locale).exists():
        return
    src = source_language()
    _fill_home(home, src)
    _demo_branding()

    event_index = _add_page(
        home,
        EventIndexPage(slug="events", show_in_menus=True),
        content.EVENT_INDEX,
        rich={"intro"},
    )
    news_index = _add_page(
        home, NewsIndexPage(slug="news", show_in_menus=True), content.NEWS_INDEX, rich={"intro"}
    )
    _add_page(home, StandardPage(slug="about", show_in_menus=True), content.ABOUT, rich={"body"})

    events = _create_events()
    for spec in content.EVENTS:
        event = events[spec["code"]]
        image = _draw_image(spec["text"]["en"]["title"], spec["colour"])
        page = EventPage(slug=spec["code"], event=event, image=image)
        _add_page(event_index, page, spec["text"], rich={"body"})

    _add_organizers(events)
    speakers = _create_speakers()
    _create_sessions(events, speakers)

    today = timezone.localdate()
    for spec in content.NEWS:
        page = NewsPage(
            slug=spec["slug"],
            date=today - timedelta(days=spec["days_ago"]),
            related_event=events.get(spec["event"]) if spec["event"] else None,
            image=_draw_image(spec["text"]["en"]["title"], spec["colour"]),
        )
        page.tags.add(*spec["tags"])
        _add_page(news_index, page, spec["text"], rich={"body"})


# --- pages ------------------------------------------------------------------------------------
def _apply(instance, words: dict, rich: set[str]) -> None:
    for field, value in words.items():
        if field in rich:
            value = "".join(f"<p>{paragraph}</p>" for paragraph in value)
        setattr(instance, field, value)


def _fill_home(home: HomePage, src: str) -> None:
    _apply(home, content.HOME[src], rich={"intro"})
    home.save_revision().publish()
    _translate_all(home, content.HOME, rich={"intro"})


def _add_page(parent: Page, page: Page, words: dict, *, rich: set[str]) -> Page:
    src = source_language()
    page.locale = parent.locale
    _apply(page, words[src], rich)
    parent.add_child(instance=page)
    page.save_revision().publish()
    _translate_all(page, words, rich=rich)
    return page


def _translate_all(instance, words: dict, *, rich: set[str]) -> None:
    src = source_language()
    for code, target_words in words.items():
        if code == src or not Locale.objects.filter(language_code=code).exists():
            continue
        pairs = _pairs(words[src], target_words, rich)
        translate_with_localize(instance, code, pairs)


def _pairs(source_words: dict, target_words: dict, rich: set[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for field, value in source_words.items():
        target = target_words[field]
        if field in rich:
            pairs.update(zip(value, target, strict=True))
        elif value:
            pairs[value] = target
    return pairs


def translate_with_localize(instance, language: str, pairs: dict[str, str]) -> None:
    """Translate `instance` into `language` through wagtail-localize, segment by segment.

    Every source segment must have a translation in `pairs` (source text -> translated text): a
    demo page is either translated completely or not at all."""
    source, _created = TranslationSource.get_or_create_from_instance(instance)
    source.update_from_db()
    locale = Locale.objects.get(language_code=language)
    # The Translation record is what the admin's translation status and PO download work from.
    Translation.objects.get_or_create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        text = segment.string.data
        plain = re.sub(r"<[^>]+>", "", text)
        if text not in pairs and plain not in pairs:
            raise ValueError(f"demo content: no {language} translation for {text!r}")
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": pairs.get(text, pairs.get(plain)), "translation_type": "manual"},
        )
    # What Translation.save_target does, except that the page is published here and now: it
    # would defer publishing to transaction.on_commit with a copy of the parent page taken before
    # its children were added, and the late publish would reset the tree's child counts.
    is_page = isinstance(instance, Page)
    source.create_or_update_translation(locale, publish=not is_page, copy_parent_pages=False)
    target = source.get_translated_instance(locale)
    if is_page:
        fresh = Page.objects.get(pk=target.pk).specific
        fresh.get_latest_revision().publish()


# --- events, speakers, sessions ----------------------------------------------------------------
def _create_events() -> dict[str, Event]:
    events: dict[str, Event] = {}
    today = timezone.localdate()
    for spec in content.EVENTS:
        zone = ZoneInfo(spec["tz"])
        day = today + timedelta(days=spec["day"])
        starts = datetime.combine(day, time(spec["hour"]), tzinfo=zone)
        if spec["length_days"]:
            ends = datetime.combine(
                day + timedelta(days=spec["length_days"] - 1), time(17), tzinfo=zone
            )
        else:
            ends = starts + timedelta(hours=4)
        event, _created = Event.objects.update_or_create(
            code=f"demo-{spec['code']}",
            defaults={
                "name": spec["text"]["en"]["title"],
                "kind": spec["kind"],
                "parent": events.get(spec["parent"]) if spec["parent"] else None,
                "starts_at": starts,
                "ends_at": ends,
                "time_zone": spec["tz"],
                "venue": spec["venue"],
                "address": spec["address"],
                "city": spec["city"],
                "country": spec["country"],
                "latitude": spec["lat"],
                "longitude": spec["lon"],
                "status": Event.Status.ANNOUNCED,
                "registration_open": spec["registration"],
                "registration_url": (
                    f"https://example.org/register/{spec['code']}/" if spec["registration"] else ""
                ),
            },
        )
        events[spec["code"]] = event
    return events


def _add_organizers(events: dict[str, Event]) -> None:
    organizations: dict[str, tuple[Organization, Image]] = {}
    for key, (name, name_en, name_zh, kind, country, colour) in content.ORGANIZATIONS.items():
        organization, _created = Organization.objects.get_or_create(
            name=name,
            defaults={"name_en": name_en, "name_zh": name_zh, "kind": kind, "country": country},
        )
        logo = _draw_image(f"logo {name_en}", colour, size=(320, 160))
        organizations[key] = (organization, logo)
    for index, (event_code, key, role) in enumerate(content.ORGANIZER_ROLES):
        organization, logo = organizations[key]
        EventOrganizer.objects.get_or_create(
            event=events[event_code],
            organization=organization,
            role=role,
            defaults={"logo": logo, "sort_order": index},
        )


def _create_speakers() -> dict[str, Speaker]:
    src = source_language()
    source_locale = Locale.objects.get(language_code=src)
    speakers: dict[str, Speaker] = {}
    for spec in content.SPEAKERS:
        speaker = Speaker(
            locale=source_locale, photo=_draw_image(spec["key"], spec["colour"], portrait=True)
        )
        _apply(speaker, spec["text"][src], rich=set())
        speaker.save()
        _translate_all(speaker, spec["text"], rich=set())
        speakers[spec["key"]] = speaker
    return speakers


def _create_sessions(events: dict[str, Event], speakers: dict[str, Speaker]) -> None:
    src = source_language()
    source_locale = Locale.objects.get(language_code=src)
    for spec in content.SESSIONS:
        event = events[spec["event"]]
        zone = event.zone
        day = event.local_start.date() + timedelta(days=spec["day"])
        starts = datetime.combine(day, time(spec["hour"]), tzinfo=zone)
        session = Session(
            locale=source_locale,
            event=event,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=spec["minutes"]),
        )
        _apply(session, spec["text"][src], rich=set())
        for key, role in spec["speakers"]:
            session.speakers.add(SessionSpeaker(speaker=speakers[key], role=role))
        session.save()
        _translate_all(session, spec["text"], rich=set())


# --- images ------------------------------------------------------------------------------------
def _draw_image(
    title: str,
    colour: tuple[int, int, int],
    *,
    portrait: bool = False,
    size: tuple[int, int] | None = None,
) -> Image:
    """A simple generated picture (bands and circles in the event's colour); no binaries in git."""
    size = size or ((400, 400) if portrait else (1600, 900))
    picture = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    width, height = size
    light = tuple(min(255, c + 60) for c in colour)
    dark = tuple(max(0, c - 40) for c in colour)
    for index in range(6):
        radius = (index + 1) * width // 10
        draw.ellipse(
            (width - radius, height - radius, width + radius, height + radius),
            outline=light,
            width=max(2, width // 200),
        )
    draw.rectangle((0, int(height * 0.75), width, height), fill=dark)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "image"
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"demo-{slug}.jpg"))
