"""Languages of the public site: which translations a page really has, where a visitor is sent when
it has none, and the URL of a page in a given language.

Every language tree has the same shape and the same slugs (slugs are synchronised fields), so a
page's path below its language's home page is the same in every language: /de/events/expo-2027/
is the German address of /zh-hans/events/expo-2027/ whether or not a German translation exists.
When it does not, the home page routes the visitor to the fallback translation and the page says
so (see `HomePage.route` and the `fallback` context variable).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page, TranslatableMixin

T = TypeVar("T", bound=TranslatableMixin)


def site_language_codes() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def source_language() -> str:
    return site_language_codes()[0]


def active_language() -> str:
    code = translation.get_language() or settings.LANGUAGE_CODE
    codes = site_language_codes()
    return code if code in codes else settings.LANGUAGE_CODE


def fallback_languages(language: str) -> list[str]:
    """Where to look, in order, when a page has no translation in `language`.

    LIAISON_FALLBACK_LANGUAGES (settings, default: English) comes first, then the source
    language, in which every page exists."""
    order = [*getattr(settings, "LIAISON_FALLBACK_LANGUAGES", []), source_language()]
    codes = site_language_codes()
    result: list[str] = []
    for code in order:
        if code in codes and code != language and code not in result:
            result.append(code)
    return result


def language_name(code: str) -> str:
    return get_language_info(code)["name_local"]


def language_is_bidi(code: str) -> bool:
    return bool(get_language_info(code)["bidi"])


def locale_for(code: str) -> Locale:
    return Locale.objects.get_for_language(code)


def attach_locales(objects: Iterable) -> None:
    """Give each object its Locale from one query, so templates reading `obj.locale` do not
    query once per object (`.specific()` drops select_related)."""
    objects = list(objects)
    if not objects:
        return
    locales = {locale.pk: locale for locale in Locale.objects.all()}
    for obj in objects:
        if obj.locale_id in locales:
            obj.locale = locales[obj.locale_id]


def live_translations(page: Page) -> list[Page]:
    """The page and its live translations, in the order the site lists its languages."""
    order = {code: index for index, code in enumerate(site_language_codes())}
    pages = list(
        Page.objects.live()
        .public()
        .filter(translation_key=page.translation_key)
        .select_related("locale")
    )
    pages = [p for p in pages if p.locale.language_code in order]
    attach_locales(pages)
    return sorted(pages, key=lambda p: order[p.locale.language_code])


def relative_path(page: Page) -> str:
    """The page's path below its language's home page: "events/expo-2027/" ("" for home)."""
    site_root_depth = 2  # language home pages sit directly below Wagtail's root node
    parts = page.url_path.strip("/").split("/")[site_root_depth - 1 :]
    return "".join(f"{part}/" for part in parts if part)


def url_in_language(page: Page, language: str) -> str:
    """The address of `page` as seen by a visitor reading `language` (path only)."""
    with translation.override(language):
        return reverse("wagtail_serve", args=[relative_path(page)])


def localize_all(
    objects: Iterable[T], language: str | None = None, *, related: tuple[str, ...] = ()
) -> list[T]:
    """Each object in the visitor's language where a translation exists, else in the best
    fallback language, else as given. One query per call, not per object; `related` names
    foreign keys to load with the translations (e.g. "image")."""
    objects = list(objects)
    if not objects:
        return []
    language = language or active_language()
    model = type(objects[0])
    mixed = any(type(obj) is not model for obj in objects)
    if mixed:  # pages of several types listed together: look them up as pages
        model = Page
    wanted = [language, *fallback_languages(language)]
    base = model.objects.filter(
        translation_key__in=[obj.translation_key for obj in objects],
        locale__language_code__in=wanted,
    )
    if issubclass(model, Page):
        base = base.live()
        if mixed:
            base = base.specific()
    if related and not mixed:
        base = base.select_related(*related)
        if "image" in related:
            base = base.prefetch_related("image__renditions")
    base = list(base)
    attach_locales(base)
    candidates = {
        (candidate.translation_key, candidate.locale.language_code): candidate for candidate in base
    }
    result = []
    for obj in objects:
        chosen = obj
        for code in wanted:
            if (obj.translation_key, code) in candidates:
                chosen = candidates[(obj.translation_key, code)]
                break
        result.append(chosen)
    return result
