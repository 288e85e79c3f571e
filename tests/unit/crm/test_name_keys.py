"""Name keys that survive scripts and name order (crm.names)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm import names

LATIN_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéèçñ", min_size=2, max_size=12)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("王伟", "Wang Wei"),
        ("王伟", "WEI Wang"),
        ("王伟", "wangwei"),
        ("張偉", "张伟"),
        ("張偉", "Zhang Wei"),
        ("Müller Hans", "Hans Mueller"),
        ("Иван Иванов", "Ivan Ivanov"),
        ("ИВАНОВ Иван", "ivanov ivan"),
        ("欧阳娜娜", "Nana Ouyang"),
        ("单雄信", "Shan Xiongxin"),
        ("Chén Jìng", "陈静"),
        ("chen2 jing4", "陈静"),
    ],
)
def test_one_name_in_two_scripts_or_orders_shares_a_key(one, other):
    assert names.full_name_keys(one) & names.full_name_keys(other)


def test_structured_chinese_name_meets_its_pinyin_in_either_order():
    keys = names.structured_name_keys("陈", "静")
    assert names.full_name_keys("Jing Chen") & keys
    assert names.full_name_keys("CHEN Jing") & keys
    assert names.structured_name_keys("Mueller", "Hans") & names.structured_name_keys(
        "Müller", "Hans"
    )


@pytest.mark.parametrize(("one", "other"), [("Müller", "Miller"), ("Li Na", "Li Nan")])
def test_different_names_do_not_share_a_key(one, other):
    assert not names.full_name_keys(one) & names.full_name_keys(other)


def test_homophones_in_han_share_the_pinyin_key_but_not_the_han_key():
    assert names.full_name_keys("王伟") == names.full_name_keys("汪伟")
    assert not names.han_keys(full="王伟") & names.han_keys(full="汪伟")
    assert names.han_keys(full="張偉") == names.han_keys("张", "伟")


def test_latin_form_of_a_chinese_name_is_family_first_pinyin():
    assert names.latin_name("陈", "静") == "Chen Jing"
    assert names.latin_name("欧阳", "娜娜") == "Ouyang Nana"
    assert names.latin_name("曾", "国藩") == "Zeng Guofan"
    assert names.latin_name("Smith", "Anna") == ""


def test_a_chinese_name_in_one_cell_splits_after_a_compound_family_name():
    assert names.split_chinese_name("欧阳娜娜") == ("欧阳", "娜娜")
    assert names.split_chinese_name("司馬光") == ("司馬", "光")
    assert names.split_chinese_name("陈静") == ("陈", "静")


@given(family=LATIN_WORD, given_name=LATIN_WORD)
def test_any_latin_name_keys_ignore_order_case_and_accents(family, given_name):
    keys = names.structured_name_keys(family, given_name)
    assert names.full_name_keys(f"{given_name.upper()} {family}") & keys
    assert names.full_name_keys(f"{family} {given_name.title()}") & keys


@given(
    family=st.sampled_from(["王", "張", "陈", "欧阳", "李", "劉", "單"]),
    given_name=st.text(alphabet="伟偉静靜娜明華华国國", min_size=1, max_size=2),
)
def test_any_chinese_name_meets_its_simplified_form_and_its_latin_form(family, given_name):
    keys = names.full_name_keys(family + given_name)
    assert keys == names.full_name_keys(names.to_simplified(family + given_name))
    latin = names.latin_name(family, given_name)
    assert names.full_name_keys(latin) & keys
    assert names.full_name_keys(" ".join(reversed(latin.split()))) & keys


def test_a_city_meets_its_pinyin():
    assert names.place_key("宁波市") == names.place_key("Ningbo") == "ningbo"


@pytest.mark.parametrize("written", ["Tanaka Taro", "TANAKA Tarou", "Taro Tanaka", "たなか たろう"])
def test_a_japanese_name_meets_its_romaji_in_either_spelling(written):
    assert names.structured_name_keys("田中", "太郎", japanese=True) & names.full_name_keys(written)
    assert names.full_name_keys("田中太郎", japanese=True) & names.full_name_keys(written)


def test_a_han_only_name_is_read_in_pinyin_unless_the_person_is_japanese():
    assert not names.structured_name_keys("田中", "太郎") & names.full_name_keys("Tanaka Taro")
    assert names.latin_name("田中", "太郎") == "Tianzhong Tailang"
    assert names.latin_name("田中", "太郎", japanese=True) == "Tanaka Taro"
    # Kana make a name Japanese whoever writes it.
    assert names.latin_name("なかむら", "ゆうき") == "Nakamura Yuki"


@pytest.mark.parametrize(
    ("typed", "passport"),
    [
        ("tarou", "taro"),
        ("oono", "ono"),
        ("yuuki", "yuki"),
        ("inoue", "inoue"),
        ("kouichi", "koichi"),
    ],
)
def test_long_vowels_are_unmarked_as_passports_write_them(typed, passport):
    assert names.passport_spelling(typed) == passport
