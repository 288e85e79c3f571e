"""Languages by name, for staff: "德语" in a Chinese admin, "German" in an English one."""

from __future__ import annotations

from django.utils.translation import get_language_info, pgettext


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
