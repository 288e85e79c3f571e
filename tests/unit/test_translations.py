"""Staff-facing text is translatable; the Simplified Chinese catalogue is complete and compiled."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from tests.support import ROOT, clean_env

SOURCE_DIRS = ["config", "crm", "outreach", "site_cms", "templates", "locale"]
# The same as for the project catalogue: site_cms/locale is the public site's own catalogue (see
# `make site-messages`), so site_cms's staff-facing strings land in locale/ with everything else.
MAKEMESSAGES_IGNORE = [
    ".venv",
    "var",
    "tests",
    "bench",
    "devtools",
    "site_cms/locale",
    "node_modules",
]


def _catalogues(root: Path, language: str) -> list[Path]:
    return sorted(root.glob(f"**/locale/{language}/LC_MESSAGES/django.po"))


@pytest.mark.slow
def test_every_staff_facing_string_has_a_simplified_chinese_translation(tmp_path):
    """makemessages over a copy of the code finds no string the committed catalogues lack."""
    for name in SOURCE_DIRS:
        if (ROOT / name).exists():
            shutil.copytree(
                ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
            )
    (tmp_path / "locale").mkdir(exist_ok=True)
    result = subprocess.run(
        [
            str(ROOT / ".venv/bin/django-admin"),
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            *(f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORE),
        ],
        cwd=tmp_path,
        env=clean_env("DJANGO_SETTINGS_MODULE"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    missing = []
    for po_path in _catalogues(tmp_path, "zh_Hans"):
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            if not entry.translated() or entry.fuzzy:
                where = entry.occurrences[0][0] if entry.occurrences else "?"
                missing.append(f"{po_path.relative_to(tmp_path)}: {entry.msgid!r} ({where})")
    assert not missing, f"{len(missing)} untranslated:\n" + "\n".join(missing[:50])


def test_compiled_catalogues_match_their_sources(tmp_path):
    """A .po edited without compiling would silently show English: each .mo holds what its .po
    says."""
    checked = 0
    for po_path in sorted(ROOT.glob("*/*locale/*/LC_MESSAGES/django.po")) + sorted(
        ROOT.glob("locale/*/LC_MESSAGES/django.po")
    ):
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} is missing: run `make messages`"
        fresh = tmp_path / f"{checked}.mo"
        polib.pofile(str(po_path)).save_as_mofile(str(fresh))
        with open(mo_path, "rb") as committed, open(fresh, "rb") as compiled:
            ours = gettext.GNUTranslations(committed)._catalog
            expected = gettext.GNUTranslations(compiled)._catalog
        ours.pop("", None)
        expected.pop("", None)
        assert ours == expected, f"{mo_path.relative_to(ROOT)} is stale: run `make messages`"
        checked += 1
    assert checked >= 2
