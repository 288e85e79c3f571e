"""Search finds a person by any name form in any script, case- and accent-insensitive, by email
and by phone typed in any format."""

import pytest

from crm.models import Person
from crm.services.people import EmailInput, PersonInput, PhoneInput, create_person
from crm.services.search import search_people


@pytest.fixture
def people(db):
    def make(fields, emails=(), phones=()):
        return create_person(
            PersonInput(
                fields=fields,
                emails=[EmailInput(e) for e in emails],
                phones=[PhoneInput(p) for p in phones],
            )
        )

    return {
        "wang": make(
            {
                "family_name": "王",
                "given_name": "伟",
                "name_order": "family_first",
                "name_chinese": "王伟",
                "name_latin": "Wang Wei",
                "country": "CN",
            },
            emails=["Wang.Wei@Example.CN"],
            phones=["138 0013 8000"],
        ),
        "mueller": make(
            {"family_name": "Müller", "given_name": "Jürgen", "country": "DE"},
            emails=["j.mueller@example.de"],
            phones=["0171 1234567"],
        ),
        "ivanov": make(
            {"family_name": "Иванов", "given_name": "Сергей", "name_latin": "Sergei Ivanov"}
        ),
        "tanaka": make(
            {
                "family_name": "田中",
                "given_name": "太郎",
                "name_order": "family_first",
                "full_name_native": "田中太郎",
                "name_latin": "Tanaka Taro",
                "country": "JP",
            }
        ),
        "hashimi": make({"full_name_native": "محمد الهاشمي", "name_latin": "Mohammed Al-Hashimi"}),
        "kim": make({"family_name": "김", "given_name": "민준", "full_name_native": "김민준"}),
    }


def found(term):
    return set(search_people(Person.objects.all(), term).values_list("family_name", flat=True))


@pytest.mark.parametrize(
    ("term", "who"),
    [
        ("王伟", "王"),
        ("wang wei", "王"),
        ("WANGWEI", "王"),
        ("muller", "Müller"),
        ("MÜLLER", "Müller"),
        ("jurgen muller", "Müller"),
        ("иванов", "Иванов"),
        ("ИВАНОВ", "Иванов"),
        ("sergei", "Иванов"),
        ("田中太郎", "田中"),
        ("tanaka", "田中"),
        ("الهاشمي", ""),
        ("김민준", "김"),
    ],
)
def test_a_person_is_found_by_any_name_form_in_any_script(people, term, who):
    assert found(term) == {who}


@pytest.mark.parametrize(
    "term", ["wang.wei@example.cn", "WANG.WEI@EXAMPLE.CN", " Wang.Wei@Example.CN "]
)
def test_a_person_is_found_by_email_in_any_case(people, term):
    assert found(term) == {"王"}


@pytest.mark.parametrize(
    ("term", "who"),
    [
        ("+86 138 0013 8000", "王"),
        ("13800138000", "王"),
        ("138-0013-8000", "王"),
        ("+49 171 1234567", "Müller"),
        ("0049 171 1234567", "Müller"),
        ("1711234567", "Müller"),
    ],
)
def test_a_person_is_found_by_phone_typed_in_any_format(people, term, who):
    assert found(term) == {who}


def test_search_does_not_match_unrelated_people(people):
    assert found("nobody-like-this") == set()


@pytest.mark.django_db
def test_a_chinese_name_is_found_by_native_name_in_either_order_and_by_pinyin(officer):
    from crm.services.people import PersonInput, create_person

    chen = create_person(
        PersonInput(fields={"family_name": "陈", "given_name": "静"}), acting_user=officer
    )
    assert chen.full_name_native == "陈静"
    assert chen.name_latin == "Chen Jing"
    assert chen.composed_name == "陈静"
    for term in [
        "陈静",
        "静陈",
        "陳靜",
        "chen jing",
        "Jing Chen",
        "chenjing",
        "chén jìng",
        "chen2 jing4",
    ]:
        assert list(search_people(Person.objects.all(), term)) == [chen], term
