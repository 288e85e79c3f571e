"""Badges print every guest's name in its own script: no missing glyph, Arabic joined and laid
out right to left, CJK in the forms of the guest's language. Checked by reading the PDF back."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from outreach.badges import Badge, render_badges

NAMES = {
    "zh-hans": ("欧阳娜娜", "宁波市人民政府外事办公室"),
    "ja": ("山田太郎", "トヨタ自動車株式会社"),
    "ko": ("김민준", "삼성전자"),
    "ar": ("محمد بن راشد", "غرفة تجارة وصناعة دبي"),
    "ru": ("Сергей Иванов", "Торгово-промышленная палата"),
    "th": ("สมชาย ใจดี", "หอการค้าไทย"),
    "de": ("Jürgen Müller-Łódź", "Société Générale Île-de-France"),
}


def _fonts_and_glyphs(pdf: bytes) -> list[tuple[str, TTFont | None, list[int]]]:
    """Each embedded font of each page (its PDF name, the font itself when it is TrueType, bare
    CFF fonts left unparsed) with the glyph ids the page's text shows in it."""
    reader = PdfReader(io.BytesIO(pdf))
    result = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        used: dict[str, list[int]] = {}
        current = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = operands[0]
            elif operator in (b"Tj", b"TJ"):
                parts = operands[0] if operator == b"TJ" else [operands[0]]
                for part in parts:
                    if isinstance(part, bytes | str):
                        # the string's bytes as written (2-byte codes), not pypdf's decoding
                        raw = part if isinstance(part, bytes) else part.original_bytes
                        used.setdefault(current, []).extend(
                            int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)
                        )
        for name, glyphs in used.items():
            font = fonts[name].get_object()
            cid_font = font["/DescendantFonts"][0].get_object()
            descriptor = cid_font["/FontDescriptor"]
            cid_to_gid = cid_font.get("/CIDToGIDMap")
            if cid_to_gid is not None and not isinstance(cid_to_gid, str):
                table = cid_to_gid.get_object().get_data()
                glyphs = [int.from_bytes(table[2 * c : 2 * c + 2], "big") for c in glyphs]
            truetype = descriptor.get("/FontFile2")
            parsed = TTFont(io.BytesIO(truetype.get_object().get_data())) if truetype else None
            assert truetype or descriptor.get("/FontFile3"), f"{font['/BaseFont']} not embedded"
            result.append((str(font["/BaseFont"]), parsed, glyphs))
    return result


@pytest.fixture(scope="module")
def badges_pdf() -> bytes:
    return render_badges(
        Badge(native_name=name, latin_name="", organization=org, language=lang, qr_payload="x")
        for lang, (name, org) in NAMES.items()
    )


def test_no_name_or_organization_falls_back_to_a_missing_glyph(badges_pdf):
    shown = _fonts_and_glyphs(badges_pdf)
    assert shown, "the PDF shows no text"
    for name, _font, glyphs in shown:
        assert glyphs
        assert 0 not in glyphs, f"a .notdef (missing) glyph is shown in {name}"


def test_every_character_is_in_the_embedded_fonts_and_extractable(badges_pdf):
    """The text layer maps back to every character printed (search and copy-paste work)."""
    reader = PdfReader(io.BytesIO(badges_pdf))
    for page, (lang, (name, organization)) in zip(reader.pages, NAMES.items(), strict=True):
        text = page.extract_text()
        for expected in (name, organization):
            missing = {c for c in expected if not c.isspace()} - set(text)
            assert not missing, f"{lang}: {sorted(missing)} not in the page's text"


def test_arabic_is_shaped_with_joined_forms_right_to_left(badges_pdf):
    """محمد is drawn (left to right on the page) final dal, medial meem, medial hah, initial
    meem: the joined presentation forms, in visual order."""
    arabic = [
        (font, glyphs) for name, font, glyphs in _fonts_and_glyphs(badges_pdf) if "Arabic" in name
    ]
    assert arabic
    font, glyphs = arabic[0]
    names = [font.getGlyphOrder()[g] for g in glyphs]
    joined = ["uniFEAA", "uniFEE4", "uniFEA4", "uniFEE3"]  # د ـمـ ـحـ مـ
    assert any(names[i : i + 4] == joined for i in range(len(names))), (
        f"Arabic glyphs not joined in visual order: {names}"
    )


def test_cjk_names_use_the_glyph_forms_of_the_guests_language():
    """The same name is set in the Japanese face for a Japanese guest and in the Simplified
    Chinese face for a Chinese guest (their forms of 骨, 直 and others differ)."""

    def face_of(language: str) -> str:
        pdf = render_badges([Badge(native_name="直骨", language=language)])
        (name, _font, _glyphs), *_ = _fonts_and_glyphs(pdf)
        return name.casefold()

    assert "cjkjp" in face_of("ja")
    assert "cjksc" in face_of("zh-hans")
    assert "cjkkr" in face_of("ko")


def test_an_empty_batch_is_a_valid_one_page_pdf():
    assert len(PdfReader(io.BytesIO(render_badges([]))).pages) == 1


def test_a_line_mixing_scripts_is_set_in_one_face_per_script(caplog):
    pdf = render_badges([Badge(native_name="Li Na", organization="Companion of محمد بن راشد")])
    faces = {name for name, _font, _glyphs in _fonts_and_glyphs(pdf)}
    assert {name.split("+")[-1] for name in faces} == {
        "NotoSansBold",
        "NotoSans",
        "NotoNaskhArabic",
    }
    assert "no installed font covers" not in caplog.text
