"""How an event is presented to a guest in their language: its public title and address, its
date, time and venue as the public site shows them, and a readable name for its time zone.

Pure helpers (no writes). The public title lives on the site's event page, which outreach does not
import: the public site registers a provider (`register_public_details`) when it starts, and
without one the staff working name is used."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, translation
from django.utils.translation import to_locale

# (event, language) -> (public title, absolute page URL) or None
_providers: list[Callable[[object, str], tuple[str, str] | None]] = []


def register_public_details(provider: Callable[[object, str], tuple[str, str] | None]) -> None:
    if provider not in _providers:
        _providers.append(provider)


@dataclass(frozen=True)
class EventFacts:
    title: str
    url: str
    date: str
    time: str
    zone_name: str
    when: str
    venue: str


def zone_name(moment: datetime, time_zone: str, language: str) -> str:
    """The zone as people of `language` name it ("Central European Standard Time",
    "中欧标准时间"), from CLDR via Babel; the IANA name if Babel does not know the zone."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_timezone, get_timezone_name

    try:
        locale = Locale.parse(to_locale(language or "en"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    try:
        return get_timezone_name(moment.astimezone(get_timezone(time_zone)), "long", locale=locale)
    except LookupError:
        return time_zone


def public_details(event, language: str) -> tuple[str, str]:
    for provider in _providers:
        found = provider(event, language)
        if found:
            return found
    return event.name, ""


def event_facts(event, language: str) -> EventFacts:
    """Everything a message or page says about the event, in `language`, times in the event's
    own zone (what the programme says)."""
    title, url = public_details(event, language)
    with translation.override(language):
        start, end = event.local_start, event.local_end
        date = formats.date_format(start, "DATE_FORMAT")
        time = formats.time_format(start, "TIME_FORMAT")
        if start.date() == end.date():
            span = f"{date} {time}–{formats.time_format(end, 'TIME_FORMAT')}"
        else:
            span = f"{date} {time} – {formats.date_format(end, 'DATE_FORMAT')}"
        zone = zone_name(start, event.time_zone, language)
        venue = ", ".join(p for p in (event.venue, event.address, event.city) if p)
        return EventFacts(
            title=title,
            url=url,
            date=date,
            time=f"{time} ({zone})",
            zone_name=zone,
            when=f"{span} ({zone})",
            venue=venue,
        )
