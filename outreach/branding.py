"""The office's branding as a reader of one language sees it (name and address in Chinese or
in English), with absolute URLs usable in mail."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language, get_language_info


@dataclass(frozen=True)
class Brand:
    name: str
    address: str
    email: str
    phone: str
    website: str
    logo_url: str
    primary: str
    accent: str
    icp_number: str


def text_direction(language: str) -> str:
    try:
        return "rtl" if get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


def _absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def brand_for(language: str | None = None) -> Brand:
    """The office's branding in `language` (default: the active language)."""
    from outreach.models import OfficeBranding

    language = (language or get_language() or "en").lower()
    record = OfficeBranding.load()
    chinese = language.startswith("zh")
    logo_url = ""
    if record.logo_id:
        try:
            logo_url = _absolute(record.logo.get_rendition("max-480x160").url)
        except Exception:
            logo_url = ""
    return Brand(
        name=(record.office_name if chinese else record.office_name_latin) or record.office_name,
        address=(record.address if chinese else record.address_latin) or record.address,
        email=record.email,
        phone=record.phone,
        website=record.website,
        logo_url=logo_url,
        primary=record.primary_colour or "#1f4e79",
        accent=record.accent_colour or "#b8860b",
        icp_number=record.icp_number,
    )
