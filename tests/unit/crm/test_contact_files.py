"""Reading contact files: each encoding, each format, and each kind of bad file."""

from __future__ import annotations

import codecs

import pytest
from openpyxl import Workbook

from crm.contact_files import ALL_SHEETS, FileProblem, inspect_file, iter_rows, sheet_and_row

HEADER = "姓名,手机,邮箱,单位,城市,备注\r\n"
ROWS = [
    "王伟,13800138000,wang.wei@example.cn,宁波市商务局,宁波,老朋友\r\n",
    "欧阳娜娜,13900139000,ouyang@example.cn,浙江大学,杭州,论坛嘉宾\r\n",
    "张三丰,13700137000,zhang@example.cn,武当山研究院,十堰,评委\r\n",
]
CHINESE = HEADER + "".join(ROWS)
TRADITIONAL = (
    "姓名,手機,郵箱,單位,城市,備註\r\n"
    "王偉,0912345678,wang@example.tw,臺北市政府,臺北,舊識\r\n"
    "歐陽娜娜,0922333444,ouyang@example.tw,國立臺灣大學,臺北,論壇嘉賓\r\n"
)
JAPANESE = (
    "氏名,携帯,メール,会社,市区町村,備考\r\n"
    "田中太郎,090-1234-5678,tanaka@example.jp,大阪商工会議所,大阪,展示会で名刺交換\r\n"
    "山田花子,080-2345-6789,yamada@example.jp,株式会社サンプル,東京,フォーラム登壇者\r\n"
)
RUSSIAN = (
    "Фамилия,Имя,Телефон,Почта,Город,Примечание\r\n"
    "Иванов,Иван,+7 912 345-67-89,ivanov@example.ru,Санкт-Петербург,Партнёр выставки\r\n"
    "Петрова,Мария,+7 921 765-43-21,petrova@example.ru,Москва,Приглашена на форум\r\n"
)


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "text", "expected"),
    [
        ("utf-8", CHINESE, "utf-8"),
        ("utf-8-sig", CHINESE, "utf-8-sig"),
        ("utf-16", CHINESE, "utf-16"),
        ("gb18030", CHINESE, "gb18030"),
        ("big5", TRADITIONAL, "big5"),
        ("shift_jis", JAPANESE, "shift_jis"),
        ("cp1251", RUSSIAN, "cp1251"),
    ],
)
def test_each_encoding_is_detected_and_read(tmp_path, encoding, text, expected):
    path = write(tmp_path, "contacts.csv", text.encode(encoding))
    info = inspect_file(path)
    assert codecs.lookup(info.encoding).name == codecs.lookup(expected).name
    rows = list(iter_rows(path, info))
    lines = text.strip().split("\r\n")
    assert info.headers == lines[0].split(",")
    assert [r.cells for r in rows] == [line.split(",") for line in lines[1:]]
    assert [r.number for r in rows] == list(range(2, len(lines) + 1))


def test_an_encoding_chosen_by_staff_overrides_detection(tmp_path):
    path = write(tmp_path, "c.csv", RUSSIAN.encode("cp1251"))
    info = inspect_file(path, encoding="cp1251")
    assert next(iter_rows(path, info)).cells[0] == "Иванов"


def test_a_wrong_encoding_choice_is_a_clear_message(tmp_path):
    path = write(tmp_path, "c.csv", CHINESE.encode("gb18030"))
    with pytest.raises(FileProblem) as problem:
        inspect_file(path, encoding="utf-8")
    assert problem.value.code == "wrong_encoding"
    assert "utf-8" in problem.value.message


def test_tsv_and_semicolon_csv(tmp_path):
    tsv = write(tmp_path, "c.tsv", b"Name\tEmail\nAnna Li\tanna@example.org\n")
    info = inspect_file(tsv)
    assert (info.format, info.headers) == ("tsv", ["Name", "Email"])
    semi = write(tmp_path, "c.csv", b"Name;Email\nAnna Li;anna@example.org\n")
    info = inspect_file(semi)
    assert next(iter_rows(semi, info)).cells == ["Anna Li", "anna@example.org"]


def test_line_breaks_inside_quoted_cells_stay_in_their_row(tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        b'Name,Notes,Email\n"Anna Li","line one\nline two",a@example.org\nBo,x,b@x.org\n',
    )
    rows = list(iter_rows(path, inspect_file(path)))
    assert rows[0].cells[1] == "line one\nline two"
    assert [r.number for r in rows] == [2, 3]  # spreadsheet rows, not physical lines


def test_extra_and_missing_columns_are_flagged_per_row(tmp_path):
    path = write(tmp_path, "c.csv", b"Name,Email\nAnna,a@x.org,surprise\nBo\nCy,c@x.org,\n")
    rows = list(iter_rows(path, inspect_file(path)))
    assert [r.problem for r in rows] == ["too_many_columns", "too_few_columns", ""]


def test_a_twenty_thousand_character_cell_is_kept_whole(tmp_path):
    long = "长" * 20_000
    path = write(tmp_path, "c.csv", f"Name,Notes\nAnna,{long}\n".encode())
    row = next(iter_rows(path, inspect_file(path)))
    assert row.cells[1] == long


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"\xef\xbb\xbf\r\n\r\n", "empty_file"),
        (bytes(range(256)) * 40, "binary_file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\xff" * 500, "binary_file"),
        (b",,,\nAnna,a@x.org\n", "no_header"),
    ],
)
def test_bad_files_get_a_code_and_a_message(tmp_path, content, code):
    path = write(tmp_path, "bad.csv", content)
    with pytest.raises(FileProblem) as problem:
        inspect_file(path)
    assert problem.value.code == code
    assert problem.value.message


def test_a_header_only_file_has_no_rows(tmp_path):
    path = write(tmp_path, "c.csv", b"Name,Email\r\n")
    assert list(iter_rows(path, inspect_file(path))) == []


def test_a_broken_xlsx_is_reported(tmp_path):
    path = write(tmp_path, "c.xlsx", b"PK\x03\x04 not really a zip")
    with pytest.raises(FileProblem) as problem:
        inspect_file(path)
    assert problem.value.code == "malformed_xlsx"


def test_xlsx_is_read_with_numbers_as_text_and_real_row_numbers(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "手机", "邮箱"])
    sheet.append(["王伟", 13800138000, "wang@example.cn"])
    sheet.append([None, None, None])
    sheet.append(["x", "+8613900139000", "li@example.cn"])
    sheet["A4"].value = "=1+1"
    sheet["A4"].data_type = "s"  # text that looks like a formula, as a CSV-made sheet has it
    path = tmp_path / "c.xlsx"
    workbook.save(path)
    info = inspect_file(path)
    assert (info.format, info.headers) == ("xlsx", ["姓名", "手机", "邮箱"])
    rows = list(iter_rows(path, info))
    assert rows[0].cells == ["王伟", "13800138000", "wang@example.cn"]
    assert rows[2].number == 4
    assert rows[2].cells[:2] == ["=1+1", "+8613900139000"]  # verbatim


VCARD_21 = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E4=BC=9F;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B=E4=BC=9F\r\n"
    "TEL;CELL:+86 138 0013 8000\r\n"
    "TEL;WORK;VOICE:+86 574 8718 0000\r\n"
    "EMAIL;INTERNET:wang.wei@example.cn\r\n"
    "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=AE=81=E6=B3=A2=E5=B8=82=E5=95=86=E5=8A=A1=E5=B1=80\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE:first line=0D=0A=\r\n"
    "second line\r\n"
    "END:VCARD\r\n"
)
VCARD_30 = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Müller;Hans;;Dr.;\r\n"
    "FN:Dr. Hans Müller\r\n"
    "ORG:Handelskammer Hamburg;Asien\r\n"
    "TITLE:Leiter Asien\r\n"
    "TEL;TYPE=CELL,VOICE:+49 171 1234567\r\n"
    "EMAIL;TYPE=INTERNET,PREF:hans.mueller@example.de\r\n"
    "ADR;TYPE=WORK:;;Adolphsplatz 1;Hamburg;;20457;Germany\r\n"
    "CATEGORIES:Roadshow,Hamburg\r\n"
    "END:VCARD\r\n"
)
VCARD_40 = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "FN:Tanaka Taro\r\n"
    "N:Tanaka;Taro;;;\r\n"
    "TEL;VALUE=uri;TYPE=cell:tel:+81-90-1234-5678\r\n"
    "EMAIL;TYPE=work:tanaka@example.jp\r\n"
    "UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\r\n"
    "END:VCARD\r\n"
)


def test_vcards_21_30_40_are_read(tmp_path):
    path = write(tmp_path, "phone.vcf", (VCARD_21 + VCARD_30 + VCARD_40).encode())
    info = inspect_file(path)
    assert info.format == "vcard"
    rows = {r.number: dict(zip(info.headers, r.cells, strict=True)) for r in iter_rows(path, info)}
    assert rows[1]["N:family"] == "王"
    assert rows[1]["FN"] == "王伟"
    assert rows[1]["TEL:mobile"] == "+86 138 0013 8000"
    assert rows[1]["TEL:work"] == "+86 574 8718 0000"
    assert rows[1]["ORG"] == "宁波市商务局"
    assert rows[1]["NOTE"].splitlines() == ["first line", "second line"]
    assert rows[2]["N:family"] == "Müller"
    assert rows[2]["N:prefix"] == "Dr."
    assert rows[2]["ADR:city"] == "Hamburg"
    assert rows[2]["ADR:country"] == "Germany"
    assert rows[2]["CATEGORIES"] == "Roadshow, Hamburg"
    assert rows[3]["TEL:mobile"] == "+81-90-1234-5678"
    assert rows[3]["UID"].startswith("urn:uuid:")


def test_a_malformed_vcard_is_reported_alone_by_its_ordinal(tmp_path):
    broken = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Broken\r\nthis line is not a property\r\nEND:VCARD\r\n"
    )
    path = write(tmp_path, "c.vcf", (VCARD_30 + broken + VCARD_40).encode())
    rows = list(iter_rows(path, inspect_file(path)))
    assert [r.problem for r in rows] == ["", "malformed_vcard", ""]
    assert rows[1].number == 2


def two_sheet_workbook(tmp_path):
    workbook = Workbook()
    first = workbook.active
    first.title = "Ningbo"
    first.append(["姓名", "手机", "邮箱"])
    first.append(["王伟", 13800138000, "wang@example.cn"])
    second = workbook.create_sheet("Beijing")
    second.append(["邮箱", "姓名", "部门"])  # the same columns in another order, and one more
    second.append(["li@example.cn", "李娜", "外事办"])
    second.append(["bad@", "赵敏", ""])
    workbook.create_sheet("Empty")
    path = tmp_path / "c.xlsx"
    workbook.save(path)
    return path


def test_a_workbook_lists_its_sheets_and_reads_the_one_chosen(tmp_path):
    path = two_sheet_workbook(tmp_path)
    info = inspect_file(path)
    assert (info.sheets, info.headers) == (["Ningbo", "Beijing", "Empty"], ["姓名", "手机", "邮箱"])
    beijing = inspect_file(path, sheet="Beijing")
    assert beijing.headers == ["邮箱", "姓名", "部门"]
    assert next((r.number, r.cells) for r in iter_rows(path, beijing)) == (
        2,
        ["li@example.cn", "李娜", "外事办"],
    )
    with pytest.raises(FileProblem) as problem:
        inspect_file(path, sheet="Shanghai")
    assert problem.value.code == "unknown_sheet"


def test_every_sheet_is_read_by_header_with_rows_numbered_per_sheet(tmp_path):
    path = two_sheet_workbook(tmp_path)
    info = inspect_file(path, sheet=ALL_SHEETS)
    rows = [(sheet_and_row(r.number), r.cells) for r in iter_rows(path, info)]
    assert rows == [
        ((0, 2), ["王伟", "13800138000", "wang@example.cn"]),
        ((1, 2), ["李娜", "", "li@example.cn"]),
        ((1, 3), ["赵敏", "", "bad@"]),
    ]


def test_a_file_is_read_through_a_function_that_opens_it(tmp_path):
    """How the import reads its upload: through Django's storage API (local disk or S3)."""
    path = two_sheet_workbook(tmp_path)
    csv_path = write(tmp_path, "c.csv", b"Name,Email\r\nAnna,anna@example.org\r\n")
    for source in (path, csv_path):
        info = inspect_file(lambda source=source: source.open("rb"), name=source.name)
        assert len(list(iter_rows(lambda source=source: source.open("rb"), info))) == 1
