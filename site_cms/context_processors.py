from __future__ import annotations

from django.urls import reverse

from site_cms.i18n import active_language, language_is_bidi, language_name, url_in_language


def site_navigation(request):
    """The menu of the public site in the visitor's language (admin pages do not need it)."""
    if request.path.startswith(("/admin/", "/django-admin/")):
        return {}
    from wagtail.models import Page

    from site_cms.i18n import localize_all, public, source_language
    from site_cms.models import HomePage

    language = active_language()
    home = HomePage.objects.live().filter(locale__language_code=source_language()).first()
    if home is None:
        return {}
    items = list(
        public(Page.objects.child_of(home).live()).filter(show_in_menus=True).order_by("path")
    )
    shown = localize_all(items, language)
    menu = []
    for source, page in zip(items, shown, strict=True):
        url = url_in_language(source, language)
        menu.append(
            {
                "title": page.title,
                "url": url,
                "lang": page.locale.language_code,
                "active": request.path.startswith(url),
            }
        )
    return {
        "site_home_url": url_in_language(home, language),
        "site_menu": menu,
        "site_search_url": reverse("site_search"),
        "site_language": language,
        "site_language_name": language_name(language),
        "site_language_bidi": language_is_bidi(language),
    }
