"""Country names: the corrected Simplified Chinese names, the PRC convention, office overrides."""

import pytest
from django.utils import translation
from django_countries import countries

from crm.countries import CHINESE_CORRECTIONS, countries_override


@pytest.mark.parametrize(
    ("code", "chinese"),
    [
        ("WS", "萨摩亚"),  # shipped as 美属萨摩亚群岛, the name of American Samoa
        ("AS", "美属萨摩亚"),
        ("TJ", "塔吉克斯坦"),  # shipped 塔吉克斯斯坦
        ("NP", "尼泊尔"),  # shipped 尼珀尔
        ("BA", "波斯尼亚和黑塞哥维那"),  # shipped 波斯尼亚和黑塞哥维
        ("GF", "法属圭亚那"),  # shipped 法属奎亚那
        ("DM", "多米尼克"),  # shipped 多米尼加 (the Dominican Republic, 多米尼加共和国)
        ("DO", "多米尼加共和国"),
        ("MK", "北马其顿"),
    ],
)
def test_shipped_chinese_country_names_are_corrected(code, chinese):
    with translation.override("zh-hans"):
        assert countries.name(code) == chinese


def test_corrected_names_stay_translated_in_other_languages():
    with translation.override("de"):
        assert countries.name("TJ") == "Tadschikistan"
        assert countries.name("WS") == "Samoa"
    with translation.override("en"):
        assert countries.name("DM") == "Dominica"


def test_every_chinese_name_is_unique_and_has_no_stray_spaces():
    with translation.override("zh-hans"):
        names = [name for _code, name in countries]
    assert len(names) == len(set(names))
    assert all(name == name.strip() for name in names)


def test_prc_convention_names_hong_kong_macao_taiwan_and_lists_them_after_china():
    with translation.override("zh-hans"):
        assert [code for code, _name in list(countries)[:4]] == ["CN", "HK", "MO", "TW"]
        assert countries.name("TW") == "中国台湾"
    with translation.override("en"):
        assert countries.name("HK") == "Hong Kong, China"
    with translation.override("ru"):
        assert countries.name("MO") == "Макао (Китай)"


def test_office_names_override_per_language_and_can_remove_a_country():
    override, first = countries_override(
        "", {"XK": {"en": "Kosovo", "zh-hans": "科索沃"}, "AQ": None, "ws": "Samoa (Western)"}
    )
    assert first == []
    assert override["AQ"] is None
    assert "HK" not in override  # no convention: django-countries' own name
    with translation.override("zh-hans"):
        assert str(override["XK"]) == "科索沃"
        assert str(override["WS"]) == "萨摩亚"  # the correction stays for Chinese
    with translation.override("en"):
        assert str(override["XK"]) == "Kosovo"
        assert str(override["WS"]) == "Samoa (Western)"
    assert set(CHINESE_CORRECTIONS) <= set(override) | {"AQ"}


def test_an_unknown_convention_is_a_clear_error():
    with pytest.raises(ValueError, match="LIAISON_COUNTRY_CONVENTION"):
        countries_override("roc", {})


def test_imports_still_recognise_the_common_names():
    from crm.contact_rows import parse_country

    assert [parse_country(n) for n in ("Hong Kong", "Macau", "Taiwan", "塔吉克斯坦", "Samoa")] == [
        "HK",
        "MO",
        "TW",
        "TJ",
        "WS",
    ]
