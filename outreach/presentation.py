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
# (event, language) -> {"dress_code": ..., "what_to_bring": ...} in that language, or None
_practical_providers: list[Callable[[object, str], dict | None]] = []


def register_public_details(provider: Callable[[object, str], tuple[str, str] | None]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def register_practical_details(provider: Callable[[object, str], dict | None]) -> None:
    """The public site tells what guests should wear and bring, in each language."""
    if provider not in _practical_providers:
        _practical_providers.append(provider)


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


def practical_details(event, language: str) -> dict:
    for provider in _practical_providers:
        found = provider(event, language)
        if found:
            return found
    return {}


def practical_information(
    event, language: str, *, guest_zone: str = "", code_url: str = "", facts=None
) -> str:
    """The practical-information block of a reminder to an accepted guest, in `language`
    (call inside translation.override(language)): venue, address, map link, the time in the
    event's zone and, when it differs, in the guest's own zone, dress code and what to bring
    when the event page says, and the guest's check-in code link. Plain text, one line each."""
    import zoneinfo

    from django.utils.translation import gettext as _

    facts = facts or event_facts(event, language)
    lines = [_("Practical information"), ""]
    if event.venue:
        lines.append(_("Venue: %(venue)s") % {"venue": event.venue})
    address = ", ".join(p for p in (event.address, event.city, str(event.country.name or "")) if p)
    if address:
        lines.append(_("Address: %(address)s") % {"address": address})
    map_url = event.map_url()
    if map_url:
        lines.append(_("Map: %(url)s") % {"url": map_url})
    lines.append(_("Time: %(when)s") % {"when": facts.when})
    if guest_zone and guest_zone != event.time_zone:
        try:
            zone = zoneinfo.ZoneInfo(guest_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        if zone is not None:
            start = event.starts_at.astimezone(zone)
            with translation.override(language):
                local = (
                    f"{formats.date_format(start, 'DATE_FORMAT')} "
                    f"{formats.time_format(start, 'TIME_FORMAT')}"
                )
            lines.append(
                _("In your time zone: %(when)s (%(zone)s)")
                % {"when": local, "zone": zone_name(start, guest_zone, language)}
            )
    details = practical_details(event, language)
    if details.get("dress_code"):
        lines.append(_("Dress code: %(dress)s") % {"dress": details["dress_code"]})
    if details.get("what_to_bring"):
        lines.append(_("Please bring: %(items)s") % {"items": details["what_to_bring"]})
    if code_url:
        lines.append(_("Your check-in code: %(url)s") % {"url": code_url})
    return "\n".join(lines)
