"""From a file's columns to a normalised contact: the column mapping guessed from headers (English,
Chinese and other common languages, Outlook and Google Contacts exports, the product's own
export), and the normalisation of one row (NFKC, whitespace, emails, several phones per cell,
names split by script). Pure helpers: no database access; what needs the database (an
organization's country) is passed in as a function.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from crm.identity import normalize_email
from crm.models.choices import Honorific, NameOrder, PhoneKind
from crm.models.validators import INVISIBLE_CONTROLS

from .contact_files import VCARD_COLUMNS

STRICT = "strict"
LENIENT = "lenient"

# Mapping targets: the value stored for a column, with the label staff see in the wizard.
TARGETS = {
    "": gettext_lazy("(ignore)"),
    "full_name": gettext_lazy("Full name"),
    "family_name": gettext_lazy("Family name"),
    "given_name": gettext_lazy("Given name"),
    "middle_name": gettext_lazy("Middle name"),
    "name_chinese": gettext_lazy("Chinese name"),
    "name_latin": gettext_lazy("Latin transliteration"),
    "full_name_native": gettext_lazy("Full name in native script"),
    "honorific": gettext_lazy("Honorific"),
    "job_title": gettext_lazy("Job title"),
    "organization": gettext_lazy("Organization"),
    "department": gettext_lazy("Department"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone (type from the number)"),
    "phone_mobile": gettext_lazy("Mobile phone"),
    "phone_office": gettext_lazy("Office phone"),
    "phone_home": gettext_lazy("Home phone"),
    "phone_fax": gettext_lazy("Fax"),
    "phone_label": gettext_lazy("Phone type (of the next phone column)"),
    "country": gettext_lazy("Country"),
    "city": gettext_lazy("City"),
    "notes": gettext_lazy("Notes"),
    "tags": gettext_lazy("Tags"),
    "preferred_language": gettext_lazy("Preferred language"),
    "external_id": gettext_lazy("External id"),
}

_SYNONYMS = {
    "full_name": "name fullname displayname contactname 姓名 名字 全名 氏名 фио nomcomplet"
    " nombrecompleto vollständigername fn",
    "family_name": "lastname surname familyname last 姓 姓氏 familienname nachname nom"
    " nomdefamille apellido apellidos фамилия cognome nfamily",
    "given_name": "firstname givenname first 名 vorname prenom prénom nombre имя nome ngiven",
    "middle_name": "middlename additionalname 中间名",
    "name_chinese": "chinesename 中文名 中文姓名",
    "name_latin": "latintransliteration englishname 英文名 拼音 pinyin 英文姓名",
    "full_name_native": "fullnameinnativescript 母语原文姓名",
    "honorific": "honorific nameprefix prefix salutation 称谓 称呼 anrede civilité tratamiento"
    " обращение nprefix",
    "job_title": "jobtitle position organizationtitle 职务 职位 头衔 beruf poste cargo"
    " должность 役職 role",
    "organization": "company organization organisation organizationname companyname 单位 公司"
    " 机构 工作单位 所在单位 firma unternehmen société societe empresa организация 会社 org",
    "department": "department organizationdepartment 部门 abteilung",
    "email": "email emailaddress mail emailvalue primaryemail 邮箱 电子邮件 电子邮箱 邮件"
    " 主要邮箱 emailadresse correo correoelectronico почта メール メールアドレス",
    "phone_mobile": "mobile mobilephone cell cellphone mobilenumber 手机 手机号 手机号码 移动电话"
    " handy mobil móvil movil мобильный 携帯 携帯電話 telmobile",
    "phone_office": "businessphone workphone officephone companymainphone 办公电话 单位电话"
    " 座机 工作电话 telwork",
    "phone_home": "homephone 家庭电话 住宅电话 telhome",
    "phone_fax": "fax businessfax homefax otherfax 传真",
    "phone": "phone telephone tel primaryphone otherphone phonevalue phonenumber 电话 电话号码"
    " 联系电话 联系方式 telefon téléphone telephone teléfono телефон 電話",
    "phone_label": "phonelabel phonetype",
    "country": "country countryregion businesscountryregion homecountryregion addresscountry"
    " countryofresidence 国家 国家地区 国别 land pays país pais страна 国 adrcountry",
    "city": "city businesscity homecity addresscity cityofresidence 城市 所在城市 居住城市 stadt"
    " ville ciudad город 市区町村 adrcity",
    "notes": "notes note comments comment remarks 备注 说明 notizen bemerkung remarques notas"
    " примечание 備考",
    "tags": "tags labels categories groupmembership 标签 分组 分类 kategorien",
    "preferred_language": "language preferredlanguage 语言 首选语言 sprache langue idioma",
    "external_id": "id externalid uid contactid 编号 外部编号 外部id",
}
_HEADER_INDEX = {word: target for target, words in _SYNONYMS.items() for word in words.split()}
_NON_LETTERS = re.compile(r"[\W\d_]+")


def header_key(header: str) -> str:
    """A header reduced for matching: NFKC, accents dropped, case-folded, letters only
    ("E-mail 2 Address" -> "emailaddress", "国家/地区" -> "国家地区")."""
    text = unicodedata.normalize("NFKD", header or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_LETTERS.sub("", unicodedata.normalize("NFKC", text).casefold())


def guess_mapping(headers: list[str]) -> list[str]:
    """A target (key of TARGETS) per column; "" where nothing fits. Outlook's "Title" is an
    honorific when the file also has a "Job Title" column."""
    keys = [header_key(h) for h in headers]
    mapping = [_HEADER_INDEX.get(k, "") for k in keys]
    if "title" in keys:
        mapping[keys.index("title")] = "honorific" if "jobtitle" in keys else "job_title"
    if headers == list(VCARD_COLUMNS):
        mapping = [_HEADER_INDEX.get(k, "") for k in keys]
        mapping[VCARD_COLUMNS.index("TITLE")] = "job_title"
    return mapping


def headers_signature(headers: list[str]) -> str:
    return "|".join(header_key(h) or "?" for h in headers)


# --- normalisation -----------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_EMAIL_SPLIT = re.compile(r"[;,，；、\s]+")
_PHONE_SPLIT = re.compile(r":::|[/、;；,，\n|]")
_TAG_SPLIT = re.compile(r":::|[,;，；、\n]")
_EXTENSION = re.compile(
    r"\s*(?:ext\.?|extension|x|#|转|轉|分机|分機|内线|內線)\s*(\d{1,10})\s*$", re.I
)
_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef·・ ]+$")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_PAREN = re.compile(r"^(?P<a>[^()（）]+?)\s*[(（](?P<b>[^()（）]+)[)）]$")

# Chinese compound (two-character) surnames, simplified and traditional.
_COMPOUND_SURNAMES_TEXT = (
    "欧阳 歐陽 司马 司馬 上官 诸葛 諸葛 东方 東方 皇甫 尉迟 尉遲 公孙 公孫 慕容 长孙 長孫 宇文"
    " 司徒 司空 夏侯 令狐 澹台 澹臺 独孤 獨孤 南宫 南宮 西门 西門 轩辕 軒轅 端木 百里 呼延 申屠"
    " 钟离 鍾離 闻人 聞人 万俟 萬俟 赫连 赫連 拓跋 太史 东郭 東郭 公冶 濮阳 濮陽 淳于 单于 單于"
    " 仲孙 仲孫 第五 梁丘 左丘 东门 東門 谷梁 穀梁 段干 百里 呼延 羊舌 微生 乐正 樂正 漆雕 宗政"
    " 亓官 司寇 子车 子車 颛孙 顓孫 巫马 巫馬 公西 壤驷 壤駟 公良 梁丘 公羊 即墨 "
)
COMPOUND_SURNAMES = frozenset(_COMPOUND_SURNAMES_TEXT.split())

HONORIFICS = {
    "mr": Honorific.MR,
    "mister": Honorific.MR,
    "herr": Honorific.MR,
    "m": Honorific.MR,
    "sr": Honorific.MR,
    "先生": Honorific.MR,
    "господин": Honorific.MR,
    "mrs": Honorific.MS,
    "ms": Honorific.MS,
    "miss": Honorific.MS,
    "frau": Honorific.MS,
    "mme": Honorific.MS,
    "sra": Honorific.MS,
    "女士": Honorific.MS,
    "小姐": Honorific.MS,
    "госпожа": Honorific.MS,
    "dr": Honorific.DR,
    "博士": Honorific.DR,
    "prof": Honorific.PROF,
    "professor": Honorific.PROF,
    "教授": Honorific.PROF,
    "academician": Honorific.ACADEMICIAN,
    "院士": Honorific.ACADEMICIAN,
    "he": Honorific.HE,
    "hisexcellency": Honorific.HE,
    "herexcellency": Honorific.HE,
    "minister": Honorific.MINISTER,
    "部长": Honorific.MINISTER,
    "mayor": Honorific.MAYOR,
    "市长": Honorific.MAYOR,
    "ambassador": Honorific.AMBASSADOR,
    "大使": Honorific.AMBASSADOR,
    "consulgeneral": Honorific.CONSUL_GENERAL,
    "总领事": Honorific.CONSUL_GENERAL,
    "president": Honorific.PRESIDENT,
    "chair": Honorific.CHAIR,
}
HONORIFICS.update({label.casefold().rstrip("."): value for value, label in Honorific.choices})

FIELD_LIMITS = {
    "family_name": 150,
    "given_name": 150,
    "full_name_native": 255,
    "name_chinese": 100,
    "name_latin": 255,
    "job_title": 255,
    "city": 120,
    "organization": 255,
    "department": 255,
    "external_id": 255,
}


def clean_text(value: str, *, multiline: bool = False) -> str:
    """NFKC (full-width letters, digits, ＠ and the ideographic space become ASCII), trimmed;
    whitespace collapsed to one space unless `multiline` (notes keep their line breaks)."""
    text = unicodedata.normalize("NFKC", value or "")
    if multiline:
        return "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines()).strip()
    return _SPACES.sub(" ", text).strip()


def is_han_name(text: str) -> bool:
    return bool(text) and bool(_HAN.match(text))


def split_chinese_name(text: str) -> tuple[str, str]:
    """(family, given) of a Chinese name written family-first: "王伟" -> ("王", "伟"),
    "欧阳娜娜" -> ("欧阳", "娜娜"); a space, when there is one, separates them."""
    text = text.strip()
    if " " in text:
        family, given = text.split(" ", 1)
        return family, given.replace(" ", "")
    if len(text) >= 3 and text[:2] in COMPOUND_SURNAMES:
        return text[:2], text[2:]
    if len(text) == 2 and text in COMPOUND_SURNAMES:
        return text, ""
    return text[:1], text[1:]


def split_name(full: str) -> dict[str, str]:
    """The name fields of a name written in one cell."""
    full = clean_text(full)
    if not full:
        return {}
    match = _PAREN.match(full)
    native, latin = (match.group("a").strip(), match.group("b").strip()) if match else ("", "")
    if match and not _LATIN_LETTER.search(native) and _LATIN_LETTER.search(latin):
        # "王伟 (Wang Wei)": how the product's own export writes a native and a Latin name.
        fields = split_name(native)
        fields["name_latin"] = latin
        return fields
    if is_han_name(full):
        compact = full
        family, given = split_chinese_name(compact)
        return {
            "family_name": family,
            "given_name": given,
            "name_chinese": compact.replace(" ", ""),
            "full_name_native": compact.replace(" ", ""),
            "name_order": NameOrder.FAMILY_FIRST,
        }
    from nameparser import HumanName

    parsed = HumanName(full)
    tokens = full.replace(",", " ").split()
    fields: dict[str, str] = {}
    # "WANG Wei", "MÜLLER Hans": the capitalised word is the family name, written first.
    if (
        "," not in full
        and len(tokens) >= 2
        and tokens[0].isupper()
        and len(tokens[0]) > 1
        and not any(t.isupper() for t in tokens[1:])
    ):
        fields.update(
            family_name=tokens[0].title(),
            given_name=" ".join(tokens[1:]),
            name_order=NameOrder.FAMILY_FIRST,
        )
    else:
        given = " ".join(p for p in (parsed.first, parsed.middle) if p)
        fields.update(family_name=parsed.last, given_name=given)
        if parsed.title:
            honorific = HONORIFICS.get(header_key(parsed.title))
            if honorific:
                fields["honorific"] = honorific
    if _LATIN_LETTER.search(full):
        fields["name_latin"] = full
    else:
        fields["full_name_native"] = full
    return {k: v for k, v in fields.items() if v}


@functools.lru_cache(maxsize=4096)
def parse_country(value: str) -> str | None:
    """ISO code of a country written as a code (CN, CHN) or a name in English or Chinese."""
    text = clean_text(value)
    if not text:
        return None
    if len(text) == 2 and text.upper() in dict(countries):
        return text.upper()
    if len(text) == 3 and text.isascii():
        code = countries.alpha2(text.upper())
        if code:
            return code
    aliases = {
        "中国大陆": "CN",
        "中华人民共和国": "CN",
        "大陆": "CN",
        "prc": "CN",
        "usa": "US",
        "uk": "GB",
        "香港": "HK",
        "澳门": "MO",
        "台湾": "TW",
        # the common names, whatever names the office's convention shows (crm/countries.py)
        "hong kong": "HK",
        "macao": "MO",
        "macau": "MO",
        "taiwan": "TW",
        "deutschland": "DE",
        "россия": "RU",
        "日本国": "JP",
        "韩国": "KR",
    }
    if text.casefold() in aliases:
        return aliases[text.casefold()]
    for language in ("en", "zh-hans", "zh-hant", "de", "fr", "ru", "ja", "es"):
        code = countries.by_name(text, language=language)
        if code:
            return code
    return None


@dataclass
class ParsedPhone:
    e164: str
    extension: str
    kind: str
    raw: str


def _phone_kind(number_type: int, target_kind: str) -> str:
    if target_kind == PhoneKind.MOBILE and number_type == phonenumbers.PhoneNumberType.FIXED_LINE:
        return PhoneKind.OFFICE  # a landline in the mobile column never identifies a person
    if target_kind:
        return target_kind
    if number_type == phonenumbers.PhoneNumberType.MOBILE:
        return PhoneKind.MOBILE
    if number_type == phonenumbers.PhoneNumberType.FIXED_LINE:
        return PhoneKind.OFFICE
    return PhoneKind.OTHER


# A number written with digits and punctuation only: parsed as its digits, so that the cache
# below serves every writing of it ("010-1234 5678", "(010) 12345678").
_PLAIN_NUMBER = re.compile(r"^\+?[0-9][0-9 ().\-/]*$")
_NUMBER_PUNCTUATION = str.maketrans("", "", " ().-/")


@functools.lru_cache(maxsize=16_384)
def _parse_number(text: str, region: str, kind: str) -> tuple[str, str, str] | None:
    """(E.164, extension, kind) of one number, or None when it is not a valid number. Cached:
    an office's switchboard, a re-imported file and an exported-then-imported one repeat their
    numbers. One type look-up answers both "valid?" (a number of no known type is invalid) and
    "mobile or office?" (phonenumbers' is_valid_number computes the same type again)."""
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return None
    number_type = phonenumbers.number_type(number)
    if number_type == phonenumbers.PhoneNumberType.UNKNOWN:
        return None
    extension = number.extension or ""
    number.extension = None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, extension, _phone_kind(number_type, kind)


def parse_phone_cell(
    value: str, region: str | None, kind: str = ""
) -> tuple[list[ParsedPhone], list[str]]:
    """Every number in a cell ("/", "、", ";", "," or Google's ":::" between them), parsed with
    `region` for national formats; extensions ("ext. 12", "x12", "转 12") kept apart.
    Returns (valid numbers, invalid parts)."""
    valid, invalid = [], []
    region = (region or "").upper()
    for part in _PHONE_SPLIT.split(clean_text(value)):
        part = part.strip()
        if not part:
            continue
        extension = ""
        match = _EXTENSION.search(part)
        if match and len(phonenumbers.normalize_digits_only(part[: match.start()])) >= 5:
            extension = match.group(1)
            part_number = part[: match.start()]
        else:
            part_number = part
        if _PLAIN_NUMBER.match(part_number):
            part_number = part_number.translate(_NUMBER_PUNCTUATION)
        parsed = _parse_number(part_number, region, kind)
        if parsed is None:
            invalid.append(part)
            continue
        e164, own_extension, phone_kind = parsed
        valid.append(
            ParsedPhone(e164=e164, extension=extension or own_extension, kind=phone_kind, raw=part)
        )
    return valid, invalid


@dataclass
class Issue:
    column: str
    value: str
    code: str
    message: str


@dataclass
class Candidate:
    """A row made ready to store: what the services write, and what was refused."""

    number: int
    fields: dict = field(default_factory=dict)
    emails: list[tuple[str, str]] = field(default_factory=list)  # (as written, identity)
    phones: list[ParsedPhone] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    organization: str = ""
    department: str = ""
    external_id: str = ""
    issues: list[Issue] = field(default_factory=list)
    rejected: bool = False
    blank: bool = False
    raw: object = None

    @property
    def mobile_numbers(self) -> list[str]:
        return [p.e164 for p in self.phones if p.kind == PhoneKind.MOBILE]

    @property
    def identities(self) -> list[str]:
        return [i for _, i in self.emails]


_PHONE_TARGETS = {
    "phone": "",
    "phone_mobile": PhoneKind.MOBILE,
    "phone_office": PhoneKind.OFFICE,
    "phone_home": PhoneKind.HOME,
    "phone_fax": PhoneKind.FAX,
}
_LABEL_KINDS = {
    "mobile": PhoneKind.MOBILE,
    "cell": PhoneKind.MOBILE,
    "手机": PhoneKind.MOBILE,
    "work": PhoneKind.OFFICE,
    "business": PhoneKind.OFFICE,
    "main": PhoneKind.OFFICE,
    "home": PhoneKind.HOME,
    "fax": PhoneKind.FAX,
    "workfax": PhoneKind.FAX,
    "homefax": PhoneKind.FAX,
}


def _problem_message(code: str, column: str, value: str) -> str:
    messages = {
        "invalid_email": _('"%(value)s" in column "%(column)s" is not a valid email address.'),
        "invalid_phone": _('"%(value)s" in column "%(column)s" is not a valid phone number.'),
        "invalid_country": _('"%(value)s" in column "%(column)s" is not a known country.'),
        "invalid_language": _('"%(value)s" in column "%(column)s" is not a site language.'),
        "value_too_long": _('The value in column "%(column)s" is too long (%(value)s characters).'),
        "missing_name": _("The row gives no name."),
        "no_contact_method": _("The row gives no valid email address or phone number."),
        "too_many_columns": _("The row has more cells (%(value)s) than the header has columns."),
        "too_few_columns": _("The row has fewer cells (%(value)s) than the header has columns."),
        "malformed_vcard": _("The vCard cannot be read: %(value)s"),
        "invisible_control_character": _(
            'The name in column "%(column)s" holds an invisible control character.'
        ),
    }
    template = messages.get(code, "%(value)s")
    return template % {"value": value, "column": column}


def normalise_row(
    cells: list[str],
    headers: list[str],
    mapping: list[str],
    *,
    number: int,
    policy: str = STRICT,
    default_region: str = "",
    organization_country: Callable[[str], str | None] = lambda name: None,
    row_problem: str = "",
    row_problem_detail: str = "",
    languages: frozenset[str] = frozenset(),
) -> Candidate:
    """One source row -> Candidate. Strict: any invalid field rejects the row. Lenient: the
    invalid field is dropped (and reported); the row stays if a name and a contact method do."""
    candidate = Candidate(number=number)
    problems: list[Issue] = []

    def problem(code: str, column: str = "", value: str = "") -> None:
        problems.append(Issue(column, value, code, _problem_message(code, column, value)))

    if row_problem == "malformed_vcard":
        problem("malformed_vcard", "", row_problem_detail)
        candidate.issues, candidate.rejected = problems, True
        return candidate
    values: dict[str, list[tuple[str, str, int]]] = {}
    for index, target in enumerate(mapping):
        if not target or index >= len(cells):
            continue
        raw = cells[index]
        text = clean_text(raw, multiline=target == "notes")
        if text:
            values.setdefault(target, []).append((text, headers[index], index))
    if not values and not any(clean_text(c) for c in cells):
        candidate.blank = True
        return candidate
    if row_problem:
        problem(row_problem, "", row_problem_detail)

    fields: dict[str, object] = {}
    columns: dict[str, str] = {}  # where each field came from, for the report

    def first(target: str) -> tuple[str, str] | None:
        found = values.get(target)
        return (found[0][0], found[0][1]) if found else None

    def put(target: str, value: str, column: str) -> None:
        limit = FIELD_LIMITS.get(target)
        if limit and len(value) > limit:
            problem("value_too_long", column, str(len(value)))
            return
        fields[target] = value
        columns[target] = column

    # Names: explicit columns win; a full name fills what they leave.
    for target in ("family_name", "given_name", "name_chinese", "name_latin", "full_name_native"):
        item = first(target)
        if item:
            put(target, *item)
    middle = first("middle_name")
    if middle and fields.get("given_name"):
        put("given_name", f"{fields['given_name']} {middle[0]}", middle[1])
    full = first("full_name")
    if full:
        explicit = bool(fields.get("family_name") or fields.get("given_name"))
        for key, value in split_name(full[0]).items():
            if key == "name_order":
                if not explicit:
                    fields["name_order"] = value
            elif (explicit and key in ("family_name", "given_name")) or fields.get(key):
                continue
            elif key in FIELD_LIMITS and len(value) > FIELD_LIMITS[key]:
                problem("value_too_long", full[1], str(len(value)))
            else:
                fields[key] = value
                columns[key] = full[1]
    family, given = str(fields.get("family_name", "")), str(fields.get("given_name", ""))
    if "name_order" not in fields and is_han_name(family + given):
        fields["name_order"] = NameOrder.FAMILY_FIRST
        if not fields.get("name_chinese"):
            fields["name_chinese"] = family + given
    honorific = first("honorific")
    if honorific:
        code = HONORIFICS.get(header_key(honorific[0]))
        if code:
            fields["honorific"] = code
    for target in ("job_title", "city"):
        item = first(target)
        if item:
            put(target, *item)
    notes = values.get("notes")
    if notes:
        fields["notes"] = "\n".join(v for v, _, _ in notes)
    language = first("preferred_language")
    if language:
        code = language[0].casefold().replace("_", "-")
        if languages and code not in languages:
            problem("invalid_language", language[1], language[0])
        else:
            fields["preferred_language"] = code
    country = first("country")
    if country:
        code = parse_country(country[0])
        if code:
            fields["country"] = code
        else:
            problem("invalid_country", country[1], country[0])
    organization = first("organization")
    if organization:
        if len(organization[0]) > FIELD_LIMITS["organization"]:
            problem("value_too_long", organization[1], str(len(organization[0])))
        else:
            candidate.organization = organization[0]
    department = first("department")
    if department and len(department[0]) <= FIELD_LIMITS["department"]:
        candidate.department = department[0]
    external = first("external_id")
    if external:
        if len(external[0]) > FIELD_LIMITS["external_id"]:
            problem("value_too_long", external[1], str(len(external[0])))
        else:
            candidate.external_id = external[0]
    for text, _column, _index in values.get("tags", []):
        for tag in _TAG_SPLIT.split(text):
            tag = tag.strip()
            if tag and not tag.startswith("*") and len(tag) <= 100 and tag not in candidate.tags:
                candidate.tags.append(tag)

    # Emails
    seen = set()
    for text, column, _index in values.get("email", []):
        for part in _EMAIL_SPLIT.split(text):
            if not part:
                continue
            part = part.removeprefix("mailto:")
            try:
                validate_email(part)
            except ValidationError:
                problem("invalid_email", column, part)
                continue
            identity = normalize_email(part)
            if identity not in seen:
                seen.add(identity)
                candidate.emails.append((part, identity))

    # Phones: the row's country, else the organization's, else the import's default region.
    region = str(fields.get("country") or "")
    if not region and candidate.organization:
        region = organization_country(candidate.organization) or ""
    region = region or default_region
    labels = {index: text for text, _c, index in values.get("phone_label", [])}
    numbers = set()
    for target, target_kind in _PHONE_TARGETS.items():
        for text, column, index in values.get(target, []):
            kind = target_kind
            if not kind and (index - 1) in labels:
                kind = _LABEL_KINDS.get(header_key(labels[index - 1]), "")
            valid, invalid = parse_phone_cell(text, region, kind)
            for part in invalid:
                problem("invalid_phone", column, part)
            for phone in valid:
                if (phone.e164, phone.extension) not in numbers:
                    numbers.add((phone.e164, phone.extension))
                    candidate.phones.append(phone)

    # Zero-width and bidirectional controls hide or reorder a name on screen ("Trojan Source").
    for key in ("family_name", "given_name", "name_chinese", "name_latin", "full_name_native"):
        value = str(fields.get(key) or "")
        if INVISIBLE_CONTROLS.search(value):
            problem("invisible_control_character", columns.get(key, ""), value)
            fields.pop(key)
    has_name = any(
        fields.get(k)
        for k in ("family_name", "given_name", "name_chinese", "name_latin", "full_name_native")
    )
    candidate.fields = fields
    rejected = bool(problems) and policy == STRICT
    if not has_name:
        problem("missing_name", "", "")
        rejected = True
    if not candidate.emails and not candidate.phones:
        problem("no_contact_method", "", "")
        rejected = True
    candidate.issues = problems
    candidate.rejected = rejected
    return candidate
