"""Salutations per language: "Dear Prof. Müller", "尊敬的王伟教授", "王伟様".

Honorifics differ in form and position by language (Chinese puts the title after the name:
王伟院士, 李明市长), so they are rendered from a small table rather than from one translated
string. Languages without an entry fall back to English forms."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from django.utils.translation import get_language

if TYPE_CHECKING:
    from crm.models import Person

# honorific -> (English prefix, Chinese suffix, German prefix)
_FORMS: dict[str, tuple[str, str, str]] = {
    "": ("", "", ""),
    "mr": ("Mr", "先生", "Herr"),
    "ms": ("Ms", "女士", "Frau"),
    "dr": ("Dr.", "博士", "Dr."),
    "prof": ("Prof.", "教授", "Prof."),
    "academician": ("Academician", "院士", "Akademiemitglied"),
    "he": ("H.E.", "阁下", "S.E."),
    "minister": ("Minister", "部长", "Minister"),
    "mayor": ("Mayor", "市长", "Bürgermeister"),
    "ambassador": ("Ambassador", "大使", "Botschafter"),
    "consul_general": ("Consul General", "总领事", "Generalkonsul"),
    "president": ("President", "主席", "Präsident"),
    "chair": ("Chair", "主席", "Vorsitzende(r)"),
}


def _is_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(ch, "") for ch in letters)


def _latin_family_name(person: Person) -> str:
    if person.family_name and _is_latin(person.family_name):
        return person.family_name
    parts = (person.name_latin or "").split()
    if parts:
        return parts[0] if person.effective_name_order == "family_first" else parts[-1]
    return person.family_name or person.full_name_native


def _name_for(person: Person, language: str) -> str:
    if language.startswith("zh"):
        return person.name_chinese or person.full_name_native or person.composed_name
    if language == "ja" and person.full_name_native:
        return person.full_name_native
    if language in {"ru", "ar"} and person.family_name and not _is_latin(person.family_name):
        return person.family_name
    # Other languages address by the (Latin) family name after the honorific.
    return _latin_family_name(person)


def salutation(person: Person, language: str | None = None) -> str:
    """The opening of a letter to `person` in `language` (default: the active language)."""
    language = (language or get_language() or "en").lower()
    english, chinese, german = _FORMS.get(person.honorific or "", ("", "", ""))
    name = _name_for(person, language)
    if language.startswith("zh"):
        return f"尊敬的{name}{chinese}"
    if language == "ja":
        return f"{name}様"
    if language == "de":
        return f"Sehr geehrte(r) {german} {name}".replace("  ", " ").strip()
    return f"Dear {english} {name}".replace("  ", " ").strip()


def formal_name(person: Person, language: str | None = None) -> str:
    """Title and name as a heading says it: "Prof. Wang Wei", "王伟教授"."""
    language = (language or get_language() or "en").lower()
    english, chinese, _german = _FORMS.get(person.honorific or "", ("", "", ""))
    if language.startswith("zh"):
        name = person.name_chinese or person.full_name_native or person.composed_name
        return f"{name}{chinese}"
    if language == "ja" and person.full_name_native:
        return f"{person.full_name_native}様"
    name = person.name_latin or person.composed_name or person.full_name_native
    return f"{english} {name}".strip()
