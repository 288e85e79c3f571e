"""Salutations per language: "Sehr geehrte Frau Dr. Schäfer", "Уважаемый господин Иванов",
"尊敬的王伟教授", "教授 田中太郎様".

Protocol forms differ by language in word order, in whether a courtesy word (Herr, госпожа,
السيدة) stands beside an academic title or an office, and in grammatical gender. Each language is
one entry of `FORMS`, keyed by its language code (a subtag such as zh-hans falls back to zh);
adding a language adds one entry. Languages without an entry use English.

The gender is the person's form of address (`Person.gender`), else the one Mr or Ms implies;
without one, each language uses its neutral greeting with the full name ("Guten Tag Alex Becker")
rather than a "Sehr geehrte(r)"."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import get_language

from crm import names as name_forms

if TYPE_CHECKING:
    from crm.models import Person

FEMALE, MALE, NEUTRAL = "female", "male", ""
ACADEMIC = {"dr", "prof", "academician"}
OFFICE = {"minister", "mayor", "ambassador", "consul_general", "president", "chair"}
# A title is one word for every gender or a word per gender; a missing gender has no title.
Title = str | dict[str, str]


def _script_of(text: str) -> str:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return ""
    return unicodedata.name(letters[0], "").split(" ")[0]


def _is_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(ch, "") for ch in letters)


def _latin_family(person: Person) -> str:
    if person.family_name and _is_latin(person.family_name):
        return person.family_name
    parts = (person.name_latin or "").split()
    if parts:
        return parts[0] if person.effective_name_order == "family_first" else parts[-1]
    return person.family_name or person.full_name_native


def _latin_full(person: Person) -> str:
    composed = person.composed_name
    if composed and _is_latin(composed):
        return composed
    return person.name_latin or composed or person.full_name_native


def _family_in(script: str) -> Callable[[Person], str]:
    """The family name as written in `script` (Иванова, الهاشمي), else its Latin form."""

    def family(person: Person) -> str:
        if person.family_name and _script_of(person.family_name) == script:
            return person.family_name
        return _latin_family(person)

    return family


def _full_in(script: str) -> Callable[[Person], str]:
    def full(person: Person) -> str:
        for candidate in (person.full_name_native, person.composed_name):
            if candidate and _script_of(candidate) == script:
                return candidate
        return _latin_full(person)

    return full


def _cjk_full(person: Person) -> str:
    """王伟, 田中太郎, 김민준: the native full name when it is written in CJK, else the Latin."""
    for candidate in (person.full_name_native, person.composed_name):
        if candidate and name_forms.is_cjk(candidate):
            return candidate
    return _latin_full(person)


def _chinese_name(person: Person) -> str:
    return person.name_chinese or _cjk_full(person)


@dataclass(frozen=True)
class LanguageForms:
    """How one language opens a letter.

    `opening` per gender wraps the address; `plain` is the address with a courtesy word only,
    `academic`/`office` with a title of that kind; `neutral` is used when the gender is not
    known and no title for every gender applies. `{name}` is `name(person)`, `{full}` the full name.
    `special` replaces everything for an honorific (Excellency forms)."""

    opening: dict[str, str]
    courtesy: dict[str, str]
    titles: dict[str, Title]
    plain: str
    academic: str
    office: str
    neutral: str
    name: Callable[[Person], str] = _latin_family
    full: Callable[[Person], str] = _latin_full
    special: dict[str, dict[str, str]] = field(default_factory=dict)
    formal: str = "{title} {full}"


FORMS: dict[str, LanguageForms] = {
    "en": LanguageForms(
        opening={MALE: "Dear {}", FEMALE: "Dear {}", NEUTRAL: "Dear {}"},
        courtesy={MALE: "Mr", FEMALE: "Ms"},
        titles={
            "dr": "Dr.",
            "prof": "Prof.",
            "academician": "Academician",
            "minister": "Minister",
            "mayor": "Mayor",
            "ambassador": "Ambassador",
            "consul_general": "Consul General",
            "president": "President",
            "chair": "Chair",
        },
        plain="{courtesy} {name}",
        academic="{title} {name}",
        office="{title} {name}",
        neutral="{full}",
        special={
            "he": {MALE: "Your Excellency", FEMALE: "Your Excellency", NEUTRAL: "Your Excellency"}
        },
    ),
    "de": LanguageForms(
        opening={MALE: "Sehr geehrter {}", FEMALE: "Sehr geehrte {}", NEUTRAL: "Guten Tag {}"},
        courtesy={MALE: "Herr", FEMALE: "Frau"},
        titles={
            "dr": "Dr.",
            "prof": "Prof.",
            "academician": "Akademiemitglied",
            "minister": {MALE: "Minister", FEMALE: "Ministerin"},
            "mayor": {MALE: "Bürgermeister", FEMALE: "Bürgermeisterin"},
            "ambassador": {MALE: "Botschafter", FEMALE: "Botschafterin"},
            "consul_general": {MALE: "Generalkonsul", FEMALE: "Generalkonsulin"},
            "president": {MALE: "Präsident", FEMALE: "Präsidentin"},
            "chair": {MALE: "Vorsitzender", FEMALE: "Vorsitzende"},
        },
        plain="{courtesy} {name}",
        academic="{courtesy} {title} {name}",
        office="{courtesy} {title} {name}",
        neutral="{full}",
        special={"he": {MALE: "Exzellenz", FEMALE: "Exzellenz", NEUTRAL: "Exzellenz"}},
    ),
    "fr": LanguageForms(
        # French letters open with the courtesy word and the office, without "cher" or a name.
        opening={MALE: "{}", FEMALE: "{}", NEUTRAL: "Madame, Monsieur"},
        courtesy={MALE: "Monsieur", FEMALE: "Madame"},
        titles={
            "prof": {MALE: "le Professeur", FEMALE: "la Professeure"},
            "academician": {MALE: "l'Académicien", FEMALE: "l'Académicienne"},
            "minister": {MALE: "le Ministre", FEMALE: "la Ministre"},
            "mayor": {MALE: "le Maire", FEMALE: "la Maire"},
            "ambassador": {MALE: "l'Ambassadeur", FEMALE: "l'Ambassadrice"},
            "consul_general": {MALE: "le Consul général", FEMALE: "la Consule générale"},
            "president": {MALE: "le Président", FEMALE: "la Présidente"},
            "chair": {MALE: "le Président", FEMALE: "la Présidente"},
        },
        plain="{courtesy} {name}",
        academic="{courtesy} {title}",
        office="{courtesy} {title}",
        neutral="",
        special={"he": {MALE: "Excellence", FEMALE: "Excellence", NEUTRAL: "Excellence"}},
        formal="{courtesy} {full}",
    ),
    "es": LanguageForms(
        opening={MALE: "Estimado {}", FEMALE: "Estimada {}", NEUTRAL: "Estimado/a {}"},
        courtesy={MALE: "Sr.", FEMALE: "Sra."},
        titles={
            "dr": {MALE: "Dr.", FEMALE: "Dra."},
            "prof": {MALE: "profesor", FEMALE: "profesora"},
            "academician": {MALE: "académico", FEMALE: "académica"},
            "minister": {MALE: "ministro", FEMALE: "ministra"},
            "mayor": {MALE: "alcalde", FEMALE: "alcaldesa"},
            "ambassador": {MALE: "embajador", FEMALE: "embajadora"},
            "consul_general": "cónsul general",
            "president": {MALE: "presidente", FEMALE: "presidenta"},
            "chair": {MALE: "presidente", FEMALE: "presidenta"},
        },
        plain="{courtesy} {name}",
        academic="{title} {name}",
        office="{courtesy} {title}",
        neutral="{full}",
        special={
            "he": {
                MALE: "Excelentísimo señor {name}",
                FEMALE: "Excelentísima señora {name}",
                NEUTRAL: "Excelencia",
            }
        },
    ),
    "ru": LanguageForms(
        opening={MALE: "Уважаемый {}", FEMALE: "Уважаемая {}", NEUTRAL: "Здравствуйте, {}"},
        courtesy={MALE: "господин", FEMALE: "госпожа"},
        titles={
            "dr": "доктор",
            "prof": "профессор",
            "academician": "академик",
            "minister": "министр",
            "mayor": "мэр",
            "ambassador": "посол",
            "consul_general": "генеральный консул",
            "president": "президент",
            "chair": "председатель",
        },
        plain="{courtesy} {name}",
        academic="{title} {name}",
        office="{courtesy} {title}",
        neutral="{full}",
        name=_family_in("CYRILLIC"),
        full=_full_in("CYRILLIC"),
        special={
            "he": {
                MALE: "Ваше Превосходительство",
                FEMALE: "Ваше Превосходительство",
                NEUTRAL: "Ваше Превосходительство",
            }
        },
    ),
    "ar": LanguageForms(
        opening={MALE: "{} المحترم", FEMALE: "{} المحترمة", NEUTRAL: "حضرة {}"},
        courtesy={MALE: "السيد", FEMALE: "السيدة"},
        titles={
            "dr": {MALE: "الدكتور", FEMALE: "الدكتورة"},
            "prof": {MALE: "الأستاذ الدكتور", FEMALE: "الأستاذة الدكتورة"},
            "academician": {MALE: "الأكاديمي", FEMALE: "الأكاديمية"},
            "minister": {MALE: "معالي الوزير", FEMALE: "معالي الوزيرة"},
            "mayor": {MALE: "سعادة رئيس البلدية", FEMALE: "سعادة رئيسة البلدية"},
            "ambassador": {MALE: "سعادة السفير", FEMALE: "سعادة السفيرة"},
            "consul_general": {MALE: "سعادة القنصل العام", FEMALE: "سعادة القنصلة العامة"},
            "president": {MALE: "السيد الرئيس", FEMALE: "السيدة الرئيسة"},
            "chair": {MALE: "السيد الرئيس", FEMALE: "السيدة الرئيسة"},
        },
        plain="{courtesy} {name}",
        academic="{title} {name}",
        office="{title} {name}",
        neutral="{full}",
        name=_family_in("ARABIC"),
        full=_full_in("ARABIC"),
        special={
            "he": {
                MALE: "صاحب السعادة {name}",
                FEMALE: "صاحبة السعادة {name}",
                NEUTRAL: "صاحب السعادة {name}",
            }
        },
    ),
    "ja": LanguageForms(
        # 様 follows the name; a title stands before it (役職 氏名 様), it is not dropped.
        opening={MALE: "{}", FEMALE: "{}", NEUTRAL: "{}"},
        courtesy={},
        titles={
            "dr": "博士",
            "prof": "教授",
            "academician": "院士",
            "minister": "大臣",
            "mayor": "市長",
            "ambassador": "大使",
            "consul_general": "総領事",
            "president": "会長",
            "chair": "議長",
        },
        plain="{name}様",
        academic="{title} {name}様",
        office="{title} {name}様",
        neutral="{name}様",
        name=_cjk_full,
        full=_cjk_full,
        special={"he": {MALE: "{name}閣下", FEMALE: "{name}閣下", NEUTRAL: "{name}閣下"}},
        formal="{title} {full}様",
    ),
    "ko": LanguageForms(
        opening={MALE: "존경하는 {}", FEMALE: "존경하는 {}", NEUTRAL: "존경하는 {}"},
        courtesy={},
        titles={
            "dr": "박사",
            "prof": "교수",
            "academician": "원사",
            "minister": "장관",
            "mayor": "시장",
            "ambassador": "대사",
            "consul_general": "총영사",
            "president": "회장",
            "chair": "의장",
        },
        plain="{name} 님",
        academic="{name} {title}님",
        office="{name} {title}님",
        neutral="{name} 님",
        name=_cjk_full,
        full=_cjk_full,
        special={"he": {MALE: "{name} 각하", FEMALE: "{name} 각하", NEUTRAL: "{name} 각하"}},
        formal="{full} {title}",
    ),
    "zh": LanguageForms(
        # Chinese puts the title after the name: 王伟教授, 李明市长, 王伟先生.
        opening={MALE: "尊敬的{}", FEMALE: "尊敬的{}", NEUTRAL: "尊敬的{}"},
        courtesy={MALE: "先生", FEMALE: "女士"},
        titles={
            "dr": "博士",
            "prof": "教授",
            "academician": "院士",
            "minister": "部长",
            "mayor": "市长",
            "ambassador": "大使",
            "consul_general": "总领事",
            "president": "主席",
            "chair": "主席",
            "he": "阁下",
        },
        plain="{name}{courtesy}",
        academic="{name}{title}",
        office="{name}{title}",
        neutral="{name}",
        name=_chinese_name,
        full=_chinese_name,
        formal="{full}{title}",
    ),
}


def forms_for(language: str | None) -> LanguageForms:
    """The table entry for a language code: exact (zh-hans), then its primary subtag (zh)."""
    code = (language or get_language() or "en").lower().replace("_", "-")
    return FORMS.get(code) or FORMS.get(code.split("-")[0]) or FORMS["en"]


def gender_of(person: Person) -> str:
    """The form of address: the person's own, else the one Mr or Ms implies."""
    gender = getattr(person, "gender", "") or ""
    if gender:
        return gender
    return {"mr": MALE, "ms": FEMALE}.get(person.honorific or "", NEUTRAL)


def _title(forms: LanguageForms, honorific: str, gender: str) -> str:
    title = forms.titles.get(honorific, "")
    if isinstance(title, dict):
        return title.get(gender, "")
    return title


def _fill(template: str, **values: str) -> str:
    text = template.format(**values)
    return " ".join(text.split()) if " " in template else text


def salutation(person: Person, language: str | None = None) -> str:
    """The opening of a letter to `person` in `language` (default: the active language), without
    the punctuation that follows it (the message supplies "," or "：")."""
    forms = forms_for(language)
    gender = gender_of(person)
    honorific = person.honorific or ""
    values = {"name": forms.name(person), "full": forms.full(person)}
    if honorific in forms.special:
        return _fill(forms.special[honorific][gender], **values)
    title = _title(forms, honorific, gender)
    courtesy = forms.courtesy.get(gender, "")
    if not title and gender == NEUTRAL:
        address = _fill(forms.neutral, **values)
    elif title and honorific in ACADEMIC:
        address = _fill(forms.academic, title=title, courtesy=courtesy, **values)
    elif title and honorific in OFFICE | {"he"}:
        address = _fill(forms.office, title=title, courtesy=courtesy, **values)
    else:
        address = _fill(forms.plain, courtesy=courtesy, **values)
    opening = forms.opening[gender]
    return opening.format(address).strip() if "{}" in opening else opening


def formal_name(person: Person, language: str | None = None) -> str:
    """Title and name as a heading says it: "Prof. Wang Wei", "王伟教授", "教授 田中太郎様"."""
    forms = forms_for(language)
    gender = gender_of(person)
    honorific = person.honorific or ""
    courtesy = forms.courtesy.get(gender, "")
    title = _title(forms, honorific, gender) or courtesy
    return _fill(forms.formal, title=title, courtesy=courtesy, full=forms.full(person))
