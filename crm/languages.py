"""Languages by name, for staff: "德语" in a Chinese admin, "German" in an English one."""

from __future__ import annotations

import functools
import re

from django.utils.translation import get_language, get_language_info, pgettext, to_locale


def language_display(code: str) -> str:
    """The language's name in the staff member's language (Django's catalogue translates it);
    an unknown code is shown as it is."""
    if not code:
        return ""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def languages_display(codes) -> str:
    return pgettext("list separator", ", ").join(language_display(code) for code in codes or [])


def readable_time_zone(zone: str) -> str:
    """The zone's name in the staff member's language (CLDR, through Babel), with the IANA id:
    "中国时间 (Asia/Shanghai)". Unknown ids are shown as they are."""
    if not zone:
        return ""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_timezone_location

    try:
        locale = Locale.parse(to_locale(get_language() or "en"))
        return f"{get_timezone_location(zone, locale=locale)} ({zone})"
    except (LookupError, UnknownLocaleError, ValueError):
        return zone


# The IANA areas of real places; the other ids (US/Eastern, GB, Etc/GMT+5...) are aliases.
_ZONE_AREAS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)


def _offset(zone: str, now) -> tuple[int, str]:
    import zoneinfo

    delta = now.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return minutes, f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _has_latin(text: str) -> bool:
    return any(c.isascii() and c.isalpha() for c in text)


@functools.lru_cache(maxsize=16)
def _time_zone_choices(language: str, day: str) -> tuple[tuple[str, str], ...]:
    import zoneinfo
    from datetime import UTC, datetime

    from babel import Locale, UnknownLocaleError
    from babel.core import get_global
    from babel.dates import get_timezone_location, get_timezone_name
    from django.utils.translation import gettext, override

    try:
        locale = Locale.parse(to_locale(language or "en"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    # A language written in another script (Chinese) reads no Latin word in the list: the
    # offset without "UTC", and a zone CLDR names only by its id is named by its country.
    latin = _has_latin(get_timezone_name("Europe/Berlin", locale=locale))
    now = datetime.fromisoformat(day).replace(tzinfo=UTC)
    aliases = get_global("zone_aliases")  # old names of zones (Asia/Chongqing -> Asia/Shanghai)
    territories = get_global("zone_territories")
    rows = []
    for zone in sorted(zoneinfo.available_timezones()):
        if not zone.startswith(_ZONE_AREAS) or zone in aliases:
            continue
        try:
            generic = get_timezone_name(zone, width="long", zone_variant="generic", locale=locale)
            city = get_timezone_location(zone, locale=locale, return_city=True)
        except LookupError:
            generic, city = zone, ""
        if not latin:
            if _has_latin(city):
                city = ""
            if _has_latin(generic):
                generic = locale.territories.get(territories.get(zone, ""), "") or generic
            if _has_latin(generic):  # "未知地区（Coyhaique）时间": the id in brackets goes
                generic = re.sub(r"（[^）]*）", "", generic)
        minutes, offset = _offset(zone, now)
        offset = offset if latin else offset.removeprefix("UTC")
        label = f"({offset}) {generic} · {city}" if city else f"({offset}) {generic}"
        rows.append((minutes, label, zone))
    rows.sort()
    with override(language):
        utc = gettext("Coordinated Universal Time")
    seen, choices = set(), [("UTC", f"(+00:00) {utc}" if not latin else f"(UTC+00:00) {utc}")]
    for _minutes, label, zone in rows:
        # Two zones named alike are told apart by their ids (not in another script).
        if label in seen:
            label = f"{label} ({zone})" if latin else f"{label} ({len(seen)})"
        choices.append((zone, label))
        seen.add(label)
    return tuple(choices)


def time_zone_choices(current: str = "") -> list[tuple[str, str]]:
    """Every time zone of a real place, named in the staff member's language (CLDR via Babel)
    with its offset today: "(UTC+01:00) 中欧时间 · 柏林", ordered by offset. A stored value
    that is not in the list (an alias) is kept, named by its id."""
    from django.utils import timezone

    choices = list(_time_zone_choices(get_language() or "en", timezone.now().date().isoformat()))
    if current and current not in {value for value, _label in choices}:
        choices.insert(0, (current, current))
    return [("", "---------"), *choices]
