from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import to_locale

from site_cms.i18n import active_language, language_is_bidi, language_name
from site_cms.richtext import render_public_richtext

register = template.Library()


@register.filter
def public_richtext(value) -> SafeString:
    """Rich text expanded and sanitised (see site_cms.richtext)."""
    return render_public_richtext(value)


@register.simple_tag
def lang_attrs(content_language: str) -> SafeString:
    """lang/dir attributes for content in another language than the page around it (WCAG 3.1.2)."""
    if not content_language or content_language == active_language():
        return SafeString("")
    direction = "rtl" if language_is_bidi(content_language) else "ltr"
    return format_html(' lang="{}" dir="{}"', content_language, direction)


@register.filter
def language_local_name(code: str) -> str:
    return language_name(code)


@register.filter
def language_name_here(code: str) -> str:
    """The language's name in the visitor's language: "Englisch" to a German reader."""
    from django.utils.translation import get_language_info

    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@register.filter
def og_locale(code: str) -> str:
    return to_locale(code)


def _date(value: datetime) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _time(value: datetime) -> str:
    return formats.time_format(value, "TIME_FORMAT")


@register.simple_tag
def event_when(event) -> str:
    """The event's dates and times in its own time zone, formatted for the visitor's language."""
    return when(event.starts_at, event.ends_at, event.time_zone)


@register.simple_tag
def when(starts_at: datetime, ends_at: datetime, time_zone: str) -> SafeString:
    """ "1 June 2026 09:00–17:00 (China Standard Time, UTC+08:00)": the zone by its name in the
    visitor's language (CLDR), not its IANA id. Dates, times and the offset are isolated
    (<bdi>) so that an Arabic page keeps them whole around the brackets."""
    import zoneinfo

    from outreach.presentation import zone_name

    zone = zoneinfo.ZoneInfo(time_zone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if start.date() == end.date():
        text = format_html("<bdi>{}</bdi> <bdi>{}–{}</bdi>", _date(start), _time(start), _time(end))
    else:
        text = format_html(
            "<bdi>{} {}</bdi> – <bdi>{} {}</bdi>",
            *(_date(start), _time(start), _date(end), _time(end)),
        )
    offset = start.strftime("%z")
    offset = format_html('<bdi dir="ltr">UTC{}:{}</bdi>', offset[:3], offset[3:])
    template = _("%(when)s (%(zone)s, %(offset)s)")
    return format_html(
        template.replace("%(when)s", "{when}")
        .replace("%(zone)s", "{zone}")
        .replace("%(offset)s", "{offset}"),
        when=text,
        zone=zone_name(start, time_zone, active_language()),
        offset=offset,
    )


@register.simple_tag
def session_time(starts_at: datetime, ends_at: datetime, time_zone: str) -> str:
    import zoneinfo

    zone = zoneinfo.ZoneInfo(time_zone)
    return format_html(
        "<bdi>{}–{}</bdi>", _time(starts_at.astimezone(zone)), _time(ends_at.astimezone(zone))
    )


@register.simple_tag
def local_day(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")
