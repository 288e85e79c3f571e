"""The admin strings Wagtail (and wagtail-localize) ship without a Simplified Chinese translation.

Wagtail's zh_Hans catalogues hold only what its translators finished; every msgid of its English
catalogues that none of them translates would show in English in a Chinese admin.
config/wagtail_locale/zh_Hans/LC_MESSAGES/django.po supplies those, and only those, so Wagtail's
own translations stay Wagtail's. After upgrading Wagtail, run

    .venv/bin/python -m devtools.wagtail_catalogue

to add the new untranslated msgids (empty) and drop those Wagtail now translates; fill the empty
ones, then `make messages` compiles it. tests/unit/test_admin_in_chinese.py checks it is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
SUPPLEMENT = ROOT / "config/wagtail_locale/zh_Hans/LC_MESSAGES/django.po"
PACKAGES = ("wagtail", "wagtail_localize")
# Installed packages whose compiled zh_Hans catalogues Django merges with Wagtail's: a msgid any of
# them translates is not shown in English, so the supplement must not override it.
TRANSLATING_PACKAGES = (
    *PACKAGES,
    "django",
    "taggit",
    "django_countries",
    "rest_framework",
    "django_filters",
    "phonenumber_field",
    "drf_spectacular",
    "anymail",
    "modelcluster",
)


def _site_packages() -> Path:
    import wagtail

    return Path(wagtail.__file__).resolve().parent.parent


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def upstream_untranslated() -> list[polib.POEntry]:
    """Entries of Wagtail's English django.po catalogues that no zh_Hans catalogue translates."""
    translated: set[tuple[str | None, str]] = set()
    for package in TRANSLATING_PACKAGES:
        for path in (_site_packages() / package).glob("**/locale/zh_Hans/LC_MESSAGES/django.mo"):
            translated |= {_key(e) for e in polib.mofile(str(path)) if e.msgstr or e.msgstr_plural}
    english: list[Path] = []
    for package in PACKAGES:
        english += sorted((_site_packages() / package).glob("**/locale/en/LC_MESSAGES/django.po"))
    seen: set[tuple[str | None, str]] = set()
    missing = []
    for path in english:
        for entry in polib.pofile(str(path)):
            key = _key(entry)
            if entry.obsolete or key in translated or key in seen:
                continue
            seen.add(key)
            missing.append(entry)
    return missing


def update_supplement() -> tuple[int, int]:
    """Add new untranslated msgids to the supplement (empty) and drop those no longer needed."""
    supplement = polib.pofile(str(SUPPLEMENT), wrapwidth=100)
    needed = {_key(e): e for e in upstream_untranslated()}
    have = {_key(e) for e in supplement}
    dropped = [e for e in supplement if _key(e) not in needed]
    for entry in dropped:
        supplement.remove(entry)
    added = 0
    for key, entry in needed.items():
        if key not in have:
            supplement.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgstr_plural={0: ""} if entry.msgid_plural else {},
                )
            )
            added += 1
    supplement.save()
    return added, len(dropped)


if __name__ == "__main__":
    added, dropped = update_supplement()
    print(f"{SUPPLEMENT.relative_to(ROOT)}: {added} msgids to translate added, {dropped} dropped")
    sys.exit(0)
