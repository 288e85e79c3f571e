"""Badge PDFs: a guest's name in its own script and in Latin, honorific, organization, tier colour
and the signed check-in QR code, one badge per page (A6 portrait, the common badge-holder insert).

Text goes through fpdf2 with its HarfBuzz shaping engine (uharfbuzz), so Arabic is joined and
laid out right to left, Thai and Devanagari marks combine, and CJK uses the regional glyph forms
of the guest's language (Japanese names from the JP face, Korean from KR, and so on). Fonts are
the Noto families from Debian's `fonts-noto-core` and `fonts-noto-cjk` packages (installed by
`make test` and the Dockerfile); `BADGE_FONT_DIRS` points elsewhere if needed.

Each string is set in the first face whose character map covers all of it (`FontBook.face_for`):
fpdf2's own per-glyph fallback loses the font selection of later lines when shaping is on, and a
name mixing scripts is rare enough that one covering face (CJK faces include Latin) serves.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

# fontTools logs every subsetting step at INFO, hundreds of lines per badge batch.
logging.getLogger("fontTools").setLevel(logging.WARNING)
logger = logging.getLogger(__name__)

# (face name, file, index in a TrueType collection); order = preference when several cover a text.
_FACES = [
    ("latin", "truetype/noto/NotoSans-Regular.ttf", 0),
    ("latin-bold", "truetype/noto/NotoSans-Bold.ttf", 0),
    ("arabic", "truetype/noto/NotoNaskhArabic-Regular.ttf", 0),
    ("arabic-bold", "truetype/noto/NotoNaskhArabic-Bold.ttf", 0),
    ("hebrew", "truetype/noto/NotoSansHebrew-Regular.ttf", 0),
    ("thai", "truetype/noto/NotoSansThai-Regular.ttf", 0),
    ("devanagari", "truetype/noto/NotoSansDevanagari-Regular.ttf", 0),
    ("cjk-sc", "opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("cjk-tc", "opentype/noto/NotoSansCJK-Regular.ttc", 3),
    ("cjk-jp", "opentype/noto/NotoSansCJK-Regular.ttc", 0),
    ("cjk-kr", "opentype/noto/NotoSansCJK-Regular.ttc", 1),
]
# CJK names use the regular weight at a large size: each CJK face fpdf2 embeds is parsed whole
# (about 60 MB of memory each), so a bold set would double the cost of a batch.
# The CJK face whose glyph forms a language expects; others fall back to Simplified Chinese.
_CJK_BY_LANGUAGE = {"ja": "cjk-jp", "ko": "cjk-kr", "zh-hant": "cjk-tc", "zh-hk": "cjk-tc"}

PAGE_SIZE_MM = (105, 148)  # A6 portrait


class MissingFontError(RuntimeError):
    """A font file the badges need is not installed (install Debian's fonts-noto-core and
    fonts-noto-cjk)."""


@dataclass(frozen=True)
class Badge:
    """What one badge shows. Strings are already in the badge's language (honorific)."""

    native_name: str
    latin_name: str = ""
    honorific: str = ""
    organization: str = ""
    tier_label: str = ""
    tier_colour: str = "#1f4e79"
    qr_payload: str = ""
    language: str = "en"
    event_title: str = ""


def _font_dirs() -> list[Path]:
    dirs = getattr(settings, "BADGE_FONT_DIRS", None) or ["/usr/share/fonts"]
    return [Path(d) for d in dirs]


def _find(relative: str) -> Path:
    for base in _font_dirs():
        candidate = base / relative
        if candidate.exists():
            return candidate
        # A flat directory of font files (a container image, a custom BADGE_FONT_DIRS).
        flat = base / Path(relative).name
        if flat.exists():
            return flat
    raise MissingFontError(f"font file {Path(relative).name} not found in {_font_dirs()}")


class FontBook:
    """The faces and their character maps, loaded once per process."""

    def __init__(self) -> None:
        # HarfBuzz reads the character map in place (fontTools parsed each CJK face's tables
        # into Python objects first: the largest share of a badge batch's peak memory).
        import uharfbuzz as hb

        self.faces: list[tuple[str, Path, int]] = []
        self.coverage: dict[str, frozenset[int]] = {}
        for name, relative, index in _FACES:
            path = _find(relative)
            self.coverage[name] = frozenset(
                hb.Face(hb.Blob.from_file_path(str(path)), index).unicodes
            )
            self.faces.append((name, path, index))

    def face_for(self, text: str, *, language: str = "en", bold: bool = False) -> str:
        """The first face covering every character of `text` (spaces and controls aside)."""
        needed = {ord(c) for c in text if not c.isspace() and unicodedata.category(c)[0] != "C"}
        cjk = _CJK_BY_LANGUAGE.get(language.lower(), "cjk-sc")
        order = ["latin", "arabic", "hebrew", "thai", "devanagari", cjk, "cjk-sc", "cjk-tc"]
        order += ["cjk-jp", "cjk-kr"]
        if bold:
            order = [f"{n}-bold" if f"{n}-bold" in self.coverage else n for n in order]
        best, best_missing = order[0], None
        for name in order:
            missing = needed - self.coverage[name]
            if not missing:
                return name
            if best_missing is None or len(missing) < len(best_missing):
                best, best_missing = name, missing
        return best

    def runs(self, text: str, *, language: str = "en", bold: bool = False) -> list[tuple[str, str]]:
        """`text` cut into runs each set in one face: the whole text when one face covers it,
        else each character in the first face covering it (spaces and punctuation stay with the
        run they are in)."""
        whole = self.face_for(text, language=language, bold=bold)
        if not self.missing(text, whole):
            return [(whole, text)]
        runs: list[tuple[str, str]] = []
        for char in text:
            neutral = char.isspace() or unicodedata.category(char)[0] in "PZC"
            if neutral and runs:
                face = runs[-1][0]
            else:
                face = self.face_for(char, language=language, bold=bold)
            if runs and runs[-1][0] == face:
                runs[-1] = (face, runs[-1][1] + char)
            else:
                runs.append((face, char))
        return runs

    def missing(self, text: str, face: str) -> set[str]:
        return {
            c
            for c in text
            if not c.isspace()
            and unicodedata.category(c)[0] != "C"
            and ord(c) not in self.coverage[face]
        }


@cache
def font_book() -> FontBook:
    return FontBook()


def _starts_rtl(text: str) -> bool:
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6 or any(c not in "0123456789abcdefABCDEF" for c in value):
        value = "1f4e79"
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def qr_png(payload: str) -> bytes:
    """The check-in QR code as a PNG (error correction M, quiet zone of 2 modules)."""
    import segno

    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def _fit(pdf, text: str, face: str, size: float, width: float) -> float:
    """The largest font size up to `size` at which `text` fits in `width` mm."""
    pdf.set_font(face, size=size)
    while size > 7 and pdf.get_string_width(text) > width:
        size -= 1
        pdf.set_font(face, size=size)
    return size


def _texts(badge: Badge) -> list[tuple[str, bool, str]]:
    """Every (text, bold, language) a badge sets, as render_badges draws them."""
    return [
        (badge.event_title, False, badge.language),
        (badge.honorific, False, badge.language),
        (badge.native_name, True, badge.language),
        (badge.latin_name, False, "en"),
        (badge.organization, False, badge.language),
        (badge.tier_label, True, badge.language),
    ]


def _subset(path: Path, index: int, characters: set[str], folder: Path, face: str) -> Path:
    """A font file with only `characters` (and what shaping reaches from them: joining forms,
    ligatures, marks). fpdf2 parses a whole font when it is added, and a CJK collection face is
    tens of megabytes of tables, so large faces are cut down first — by HarfBuzz's subsetter
    (uharfbuzz, already used for shaping), which works on the font file in place: fontTools'
    subsetter, used before, parsed the face into ~160 MB of Python objects and put a 500-badge
    batch over 300 MB."""
    import uharfbuzz as hb

    blob = hb.Blob.from_file_path(str(path))
    source = hb.Face(blob, index)
    wanted = hb.SubsetInput()
    wanted.unicode_set.update({ord(c) for c in characters} | {0x20})
    # Keep every layout feature and script (shaping needs them) and every name record.
    # (an emptied set inverted is "all"; the defaults inverted would be "all but the defaults")
    for kind in ("LAYOUT_FEATURE_TAG", "LAYOUT_SCRIPT_TAG", "NAME_ID"):
        keep = wanted.sets(getattr(hb.SubsetInputSets, kind))
        keep.clear()
        keep.invert()
    wanted.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    subset = hb.subset(source, wanted)
    if subset is None:
        raise ValueError(f"HarfBuzz could not subset the face {face} of {path.name}")
    target = folder / f"{face}.otf"
    target.write_bytes(subset.blob.data)
    return target


def render_badges(badges: Iterable[Badge]) -> bytes:
    """One PDF with a page per badge."""
    import tempfile

    from fpdf import FPDF

    book = font_book()
    badges = list(badges)
    # The characters each face will set, so that large faces can be subset before fpdf2 reads
    # them.
    needed: dict[str, set[str]] = {}
    for badge in badges:
        for text, bold, language in _texts(badge):
            for face, run in book.runs(text, language=language, bold=bold) if text else []:
                needed.setdefault(face, set()).update(run)
    pdf = FPDF(unit="mm", format=PAGE_SIZE_MM)
    pdf.set_auto_page_break(False)
    pdf.set_margins(8, 8, 8)
    files = {name: (path, index) for name, path, index in book.faces}
    added: set[str] = set()
    pdf.set_text_shaping(True)
    width = PAGE_SIZE_MM[0] - 16
    workdir = tempfile.TemporaryDirectory(prefix="liaison-badges-")

    def use(face: str) -> None:
        if face not in added:  # only the faces a batch uses are parsed and embedded
            path, index = files[face]
            if path.suffix == ".ttc":
                path = _subset(path, index, needed.get(face, set()), Path(workdir.name), face)
                index = 0
            pdf.add_font(face, fname=str(path), collection_font_number=index)
            added.add(face)

    def line(text: str, *, size: float, bold: bool = False, language: str = "en", h: float = 0):
        if not text:
            return
        runs = book.runs(text, language=language, bold=bold)
        for face, run in runs:
            if missing := book.missing(run, face):
                # code points only: the text itself is a guest's name
                logger.warning(
                    "badge text has characters no installed font covers: %s",
                    " ".join(f"U+{ord(c):04X}" for c in sorted(missing)),
                )
            use(face)
        if len(runs) == 1:
            fitted = _fit(pdf, text, runs[0][0], size, width)
            pdf.cell(width, h or fitted * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
            return
        # Mixed scripts ("Companion of محمد"): one cell per run, centred as a whole; runs in
        # visual order (reversed when the line starts with a right-to-left letter).
        while size > 7:
            widths = []
            for face, run in runs:
                pdf.set_font(face, size=size)
                widths.append(pdf.get_string_width(run))
            if sum(widths) <= width:
                break
            size -= 1
        ordered = list(zip(runs, widths, strict=True))
        if _starts_rtl(text):
            ordered.reverse()
        y = pdf.get_y()
        pdf.set_x(pdf.l_margin + max(0.0, (width - sum(widths)) / 2))
        for (face, run), run_width in ordered:
            pdf.set_font(face, size=size)
            pdf.cell(run_width, h or size * 0.5, run)
        pdf.set_xy(pdf.l_margin, y + (h or size * 0.5))

    count = 0
    for badge in badges:
        count += 1
        pdf.add_page()
        r, g, b = _rgb(badge.tier_colour)
        pdf.set_fill_color(r, g, b)
        pdf.rect(0, 0, PAGE_SIZE_MM[0], 14, style="F")
        pdf.set_text_color(255, 255, 255)
        pdf.set_xy(8, 3)
        line(badge.event_title, size=11, language=badge.language, h=8)
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(8, 24)
        line(badge.honorific, size=12, language=badge.language, h=7)
        line(badge.native_name, size=30, bold=True, language=badge.language, h=16)
        if badge.latin_name and badge.latin_name != badge.native_name:
            line(badge.latin_name, size=16, h=9)
        pdf.ln(2)
        line(badge.organization, size=12, language=badge.language, h=7)
        if badge.qr_payload:
            qr = io.BytesIO(qr_png(badge.qr_payload))
            pdf.image(qr, x=(PAGE_SIZE_MM[0] - 42) / 2, y=84, w=42)
        pdf.set_fill_color(r, g, b)
        pdf.rect(0, PAGE_SIZE_MM[1] - 14, PAGE_SIZE_MM[0], 14, style="F")
        if badge.tier_label:
            pdf.set_text_color(255, 255, 255)
            pdf.set_xy(8, PAGE_SIZE_MM[1] - 12)
            line(badge.tier_label, size=12, bold=True, language=badge.language, h=10)
            pdf.set_text_color(0, 0, 0)
    if not count:
        pdf.add_page()
    try:
        return bytes(pdf.output())
    finally:
        workdir.cleanup()
