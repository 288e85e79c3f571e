"""Salutations per language and form of address (crm/salutations.py)."""

import pytest

from crm.models import Person
from crm.salutations import FORMS, formal_name, forms_for, salutation


def schaefer(**extra):
    return Person(family_name="Schäfer", given_name="Anja", **extra)


def becker(**extra):
    return Person(family_name="Becker", given_name="Thomas", **extra)


def wang(**extra):
    return Person(
        family_name="王",
        given_name="伟",
        name_latin="Wang Wei",
        name_chinese="王伟",
        name_order="family_first",
        **extra,
    )


@pytest.mark.parametrize(
    ("person", "language", "expected"),
    [
        # German: gendered opening, courtesy word beside an academic title or office
        (schaefer(gender="female", honorific="dr"), "de", "Sehr geehrte Frau Dr. Schäfer"),
        (becker(gender="male"), "de", "Sehr geehrter Herr Becker"),
        (becker(honorific="mr"), "de", "Sehr geehrter Herr Becker"),
        (schaefer(honorific="ms"), "de", "Sehr geehrte Frau Schäfer"),
        (
            schaefer(gender="female", honorific="mayor"),
            "de",
            "Sehr geehrte Frau Bürgermeisterin Schäfer",
        ),
        (becker(gender="male", honorific="prof"), "de", "Sehr geehrter Herr Prof. Becker"),
        (becker(), "de", "Guten Tag Thomas Becker"),
        (becker(honorific="dr"), "de", "Guten Tag Dr. Becker"),
        (becker(gender="male", honorific="he"), "de", "Exzellenz"),
        # Russian: уважаемый / уважаемая, господин / госпожа, titles without a courtesy word
        (
            Person(family_name="Иванов", given_name="Сергей", gender="male"),
            "ru",
            "Уважаемый господин Иванов",
        ),
        (
            Person(family_name="Смирнова", given_name="Ольга", gender="female"),
            "ru",
            "Уважаемая госпожа Смирнова",
        ),
        (
            Person(family_name="Смирнова", given_name="Ольга", gender="female", honorific="prof"),
            "ru",
            "Уважаемая профессор Смирнова",
        ),
        (becker(gender="male", honorific="minister"), "ru", "Уважаемый господин министр"),
        (Person(family_name="Смирнова", given_name="Ольга"), "ru", "Здравствуйте, Ольга Смирнова"),
        # Arabic: the name between courtesy/title and المحترم(ة)
        (
            Person(family_name="الهاشمي", given_name="محمد", gender="male"),
            "ar",
            "السيد الهاشمي المحترم",
        ),
        (
            Person(family_name="المنصوري", given_name="فاطمة", gender="female", honorific="dr"),
            "ar",
            "الدكتورة المنصوري المحترمة",
        ),
        (becker(gender="male", honorific="ambassador"), "ar", "سعادة السفير Becker المحترم"),
        (Person(family_name="المنصوري", given_name="فاطمة"), "ar", "حضرة فاطمة المنصوري"),
        # French: Madame / Monsieur with the office, no name; neutral "Madame, Monsieur"
        (schaefer(gender="female"), "fr", "Madame Schäfer"),
        (becker(gender="male", honorific="minister"), "fr", "Monsieur le Ministre"),
        (schaefer(gender="female", honorific="ambassador"), "fr", "Madame l'Ambassadrice"),
        (becker(), "fr", "Madame, Monsieur"),
        # Spanish
        (becker(gender="male"), "es", "Estimado Sr. Becker"),
        (schaefer(gender="female", honorific="dr"), "es", "Estimada Dra. Schäfer"),
        (schaefer(gender="female", honorific="mayor"), "es", "Estimada Sra. alcaldesa"),
        (becker(), "es", "Estimado/a Thomas Becker"),
        # Japanese: 様 after title and name, the title kept
        (Person(family_name="田中", given_name="太郎", honorific="prof"), "ja", "教授 田中太郎様"),
        (Person(family_name="佐藤", given_name="花子", gender="female"), "ja", "佐藤花子様"),
        (schaefer(gender="female", honorific="dr"), "ja", "博士 Anja Schäfer様"),
        # Korean
        (
            Person(family_name="김", given_name="민준", honorific="prof"),
            "ko",
            "존경하는 김민준 교수님",
        ),
        (Person(family_name="이", given_name="서연", gender="female"), "ko", "존경하는 이서연 님"),
        # Chinese: title after the name; 先生/女士 from the form of address
        (wang(honorific="prof"), "zh-hans", "尊敬的王伟教授"),
        (wang(gender="male"), "zh-hans", "尊敬的王伟先生"),
        (schaefer(gender="female"), "zh-hans", "尊敬的Anja Schäfer女士"),
        (wang(), "zh-hant", "尊敬的王伟"),
        # English
        (schaefer(gender="female"), "en", "Dear Ms Schäfer"),
        (wang(honorific="academician"), "en", "Dear Academician Wang"),
        (becker(honorific="he"), "en", "Your Excellency"),
        (becker(), "en", "Dear Thomas Becker"),
    ],
)
def test_salutation_per_language_and_form_of_address(person, language, expected):
    assert salutation(person, language) == expected


def test_no_language_writes_a_both_genders_placeholder():
    for gender in ("", "male", "female"):
        for code in FORMS:
            text = salutation(becker(gender=gender, honorific="mayor"), code)
            assert "(r)" not in text
            assert "(ая)" not in text
            assert "  " not in text


def test_an_unknown_language_uses_english_and_subtags_fall_back():
    assert forms_for("pt-br") is FORMS["en"]
    assert forms_for("zh-Hans") is FORMS["zh"]


def test_formal_name_keeps_the_title_in_each_language():
    assert formal_name(wang(honorific="prof"), "zh-hans") == "王伟教授"
    assert formal_name(wang(honorific="prof"), "en") == "Prof. Wang Wei"
    assert (
        formal_name(Person(family_name="田中", given_name="太郎", honorific="prof"), "ja")
        == "教授 田中太郎様"
    )
    assert formal_name(schaefer(gender="female"), "de") == "Frau Anja Schäfer"


@pytest.mark.django_db
def test_the_profile_page_previews_the_salutation_in_the_persons_language(client, officer):
    from tests.factories import PersonFactory

    person = PersonFactory(
        family_name="Schäfer",
        given_name="Anja",
        gender="female",
        honorific="dr",
        preferred_language="de",
        owner=officer,
    )
    client.force_login(officer)
    page = client.get(f"/admin/snippets/crm/person/inspect/{person.pk}/").content.decode()
    assert "Sehr geehrte Frau Dr. Schäfer" in page
    assert "尊敬的Anja Schäfer博士" in page
