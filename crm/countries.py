"""Country names as the office writes them, through django-countries' own settings
(COUNTRIES_OVERRIDE, COUNTRIES_FIRST): config/settings/base.py calls `countries_override()`.

Two layers, both keyed by ISO code so that adding a country or a language touches one entry:

- CHINESE_CORRECTIONS: django-countries 9.1 ships wrong Simplified Chinese names:
  萨摩亚 appears as 美属萨摩亚群岛; 塔吉克斯斯坦, 尼珀尔, 波斯尼亚和黑塞哥维,
  法属奎亚那 are misspelt; 多米尼加 stands for Dominica, 马其顿 for North Macedonia.
  Each was checked against CLDR (Babel's zh_Hans territory names) and the PRC
  Ministry of Foreign Affairs' country list; corrected for every install.
- CONVENTIONS["prc"]: the names a Chinese government office uses for Hong Kong, Macao and
  Taiwan, in every language, and those three listed after China (LIAISON_COUNTRY_CONVENTION;
  default "prc", empty for django-countries' names).
- LIAISON_COUNTRY_NAMES (JSON): the office's own names per code and language, applied last;
  null removes a country from the lists.
"""

from __future__ import annotations

from django.utils.functional import lazy

# code -> (English name as django-countries has it, corrected Simplified Chinese name)
CHINESE_CORRECTIONS: dict[str, tuple[str, str]] = {
    "WS": ("Samoa", "萨摩亚"),
    "AS": ("American Samoa", "美属萨摩亚"),
    "TJ": ("Tajikistan", "塔吉克斯坦"),
    "NP": ("Nepal", "尼泊尔"),
    "BA": ("Bosnia and Herzegovina", "波斯尼亚和黑塞哥维那"),
    "GF": ("French Guiana", "法属圭亚那"),
    "DM": ("Dominica", "多米尼克"),  # not 多米尼加, the short name of the Dominican Republic
    "MK": ("North Macedonia", "北马其顿"),
    "BW": ("Botswana", "博茨瓦纳"),
    "KG": ("Kyrgyzstan", "吉尔吉斯斯坦"),
    "MP": ("Northern Mariana Islands", "北马里亚纳群岛"),
    "PN": ("Pitcairn", "皮特凯恩群岛"),
    "SJ": ("Svalbard and Jan Mayen", "斯瓦尔巴和扬马延"),  # shipped with a leading space
    "CC": ("Cocos (Keeling) Islands", "科科斯（基林）群岛"),
}

# convention -> ({code: {language: name}}, codes listed first)
CONVENTIONS: dict[str, tuple[dict[str, dict[str, str]], list[str]]] = {
    "prc": (
        {
            "HK": {
                "zh-hans": "中国香港",
                "zh-hant": "中國香港",
                "en": "Hong Kong, China",
                "de": "Hongkong, China",
                "fr": "Hong Kong (Chine)",
                "es": "Hong Kong (China)",
                "ja": "中国香港",
                "ru": "Гонконг (Китай)",
                "ar": "هونغ كونغ، الصين",
            },
            "MO": {
                "zh-hans": "中国澳门",
                "zh-hant": "中國澳門",
                "en": "Macao, China",
                "de": "Macau, China",
                "fr": "Macao (Chine)",
                "es": "Macao (China)",
                "ja": "中国マカオ",
                "ru": "Макао (Китай)",
                "ar": "ماكاو، الصين",
            },
            "TW": {
                "zh-hans": "中国台湾",
                "zh-hant": "中國台灣",
                "en": "Taiwan, China",
                "de": "Taiwan, China",
                "fr": "Taïwan (Chine)",
                "es": "Taiwán (China)",
                "ja": "中国台湾",
                "ru": "Тайвань (Китай)",
                "ar": "تايوان، الصين",
            },
        },
        ["CN", "HK", "MO", "TW"],
    ),
    "": ({}, []),
}


def _name(code: str, names: dict[str, str], english: str | None) -> str:
    """The name in the active language: the table's, else django-countries' own translation of
    the English name (its catalogue is part of Django's)."""
    from django.utils.translation import get_language, gettext

    language = (get_language() or "en").lower()
    for key in (language, language.split("-")[0]):
        if key in names:
            return names[key]
    return gettext(english or names.get("en") or code)


_lazy_name = lazy(_name, str)


def countries_override(
    convention: str, office_names: dict[str, dict[str, str] | str | None]
) -> tuple[dict, list[str]]:
    """COUNTRIES_OVERRIDE and COUNTRIES_FIRST for django-countries."""
    if convention not in CONVENTIONS:
        raise ValueError(f"LIAISON_COUNTRY_CONVENTION: unknown convention {convention!r}")
    table: dict[str, tuple[dict[str, str], str | None]] = {
        code: ({"zh-hans": chinese, "zh": chinese}, english)
        for code, (english, chinese) in CHINESE_CORRECTIONS.items()
    }
    names, first = CONVENTIONS[convention]
    for code, by_language in names.items():
        table[code] = (dict(by_language), by_language.get("en"))
    override: dict[str, object] = {}
    for code, value in office_names.items():
        code = code.upper()
        if value is None:
            override[code] = None
            table.pop(code, None)
            continue
        by_language = {"en": value} if isinstance(value, str) else dict(value)
        previous, english = table.get(code, ({}, None))
        table[code] = ({**previous, **by_language}, by_language.get("en", english))
    for code, (by_language, english) in table.items():
        override[code] = _lazy_name(code, by_language, english)
    return override, list(first)
