"""The staff admin in Simplified Chinese: every staff page shows Chinese, Wagtail's strings
included, and our catalogue never gives one of Wagtail's (or Django's) msgids another meaning."""

from __future__ import annotations

import gettext
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps

from devtools import wagtail_catalogue
from tests.support import ROOT

OURS = {"site_cms", "expos", "projects", "outreach", "crm"}
# Every catalogue of ours that Django merges into the Chinese translation.
OUR_CATALOGUES = [
    ROOT / "locale/zh_Hans/LC_MESSAGES/django.mo",
    *sorted(ROOT.glob("*/*locale/zh_Hans/LC_MESSAGES/django.mo")),
]


def _catalogue(path: Path) -> dict:
    with open(path, "rb") as file:
        catalogue = gettext.GNUTranslations(file)._catalog
    catalogue.pop("", None)
    return catalogue


def upstream_translations() -> dict:
    """What each msgid would read without our catalogues: Django gives the first installed app
    that translates it precedence, then Django's own catalogue."""
    translations: dict = {}
    for app in apps.get_app_configs():
        path = Path(app.path) / "locale/zh_Hans/LC_MESSAGES/django.mo"
        if app.name not in OURS and path.exists():
            for key, text in _catalogue(path).items():
                if text:
                    translations.setdefault(key, (text, app.name))
    django_path = Path(django.__file__).parent / "conf/locale/zh_Hans/LC_MESSAGES/django.mo"
    for key, text in _catalogue(django_path).items():
        if text:
            translations.setdefault(key, (text, "django"))
    return translations


def test_our_catalogue_never_changes_the_meaning_of_a_wagtail_or_django_msgid():
    """A msgid we share with Wagtail, wagtail-localize, Django or another installed app reads as
    they translate it ("Pages" stays 页面 in Wagtail's menu); a string of ours that means
    something else carries a context (pgettext)."""
    upstream = upstream_translations()
    clashes = []
    for path in OUR_CATALOGUES:
        for key, ours in _catalogue(path).items():
            if key in upstream and upstream[key][0] != ours:
                text, app = upstream[key]
                clashes.append(f"{key!r}: ours {ours!r}, {app} {text!r} ({path.relative_to(ROOT)})")
    assert not clashes, f"{len(clashes)} clashes:\n" + "\n".join(clashes)


def test_the_wagtail_supplement_translates_exactly_what_wagtail_leaves_in_english():
    """config/wagtail_locale holds a translation for every admin msgid Wagtail's own zh_Hans
    catalogues lack, and nothing else (after a Wagtail upgrade: devtools/wagtail_catalogue.py)."""
    needed = {(e.msgctxt, e.msgid) for e in wagtail_catalogue.upstream_untranslated()}
    supplement = polib.pofile(str(wagtail_catalogue.SUPPLEMENT))
    have = {(e.msgctxt, e.msgid) for e in supplement}
    assert sorted(needed - have, key=str) == [], "run python -m devtools.wagtail_catalogue"
    assert sorted(have - needed, key=str) == [], "Wagtail translates these now: drop them"
    assert [e.msgid for e in supplement if not e.translated() or e.fuzzy] == []


# --- the admin's language -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_speaks_the_office_language_whatever_the_browser_asks(
    client, staff_admin, settings, site_structure
):
    settings.LIAISON_ADMIN_LANGUAGE = "zh-hans"
    login = client.get("/admin/login/", headers={"accept-language": "de"})
    assert '<html lang="zh-hans"' in login.content.decode()
    client.force_login(staff_admin)
    response = client.get("/admin/", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
def test_a_staff_member_who_chose_english_gets_english(
    client, staff_admin, settings, site_structure
):
    from wagtail.users.models import UserProfile

    settings.LIAISON_ADMIN_LANGUAGE = "zh-hans"
    profile = UserProfile.get_for_user(staff_admin)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(staff_admin)
    response = client.get("/admin/", headers={"accept-language": "zh-hans"})
    assert '<html lang="en"' in response.content.decode()
