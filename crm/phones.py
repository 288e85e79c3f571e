"""Phone numbers: any common national or international format in, E.164 out."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber


def parse_phone(raw: str, region: str | None = None) -> PhoneNumber:
    """Parse `raw` ("0171 1234567", "+49 171 1234567", "(010) 6552-9988", "138-0013-8000") with
    `region` (ISO country code, e.g. the person's country) as the default for national formats.

    Raises ValidationError naming the value and the region, e.g.
    '"+86 12" is not a valid phone number for CN'."""
    text = (raw or "").strip()
    region = (region or "").upper() or None
    where = region or _("an international number (start it with +)")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _('"%(value)s" is not a valid phone number for %(region)s'),
            code="invalid_phone",
            params={"value": text, "region": where},
        )
    return PhoneNumber.from_string(
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    )


def try_parse_phone(raw: str, region: str | None = None) -> PhoneNumber | None:
    try:
        return parse_phone(raw, region)
    except ValidationError:
        return None
