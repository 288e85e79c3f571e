"""Rich text on the public site: a small set of editor features, and a second line of defence.

The Draftail editor only stores what its features allow, but text can also arrive through imports,
the API, PO files or the database. Everything is therefore cleaned again with Liaison's allow-list
(crm.richtext, nh3) after Wagtail has expanded its internal links, so the public site cannot carry
stored script whatever path the text took."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html

from crm.richtext import clean_html

PUBLIC_RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "hr"]


def clean_public_html(html: str) -> SafeString:
    return mark_safe(clean_html(html))  # noqa: S308 - cleaned by nh3 just inside


def render_public_richtext(value: str) -> SafeString:
    """Expand Wagtail's page/document links, then sanitise."""
    return clean_public_html(expand_db_html(str(value or "")))
