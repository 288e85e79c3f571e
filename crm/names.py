"""Names across scripts: which order a name is written in, its Latin form, and the keys under
which two spellings of one name meet.

- Han names are converted to simplified characters (OpenCC, "t2s": 張偉 -> 张伟) and read in
  pinyin (pypinyin) with the surname readings of polyphonic family names (单 is Shan, 曾 is Zeng).
- Japanese names are read with cutlet (MeCab with the UniDic-lite dictionary) in Hepburn romaji,
  in two spellings: as typed on a keyboard (田中太郎 -> "tanaka tarou") and as a passport writes it,
  long vowels unmarked ("Tanaka Taro"). A name written in Han characters only is ambiguous (田中
  is also Chinese "Tian Zhong"): it is read in Japanese when it holds kana, or when the person is
  known as Japanese (country JP or a Japanese preferred language: `japanese=True`), else in pinyin.
- Every other script is transliterated to ASCII with anyascii (Иванов -> Ivanov, Ελένη -> Eleni),
  German umlauts both ways (Müller is Muller and Mueller).
- A name key is the name's folded letters run together, in every rotation of its words, so
  "王伟", "Wang Wei", "WEI Wang" and "wangwei" all share the key "wangwei".

Pure functions, no database: crm.services.dedupe stores the keys, crm.services.search the
search forms."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_CJK = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff]"
)
_KANA = re.compile(r"[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_NOT_KEY = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_TONE_DIGITS = re.compile(r"(?<=[a-zü])[1-5](?=\s|$|[a-z])", re.IGNORECASE)

# Two-character family names (复姓): a one-cell Chinese name starting with one is split after it.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "令狐",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "端木",
        "独孤",
        "南宫",
        "万俟",
        "闻人",
        "澹台",
        "公冶",
        "太史",
        "申屠",
        "钟离",
        "西门",
        "东郭",
        "百里",
        "呼延",
        "拓跋",
        "赫连",
        "左丘",
        "公羊",
        "谷梁",
    ]
)
# Family names read differently from the same character in ordinary words (pypinyin reads the
# common word reading: 单 "dan", 曾 "ceng").
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "仇": "qiu",
    "解": "xie",
    "查": "zha",
    "朴": "piao",
    "区": "ou",
    "盖": "ge",
    "乐": "yue",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "召": "shao",
    "员": "yun",
    "种": "chong",
    "秘": "bi",
    "任": "ren",
    "华": "hua",
    "纪": "ji",
    "沈": "shen",
    "繁": "po",
    "句": "gou",
    "阚": "kan",
    "尉迟": "yuchi",
    "万俟": "moqi",
    "长孙": "zhangsun",
}
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def has_han(text: str) -> bool:
    return bool(_HAN.search(text or ""))


def is_cjk(text: str) -> bool:
    """Written in a CJK script (Han, kana, Hangul), where the family name comes first."""
    text = text or ""
    return bool(_CJK.search(text)) and not _LATIN_LETTER.search(text)


def has_kana(text: str) -> bool:
    return bool(_KANA.search(text or ""))


def reads_japanese(text: str, japanese: bool = False) -> bool:
    """Whether a name is read in Japanese: it holds kana, or it is Han written by a person known
    as Japanese."""
    return has_kana(text) or (japanese and has_han(text))


@lru_cache(maxsize=1)
def _cutlet():
    import cutlet

    return cutlet.Cutlet()


@lru_cache(maxsize=20_000)
def japanese_words(text: str) -> tuple[str, ...]:
    """The Hepburn romaji of a Japanese name, lower case, one item per word as MeCab splits it
    (田中太郎 -> ("tanaka", "tarou"))."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", text or "")).strip()
    if not text:
        return ()
    words: list[str] = []
    for part in text.split(" "):
        words += _fold_ascii(_cutlet().romaji(part)).split()
    return tuple(w for w in words if w)


# A long vowel, unless its second letter starts a syllable of its own (井上 i-no-u-e, "Inoue").
_LONG_VOWEL = re.compile(r"(o)[ou](?![ae])|(u)u(?![ae])")


def passport_spelling(word: str) -> str:
    """Romaji as passports and most Latin-script writing give it, long vowels unmarked:
    "tarou" -> "taro", "oono" -> "ono", "yuuki" -> "yuki" ("inoue" stays)."""
    return _LONG_VOWEL.sub(lambda m: m.group(1) or m.group(2), word)


def _japanese_part(text: str) -> str:
    return "".join(japanese_words(text))


def is_chinese(text: str) -> bool:
    """Han characters only (no kana, Hangul or Latin letters): read in pinyin."""
    text = _SPACES.sub("", text or "")
    return bool(text) and all(_HAN.match(ch) or ch in "·・" for ch in text)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters to simplified (張偉 -> 张伟); other text unchanged."""
    if not has_han(text):
        return text or ""
    return _t2s().convert(text)


def split_chinese_name(full: str) -> tuple[str, str]:
    """A Chinese name in one cell, family first: 欧阳娜娜 -> (欧阳, 娜娜), 陈静 -> (陈, 静)."""
    full = _SPACES.sub("", full or "")
    if len(full) < 2:
        return full, ""
    size = 2 if to_simplified(full[:2]) in COMPOUND_SURNAMES and len(full) > 2 else 1
    return full[:size], full[size:]


def _pinyin_syllables(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    syllables: list[str] = []
    for item in lazy_pinyin(to_simplified(text), errors=lambda chars: [anyascii(chars)]):
        syllables.extend(_fold_ascii(item).split())
    return syllables


def surname_pinyin(family: str) -> str:
    simplified = to_simplified(_SPACES.sub("", family or ""))
    if simplified in SURNAME_READINGS:
        return SURNAME_READINGS[simplified]
    if len(simplified) == 2 and simplified[0] in SURNAME_READINGS and simplified[1] not in "氏":
        return SURNAME_READINGS[simplified[0]] + "".join(_pinyin_syllables(simplified[1:]))
    return "".join(_pinyin_syllables(simplified))


def given_pinyin(given: str) -> str:
    return "".join(_pinyin_syllables(given))


def latin_name(family: str, given: str, *, japanese: bool = False) -> str:
    """The Latin form of a Chinese or Japanese name, family first: 陈, 静 -> "Chen Jing";
    欧阳, 娜娜 -> "Ouyang Nana"; 田中, 太郎 (Japanese) -> "Tanaka Taro". Empty when neither
    part is Han or kana."""
    if reads_japanese(family + given, japanese):
        parts = [passport_spelling(_japanese_part(p)).capitalize() for p in (family, given)]
        return " ".join(p for p in parts if p)
    if not (has_han(family) or has_han(given)):
        return ""
    parts = [surname_pinyin(family).capitalize(), given_pinyin(given).capitalize()]
    return " ".join(p for p in parts if p)


def _fold_ascii(text: str) -> str:
    folded = anyascii(unicodedata.normalize("NFKC", text or "")).lower()
    return _SPACES.sub(" ", _NOT_KEY.sub(" ", folded)).strip()


def ascii_forms(text: str) -> list[str]:
    """Lower-case ASCII forms of a non-Han name: "Müller" -> ["muller", "mueller"]."""
    forms = [_fold_ascii(text)]
    german = _fold_ascii((text or "").translate(_UMLAUTS))
    if german not in forms:
        forms.append(german)
    return [f for f in forms if f]


def strip_tone_numbers(text: str) -> str:
    """ "chen2 jing4" -> "chen jing" (tone marks as digits, as some people type pinyin)."""
    return _TONE_DIGITS.sub("", text or "")


def _rotations(words: list[str]) -> list[str]:
    if not words:
        return []
    words = words[:6]
    return ["".join(words[i:] + words[:i]) for i in range(len(words))]


def full_name_keys(text: str, *, japanese: bool = False) -> set[str]:
    """Keys of a name written in one string ("王伟", "Wang Wei", "WEI Wang", "Ivanov Ivan",
    "田中太郎" of a Japanese person)."""
    text = (text or "").strip()
    if not text:
        return set()
    if reads_japanese(text, japanese) and not _LATIN_LETTER.search(text):
        words = list(japanese_words(text))
        return set(_rotations(words)) | set(_rotations([passport_spelling(w) for w in words]))
    if has_han(text) and not _LATIN_LETTER.search(text):
        family, given = split_chinese_name(text)
        return structured_name_keys(family, given)
    keys: set[str] = set()
    for form in ascii_forms(strip_tone_numbers(text)):
        keys.update(_rotations(form.split()))
    return keys


def structured_name_keys(family: str, given: str, *, japanese: bool = False) -> set[str]:
    """Keys of a name given as family and given name, in either order."""
    family, given = (family or "").strip(), (given or "").strip()
    if reads_japanese(family + given, japanese):
        fam, giv = _japanese_part(family), _japanese_part(given)
        fams = list(dict.fromkeys([fam, passport_spelling(fam)])) if fam else [""]
        givs = list(dict.fromkeys([giv, passport_spelling(giv)])) if giv else [""]
    elif has_han(family) or has_han(given):
        fams = [surname_pinyin(family)] if family else [""]
        givs = [given_pinyin(given)] if given else [""]
    else:
        fams = [f.replace(" ", "") for f in ascii_forms(family)] or [""]
        givs = [g.replace(" ", "") for g in ascii_forms(given)] or [""]
    keys = set()
    for fam in fams:
        for giv in givs:
            if fam or giv:
                keys.add(fam + giv)
                keys.add(giv + fam)
    return keys


def family_key(family: str, given: str = "", full: str = "", *, japanese: bool = False) -> str:
    """The family name alone, folded across scripts: the block within which similar names are
    compared ("陈" and "Chen" -> "chen")."""
    family = (family or "").strip()
    if not family and full and has_han(full) and not _LATIN_LETTER.search(full):
        family, _ = split_chinese_name(full)
    if not family:
        return ""
    if reads_japanese(family, japanese):
        return passport_spelling(_japanese_part(family))
    if has_han(family):
        return surname_pinyin(family)
    forms = ascii_forms(family)
    return forms[-1].replace(" ", "") if forms else ""


def place_key(text: str) -> str:
    """A city folded across scripts: "宁波" and "Ningbo" -> "ningbo"."""
    text = (text or "").strip()
    if not text:
        return ""
    if has_han(text):
        return "".join(_pinyin_syllables(text.removesuffix("市")))
    return _fold_ascii(text).replace(" ", "")


def han_keys(family: str = "", given: str = "", full: str = "") -> set[str]:
    """The Han characters of a Chinese name, simplified, in either order. Pinyin keys make 王伟
    and 汪伟 one name ("wangwei"); these tell them apart when both sides are written in Han."""
    keys: set[str] = set()
    family, given = (family or "").strip(), (given or "").strip()
    if has_han(family + given) and not _LATIN_LETTER.search(family + given):
        family, given = to_simplified(family), to_simplified(given)
        keys |= {family + given, given + family}
    full = _SPACES.sub("", full or "")
    if has_han(full) and not _LATIN_LETTER.search(full):
        fam, giv = split_chinese_name(to_simplified(full))
        keys |= {fam + giv, giv + fam}
    return {k for k in keys if k}
