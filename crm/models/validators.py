import re
import zoneinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value and value not in _time_zones():
        raise ValidationError(
            _('"%(value)s" is not an IANA time zone (e.g. Europe/Berlin, Asia/Shanghai).'),
            code="invalid_time_zone",
            params={"value": value},
        )


def validate_language(value: str) -> None:
    """One of the configured site languages (settings.LANGUAGES), as a BCP 47 code."""
    codes = [code for code, _name in settings.LANGUAGES]
    if value and value not in codes:
        raise ValidationError(
            _('"%(value)s" is not one of the configured languages (%(codes)s).'),
            code="invalid_language",
            params={"value": value, "codes": ", ".join(codes)},
        )


# Zero-width characters and bidirectional controls (U+200B-200F, U+202A-202E, U+2066-2069): in
# a name they hide text or reorder it on screen ("Trojan Source"), so that a name can look like
# another one or like a different sender.
INVISIBLE_CONTROLS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def validate_visible_text(value: str) -> None:
    match = INVISIBLE_CONTROLS.search(value or "")
    if match:
        raise ValidationError(
            _(
                "Contains the invisible control character U+%(code)s (position %(position)s), "
                "which can hide or reorder text. Remove it."
            ),
            code="invisible_control_character",
            params={"code": f"{ord(match.group()):04X}", "position": match.start() + 1},
        )


def validate_single_line(value: str) -> None:
    """For text that goes into a mail header (a sender name): no line breaks or other controls."""
    if any(ord(ch) < 32 or ch in "\x7f\u2028\u2029" for ch in value or ""):
        raise ValidationError(
            _("Must be a single line: remove line breaks and other control characters."),
            code="line_break",
        )
