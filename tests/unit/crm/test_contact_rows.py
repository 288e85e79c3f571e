"""Column mapping and row normalisation: header sets of real exports, names, phones, emails,
and properties that hold for any input."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from crm.contact_rows import (
    LENIENT,
    STRICT,
    clean_text,
    guess_mapping,
    normalise_row,
    parse_phone_cell,
    split_chinese_name,
    split_name,
)

# The header row of Outlook's "Export to a file > Comma Separated Values".
_OUTLOOK = (
    "Title,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,Business Street,"
    "Business Street 2,Business Street 3,Business City,Business State,Business Postal Code,"
    "Business Country/Region,Home Street,Home Street 2,Home Street 3,Home City,Home State,"
    "Home Postal Code,Home Country/Region,Other Street,Other Street 2,Other Street 3,Other City,"
    "Other State,Other Postal Code,Other Country/Region,Assistant's Phone,Business Fax,"
    "Business Phone,Business Phone 2,Callback,Car Phone,Company Main Phone,Home Fax,Home Phone,"
    "Home Phone 2,ISDN,Mobile Phone,Other Fax,Other Phone,Pager,Primary Phone,Radio Phone,"
    "TTY/TDD Phone,Telex,Account,Anniversary,Assistant's Name,Billing Information,Birthday,"
    "Business Address PO Box,Categories,Children,Directory Server,E-mail Address,E-mail Type,"
    "E-mail Display Name,E-mail 2 Address,E-mail 2 Type,E-mail 2 Display Name,E-mail 3 Address,"
    "E-mail 3 Type,E-mail 3 Display Name,Gender,Government ID Number,Hobby,"
    "Home Address PO Box,Initials,Internet Free Busy,Keywords,Language,Location,"
    "Manager's Name,Mileage,Notes,Office Location,Organizational ID Number,Other Address PO Box,"
    "Priority,Private,Profession,Referred By,Sensitivity,Spouse,User 1,User 2,User 3,User 4,"
    "Web Page"
)
OUTLOOK = _OUTLOOK.split(",")
# Google Contacts' current export ("Google CSV").
_GOOGLE = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
    "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
    "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,"
    "E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Phone 2 - Label,Phone 2 - Value,Address 1 - Label,Address 1 - Formatted,"
    "Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,"
    "Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,Website 1 - Label,"
    "Website 1 - Value"
)
GOOGLE = _GOOGLE.split(",")


def mapped(headers):
    return dict(zip(headers, guess_mapping(headers), strict=True))


def test_outlook_export_maps_with_no_manual_work():
    m = mapped(OUTLOOK)
    assert m["Title"] == "honorific"
    assert (m["First Name"], m["Middle Name"], m["Last Name"]) == (
        "given_name",
        "middle_name",
        "family_name",
    )
    assert (m["Company"], m["Job Title"], m["Department"]) == (
        "organization",
        "job_title",
        "department",
    )
    assert m["E-mail Address"] == m["E-mail 2 Address"] == m["E-mail 3 Address"] == "email"
    assert m["E-mail Display Name"] == ""
    assert m["Mobile Phone"] == "phone_mobile"
    assert m["Business Phone"] == m["Company Main Phone"] == "phone_office"
    assert m["Home Phone"] == "phone_home"
    assert m["Business Fax"] == "phone_fax"
    assert m["Business City"] == "city"
    assert m["Business Country/Region"] == "country"
    assert m["Notes"] == "notes"
    assert m["Categories"] == "tags"


def test_google_export_maps_with_no_manual_work():
    m = mapped(GOOGLE)
    assert (m["First Name"], m["Last Name"], m["Name Prefix"]) == (
        "given_name",
        "family_name",
        "honorific",
    )
    assert (m["Organization Name"], m["Organization Title"]) == ("organization", "job_title")
    assert m["E-mail 1 - Value"] == m["E-mail 2 - Value"] == "email"
    assert m["Phone 1 - Label"] == "phone_label"
    assert m["Phone 1 - Value"] == "phone"
    assert m["Address 1 - City"] == "city"
    assert m["Address 1 - Country"] == "country"
    assert m["Labels"] == "tags"


def test_chinese_and_other_headers():
    m = mapped(
        [
            "姓名",
            "姓",
            "名",
            "手机",
            "电话",
            "邮箱",
            "单位",
            "职务",
            "国家/地区",
            "城市",
            "备注",
            "标签",
        ]
    )
    assert list(m.values()) == [
        "full_name",
        "family_name",
        "given_name",
        "phone_mobile",
        "phone",
        "email",
        "organization",
        "job_title",
        "country",
        "city",
        "notes",
        "tags",
    ]
    assert mapped(["Nachname", "Vorname", "Handy", "E-Mail-Adresse", "Firma"]) == {
        "Nachname": "family_name",
        "Vorname": "given_name",
        "Handy": "phone_mobile",
        "E-Mail-Adresse": "email",
        "Firma": "organization",
    }
    assert mapped(["Фамилия", "Имя", "Телефон"])["Фамилия"] == "family_name"


def test_chinese_names_split_family_first_with_compound_surnames():
    assert split_chinese_name("王伟") == ("王", "伟")
    assert split_chinese_name("欧阳娜娜") == ("欧阳", "娜娜")
    assert split_chinese_name("司马光") == ("司马", "光")
    assert split_chinese_name("諸葛亮") == ("諸葛", "亮")
    assert split_chinese_name("王 小明") == ("王", "小明")
    fields = split_name("欧阳娜娜")
    assert fields["family_name"] == "欧阳"
    assert fields["name_order"] == "family_first"


def test_latin_names_keep_their_particles_and_capitalised_family_names():
    assert split_name("Ludwig van Beethoven")["family_name"] == "van Beethoven"
    assert split_name("Charles de Gaulle")["family_name"] == "de Gaulle"
    assert split_name("Dr. Anna von Trapp")["honorific"] == "dr"
    fields = split_name("WANG Wei")
    assert (fields["family_name"], fields["given_name"], fields["name_order"]) == (
        "Wang",
        "Wei",
        "family_first",
    )
    product_export = split_name("王伟 (Wang Wei)")
    assert product_export["name_chinese"] == "王伟"
    assert product_export["name_latin"] == "Wang Wei"


def test_nfkc_and_whitespace():
    assert clean_text("　ＷＡＮＧ　Ｗｅｉ  ") == "WANG Wei"
    assert clean_text("ａｎｎａ＠ｅｘａｍｐｌｅ．ｏｒｇ") == "anna@example.org"
    assert clean_text(" a \n  b ", multiline=True) == "a\nb"


def test_a_phone_cell_with_several_numbers_and_extensions():
    phones, invalid = parse_phone_cell(
        "138 0013 8000 / (0574) 8718 0000 转 123、+49 171 1234567; 12", "CN", ""
    )
    assert [(p.e164, p.extension, p.kind) for p in phones] == [
        ("+8613800138000", "", "mobile"),
        ("+8657487180000", "123", "office"),
        ("+491711234567", "", "mobile"),
    ]
    assert invalid == ["12"]


def row(cells, headers, **kwargs):
    return normalise_row(cells, headers, guess_mapping(headers), number=2, **kwargs)


def test_the_rows_country_then_the_default_region_read_national_numbers():
    headers = ["Name", "Mobile", "Country"]
    assert row(["Hans Müller", "0171 1234567", "DE"], headers).phones[0].e164 == "+491711234567"
    assert (
        row(["Hans Müller", "0171 1234567", ""], headers, default_region="DE").phones[0].e164
        == "+491711234567"
    )
    by_org = normalise_row(
        ["Hans", "0171 1234567", "Kammer"],
        ["Name", "Mobile", "Company"],
        ["full_name", "phone_mobile", "organization"],
        number=2,
        organization_country=lambda name: "DE",
    )
    assert by_org.phones[0].e164 == "+491711234567"


def test_strict_rejects_a_row_with_any_invalid_field_lenient_drops_the_field():
    headers = ["姓名", "手机", "邮箱"]
    strict = row(
        ["王伟", "13800138000", "not-an-email"], headers, policy=STRICT, default_region="CN"
    )
    assert strict.rejected
    assert [i.code for i in strict.issues] == ["invalid_email"]
    lenient = row(
        ["王伟", "13800138000", "not-an-email"], headers, policy=LENIENT, default_region="CN"
    )
    assert not lenient.rejected
    assert lenient.emails == []
    assert lenient.issues[0].column == "邮箱"
    assert lenient.issues[0].value == "not-an-email"
    nothing_left = row(["王伟", "12", "bad@"], headers, policy=LENIENT)
    assert nothing_left.rejected
    assert "no_contact_method" in [i.code for i in nothing_left.issues]
    nameless = row(["", "13800138000", ""], headers, default_region="CN")
    assert nameless.rejected
    assert [i.code for i in nameless.issues] == ["missing_name"]


def test_cells_that_look_like_formulas_are_kept_verbatim():
    c = row(['=HYPERLINK("x")', "+8613800138000", "@wang"], ["Name", "Mobile", "Notes"])
    assert c.fields["name_latin"] == '=HYPERLINK("x")'
    assert c.fields["notes"] == "@wang"
    assert c.phones[0].e164 == "+8613800138000"


def test_a_name_longer_than_the_field_is_reported_and_notes_are_kept_whole():
    long = "x" * 20_000
    c = row(["Anna", long, "a@example.org"], ["Given name", "Notes", "Email"])
    assert c.fields["notes"] == long
    assert not c.rejected
    c = row([long, "a@example.org"], ["Last name", "Email"])
    assert c.rejected
    assert c.issues[0].code == "value_too_long"


@settings(deadline=None)
@given(st.text())
def test_clean_text_is_idempotent_nfkc_and_trimmed(text):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert unicodedata.is_normalized("NFKC", cleaned) or "  " not in cleaned


@settings(deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1))
def test_a_chinese_name_split_gives_back_the_whole_name(name):
    family, given_name = split_chinese_name(name)
    assert family + given_name == name
    assert family


@settings(deadline=None)
@given(st.text(max_size=60), st.sampled_from(["CN", "DE", "US", "", "JP"]))
def test_any_phone_cell_is_parsed_or_reported_never_an_error(text, region):
    phones, invalid = parse_phone_cell(text, region, "")
    assert all(p.e164.startswith("+") for p in phones)
    assert all(isinstance(part, str) and part for part in invalid)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(max_size=40), min_size=0, max_size=8),
    st.sampled_from([STRICT, LENIENT]),
)
def test_any_row_normalises_to_a_decision_never_an_error(cells, policy):
    headers = ["姓名", "手机", "邮箱", "国家", "标签", "备注"]
    candidate = row(cells, headers, policy=policy)
    if not candidate.blank and not candidate.rejected:
        assert candidate.emails or candidate.phones
    for issue in candidate.issues:
        assert issue.code
        assert issue.message


def test_a_name_with_an_invisible_control_character_is_refused():
    c = row(["Anna\u202eiL", "a@example.org"], ["Name", "Email"])
    assert c.rejected
    assert (c.issues[0].code, c.issues[0].column) == ("invisible_control_character", "Name")


def test_every_writing_of_a_number_gives_the_same_number_and_kind():
    writings = ["0574-8718 0000", "(0574) 87180000", "0574.8718.0000", "+86 574 8718 0000"]
    parsed = [parse_phone_cell(text, "CN", "")[0] for text in writings]
    assert {(p[0].e164, p[0].kind) for p in parsed} == {("+8657487180000", "office")}
    assert parse_phone_cell("+44 (0)20 7946 0958", "DE", "")[0][0].e164 == "+442079460958"
    # A landline in the mobile column is an office number; an invalid number is reported.
    assert parse_phone_cell("0574 8718 0000", "CN", "mobile")[0][0].kind == "office"
    assert parse_phone_cell("0574 8718", "CN", "")[1] == ["0574 8718"]
