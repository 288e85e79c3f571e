"""Languages by name, for staff: "德语" in a Chinese admin, "German" in an English one."""

from __future__ import annotations

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
