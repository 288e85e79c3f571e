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
