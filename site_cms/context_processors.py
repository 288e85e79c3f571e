from __future__ import annotations

import threading

from django.conf import settings
from django.urls import reverse

from outreach.branding import brand_for
from site_cms.i18n import active_language, language_is_bidi, language_name, url_in_language
from site_cms.request_memo import memoize

# (generation, language) -> (home URL, [(title, url, lang), ...]) or None when there is no home
# page; only entries of the current generation are kept (see `menu_for`).
_menus: dict[tuple[int, str], tuple[str, list[tuple[str, str, str]]] | None] = {}
_menus_lock = threading.Lock()


def build_menu(language: str) -> tuple[str, list[tuple[str, str, str]]] | None:
    """The home page's address and the menu entries in `language`, from the database."""
    from wagtail.models import Page

    from site_cms.i18n import localize_all, public, source_language
    from site_cms.models import HomePage

    home = HomePage.objects.live().filter(locale__language_code=source_language()).first()
    if home is None:
        return None
    items = list(
        public(Page.objects.child_of(home).live()).filter(show_in_menus=True).order_by("path")
    )
    shown = localize_all(items, language)
    entries = [
        (page.title, url_in_language(source, language), page.locale.language_code)
        for source, page in zip(items, shown, strict=True)
    ]
    return url_in_language(home, language), entries


def menu_for(language: str) -> tuple[str, list[tuple[str, str, str]]] | None:
    """`build_menu(language)`, kept per process until the page cache's generation changes (any
    publish, unpublish, move, deletion or view restriction change, see site_cms.signals)."""
    if not settings.NAVIGATION_CACHE:
        return build_menu(language)
    from site_cms.page_cache import request_generation

    key = (request_generation(), language)
    try:
        return _menus[key]
    except KeyError:
        pass
    menu = build_menu(language)
    with _menus_lock:
        for stale in [k for k in _menus if k[0] != key[0]]:
            del _menus[stale]
        _menus[key] = menu
    return menu


_brands: dict[tuple[int, str], object] = {}


def brand_in(language: str):
    """The office's branding in `language`, kept per process like the menu until the page cache's
    generation changes (saving the branding settings bumps it, see site_cms.signals)."""
    if not settings.NAVIGATION_CACHE:
        return memoize(f"site_cms:brand:{language}", lambda: brand_for(language))
    from site_cms.page_cache import request_generation

    key = (request_generation(), language)
    brand = _brands.get(key)
    if brand is None:
        brand = brand_for(language)
        with _menus_lock:
            for stale in [k for k in _brands if k[0] != key[0]]:
                del _brands[stale]
            _brands[key] = brand
    return brand


def site_navigation(request):
    """The menu of the public site in the visitor's language (admin pages do not need it)."""
    if request.path.startswith(("/admin/", "/django-admin/")):
        return {}
    language = active_language()
    brand = brand_in(language)
    menu = menu_for(language)
    if menu is None:
        return {"site_brand": brand, "site_language": language}
    home_url, entries = menu
    return {
        "site_brand": brand,
        "site_home_url": home_url,
        "site_menu": [
            {"title": title, "url": url, "lang": lang, "active": request.path.startswith(url)}
            for title, url, lang in entries
        ],
        "site_search_url": reverse("site_search"),
        "site_language": language,
        "site_language_name": language_name(language),
        "site_language_bidi": language_is_bidi(language),
    }
