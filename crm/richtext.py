"""The one HTML allow-list of Liaison, for the public site's rich text and campaign mail.

Kept in crm (the app every other app may import) so that outreach sanitises campaign bodies
without importing site_cms. nh3 (Rust's ammonia) does the cleaning."""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "b", "strong", "i", "em", "a", "ol", "ul", "li", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "hreflang", "lang"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Wagtail's stored ("database") format adds page and document links (<a linktype="page" id="3">)
# and embedded images (<embed embedtype="image" id="5" format="left" alt="...">), expanded to
# real HTML when rendered; stored text keeps those and nothing else.
_STORED_TAGS = ALLOWED_TAGS | {"embed"}
_STORED_ATTRIBUTES = {
    "a": ALLOWED_ATTRIBUTES["a"] | {"linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}
# nh3 writes <embed ...> as HTML does; Wagtail's stored format wants <embed .../>.
_EMBED = re.compile(r"<embed(\b[^>]*?)\s*/?>")


def clean_html(html: str) -> str:
    """Rendered HTML reduced to the allow-list: no script, style, event handlers or
    javascript: links, whatever path the text took."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def clean_stored_richtext(html: str) -> str:
    """Rich text in Wagtail's stored format reduced to the allow-list (for saving)."""
    cleaned = nh3.clean(
        html or "",
        tags=_STORED_TAGS,
        attributes=_STORED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return _EMBED.sub(r"<embed\1/>", cleaned)
