"""Languages by name, for staff: "德语" in a Chinese admin, "German" in an English one."""

from __future__ import annotations

import functools

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


@functools.cache
def _english_city(zone: str) -> str:
    from babel.dates import get_timezone_location

    try:
        return get_timezone_location(zone, locale="en", return_city=True)
    except LookupError:
        return ""


@functools.lru_cache(maxsize=16)
def _time_zone_choices(language: str, day: str) -> tuple[tuple[str, str], ...]:
    import zoneinfo
    from datetime import UTC, datetime

    from babel import Locale, UnknownLocaleError
    from babel.core import get_global
    from babel.dates import get_timezone_location, get_timezone_name

    try:
        locale = Locale.parse(to_locale(language or "en"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    now = datetime.fromisoformat(day).replace(tzinfo=UTC)
    rows = []
    aliases = get_global("zone_aliases")  # old names of zones (Asia/Chongqing -> Asia/Shanghai)
    for zone in sorted(zoneinfo.available_timezones()):
        if not zone.startswith(_ZONE_AREAS) or zone in aliases:
            continue
        try:
            generic = get_timezone_name(zone, width="long", zone_variant="generic", locale=locale)
            city = get_timezone_location(zone, locale=locale, return_city=True)
        except LookupError:
            generic, city = zone, ""
        if city == _english_city(zone) and not any(c.isascii() and c.isalpha() for c in generic):
            city = ""  # no name in this language's script (CLDR): the zone's name suffices
        minutes, offset = _offset(zone, now)
        label = f"({offset}) {generic} · {city}" if city else f"({offset}) {generic}"
        rows.append((minutes, label, zone))
    rows.sort()
    seen, choices = set(), [("UTC", "(UTC+00:00) UTC")]
    for _minutes, label, zone in rows:
        # Two zones CLDR names alike (an old name of the other) are told apart by their ids.
        choices.append((zone, f"{label} ({zone})" if label in seen else label))
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
