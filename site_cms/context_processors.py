from __future__ import annotations

from django.urls import reverse

from site_cms.i18n import active_language, language_is_bidi, language_name, url_in_language


def site_navigation(request):
    """The menu of the public site in the visitor's language (admin pages do not need it)."""
    if request.path.startswith(("/admin/", "/django-admin/")):
        return {}
    from wagtail.models import Page

    from site_cms.i18n import source_language
    from site_cms.models import HomePage

    language = active_language()
    home = HomePage.objects.live().filter(locale__language_code=source_language()).first()
    if home is None:
        return {}
    items = list(
        Page.objects.child_of(home).live().public().filter(show_in_menus=True).order_by("path")
    )
    from site_cms.i18n import localize_all

    shown = localize_all(items, language)
    return {
        "site_home_url": url_in_language(home, language),
        "site_menu": [
            {
                "title": page.title,
                "url": url_in_language(source, language),
                "lang": page.locale.language_code,
                "active": request.path.startswith(url_in_language(source, language)),
            }
            for source, page in zip(items, shown, strict=True)
        ],
        "site_search_url": reverse("site_search"),
        "site_language": language,
        "site_language_name": language_name(language),
        "site_language_bidi": language_is_bidi(language),
    }
