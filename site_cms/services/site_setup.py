"""The public site's skeleton: a locale and a home page for every configured language."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from wagtail.models import Collection, Locale, Page, Site

from site_cms.models import HomePage


def configured_language_codes() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


@transaction.atomic
def ensure_site_structure() -> HomePage:
    """Idempotent. Creates what is missing and returns the source-language home page.

    The home page in the source language (the first configured language) is the default site's
    root; every other language gets a translation of it, so /<lang>/ answers in each."""
    codes = configured_language_codes()
    source_locale, _created = Locale.objects.get_or_create(language_code=codes[0])
    for code in codes[1:]:
        Locale.objects.get_or_create(language_code=code)

    if not Collection.objects.exists():  # likewise the root collection images and documents need
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:  # Wagtail's migrations make one; a flushed database has none
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=source_locale))
    home = HomePage.objects.filter(locale=source_locale).first()
    if home is None:
        _remove_wagtail_welcome_page()
        with override(codes[0]):
            home = HomePage(title=str(_("Welcome")), slug="home", locale=source_locale)
        root.add_child(instance=home)
        home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()

    for code in codes[1:]:
        locale = Locale.objects.get(language_code=code)
        if not HomePage.objects.filter(
            translation_key=home.translation_key, locale=locale
        ).exists():
            with override(code):
                copy = home.copy_for_translation(locale)
                copy.title = str(_("Welcome"))
                copy.save_revision().publish()
    return home


def _remove_wagtail_welcome_page() -> None:
    """Wagtail's first migration makes a plain "Welcome to your new Wagtail site!" page with the
    slug "home"; it is only a placeholder, so ours replaces it."""
    from django.contrib.contenttypes.models import ContentType

    page_type = ContentType.objects.get_for_model(Page)
    for page in Page.objects.filter(depth=2, content_type=page_type, numchild=0):
        Site.objects.filter(root_page=page).delete()
        page.delete()
