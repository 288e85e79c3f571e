"""Rich text on the public site: a small set of editor features, and a second line of defence.

The Draftail editor only stores what its features allow, but text can also arrive through imports,
the API, PO files or the database. Everything is therefore cleaned again with nh3 (an HTML
sanitiser with an allow-list) after Wagtail has expanded its internal links, so the public site
cannot carry stored script whatever path the text took."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html

PUBLIC_RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "hr"]

_ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "b", "strong", "i", "em", "a", "ol", "ul", "li", "hr"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "hreflang", "lang"}}


def clean_public_html(html: str) -> SafeString:
    cleaned = nh3.clean(
        html or "",
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 just above


def render_public_richtext(value: str) -> SafeString:
    """Expand Wagtail's page/document links, then sanitise."""
    return clean_public_html(expand_db_html(str(value or "")))
