"""Reading contact files: CSV/TSV in any common encoding, XLSX and vCard 2.1/3.0/4.0, streamed.

Pure helpers (no database). `inspect_file()` detects the format, the encoding and the headers;
`iter_rows()` yields `SourceRow`s one at a time (memory stays flat however large the file), each
numbered the way a user finds it again: the spreadsheet row (the header is row 1) or the vCard's
ordinal in the file. A workbook read sheet by sheet numbers the rows of its n-th sheet
n * SHEET_ROWS + row (`sheet_and_row()` turns it back), so row numbers keep increasing through
the file (the import's checkpoint is a row number).

A file is given as a path or as a function opening it in binary mode (`Source`): the import reads
its upload through Django's storage API, so that it works on S3 as on a local disk. A file that
cannot be read raises `FileProblem` with a stable code and a message naming what is wrong; it
never escapes as a server error.

Libraries: charset-normalizer detects the encoding, csv reads CSV/TSV, openpyxl (read-only) reads
XLSX, vobject parses each vCard (this module only cuts the stream into BEGIN/END blocks so that
one malformed card is reported alone and the file is never read whole).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

# One cell may be long (notes), but not unbounded: a larger one is reported, not read into memory.
MAX_CELL_CHARS = 1_000_000
SAMPLE_BYTES = 256 * 1024

FORMAT_CSV = "csv"
FORMAT_TSV = "tsv"
FORMAT_XLSX = "xlsx"
FORMAT_VCARD = "vcard"
FORMATS = (FORMAT_CSV, FORMAT_TSV, FORMAT_XLSX, FORMAT_VCARD)
# The sheet choice meaning "every sheet of the workbook"; an empty choice is the first sheet.
ALL_SHEETS = "*"
SHEET_ROWS = 1 << 20  # Excel's largest sheet: 1,048,576 rows

Source = str | os.PathLike | Callable[[], BinaryIO]


def _open_binary(source: Source) -> BinaryIO:
    return source() if callable(source) else open(source, "rb")


def _size(source: Source) -> int:
    if not callable(source):
        return Path(source).stat().st_size
    with source() as handle:
        return handle.seek(0, io.SEEK_END)


def sheet_and_row(number: int) -> tuple[int, int]:
    """(sheet index, row in the sheet) of a row number of a workbook read sheet by sheet."""
    return divmod(number, SHEET_ROWS)


# Encodings staff can choose to override detection (Python codec names).
ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "gb18030",
    "big5",
    "shift_jis",
    "cp1251",
    "cp1252",
    "euc-kr",
    "latin-1",
)
# What detectors call a subset of an encoding we read with its superset.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "hz": "gb18030",
    "big5hkscs": "big5",
    "cp950": "big5",
    "cp932": "shift_jis",
    "ascii": "utf-8",
    "utf_8": "utf-8",
    "shift_jis_2004": "shift_jis",
    "euc_jis_2004": "euc-jp",
    "windows-1251": "cp1251",
    "windows-1252": "cp1252",
}

# The fields a vCard gives, as pseudo-columns (their mapping is fixed, see contact_rows).
VCARD_COLUMNS = (
    "FN",
    "N:family",
    "N:given",
    "N:prefix",
    "ORG",
    "TITLE",
    "EMAIL",
    "TEL:mobile",
    "TEL:work",
    "TEL:home",
    "TEL",
    "ADR:city",
    "ADR:country",
    "NOTE",
    "CATEGORIES",
    "UID",
)


class FileProblem(Exception):  # noqa: N818 (a problem of the file, not of the program)
    """The file as a whole cannot be read: `code` is stable (API, --json), `message` for staff."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class FileInfo:
    format: str
    encoding: str = ""
    delimiter: str = ","
    headers: list[str] = field(default_factory=list)
    size: int = 0
    sheets: list[str] = field(default_factory=list)  # a workbook's sheet names
    sheet: str = ""  # the sheet read: "" the first, a name, or ALL_SHEETS


@dataclass
class SourceRow:
    number: int  # spreadsheet row (header = 1) or vCard ordinal (first card = 1)
    cells: list[str]
    raw: object = None  # what the rejected-rows download writes back (cells, or the card's text)
    problem: str = ""  # "too_many_columns", "too_few_columns", "malformed_vcard"
    problem_detail: str = ""


def _decode_sample(sample: bytes, encoding: str) -> str:
    # A sample may end inside a multi-byte character: decode incrementally, ignore the tail.
    return codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)


def detect_encoding(sample: bytes) -> str:
    """The encoding of a text sample: BOMs first, then strict UTF-8, then charset-normalizer."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if not sample:
        return "utf-8"
    try:
        _decode_sample(sample, "utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if b"\x00" in sample[:8192] and (best is None or not best.encoding.startswith("utf_16")):
        raise FileProblem(
            "binary_file",
            _("The file is not a spreadsheet, CSV or vCard file (it holds binary data)."),
        )
    if best is None:
        raise FileProblem(
            "unreadable_encoding",
            _(
                "The file is not text in any encoding we recognise (is it a binary file?). "
                "Save it as CSV (UTF-8) or choose its encoding."
            ),
        )
    name = best.encoding.lower().replace("_", "-")
    name = _SUPERSETS.get(name, _SUPERSETS.get(best.encoding.lower(), name))
    return name


def _looks_binary(sample: bytes, encoding: str) -> bool:
    if encoding.startswith("utf-16"):
        return False
    return b"\x00" in sample[:8192]


def inspect_file(
    path: Source,
    *,
    encoding: str = "",
    file_format: str = "",
    name: str = "",
    sheet: str = "",
) -> FileInfo:
    """Detect format, encoding, delimiter and headers. `encoding`/`file_format` override;
    `sheet` chooses a workbook's sheet by name (ALL_SHEETS: every sheet, with the first
    sheet's headers)."""
    size = _size(path)
    if size == 0:
        raise FileProblem("empty_file", _("The file is empty."))
    with _open_binary(path) as handle:
        sample = handle.read(SAMPLE_BYTES)
    suffix = Path(name or ("" if callable(path) else Path(path).name)).suffix.lower()
    if not file_format:
        if sample.startswith(b"PK\x03\x04"):
            file_format = FORMAT_XLSX
        elif suffix in (".xls",):
            raise FileProblem(
                "unsupported_format",
                _("Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV."),
            )
    if file_format == FORMAT_XLSX:
        info = FileInfo(format=FORMAT_XLSX, size=size, sheet=sheet)
        info.headers, info.sheets = _xlsx_headers(path, sheet)
        return info
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise FileProblem(
                "unknown_encoding", _('"%(value)s" is not an encoding.') % {"value": encoding}
            ) from exc
    else:
        encoding = detect_encoding(sample)
    if _looks_binary(sample, encoding):
        raise FileProblem(
            "binary_file",
            _("The file is not a spreadsheet, CSV or vCard file (it holds binary data)."),
        )
    try:
        text = _decode_sample(sample, encoding)
    except UnicodeDecodeError as exc:
        raise FileProblem(
            "wrong_encoding",
            _("The file cannot be read as %(encoding)s (byte %(position)s). Choose its encoding.")
            % {"encoding": encoding, "position": exc.start},
        ) from exc
    stripped = text.lstrip("\ufeff \r\n\t")
    if not stripped:
        raise FileProblem("empty_file", _("The file is empty."))
    if not file_format:
        if stripped[:11].upper().startswith("BEGIN:VCARD") or suffix in (".vcf", ".vcard"):
            file_format = FORMAT_VCARD
        elif suffix in (".tsv", ".tab"):
            file_format = FORMAT_TSV
        else:
            first_line = stripped.split("\n", 1)[0]
            file_format = FORMAT_TSV if first_line.count("\t") > first_line.count(",") else "csv"
    info = FileInfo(format=file_format, encoding=encoding, size=size)
    if file_format == FORMAT_VCARD:
        info.headers = list(VCARD_COLUMNS)
        return info
    if file_format == FORMAT_TSV:
        info.delimiter = "\t"
    else:
        first_line = stripped.split("\n", 1)[0]
        if first_line.count(";") > first_line.count(","):
            info.delimiter = ";"  # Excel in locales with a decimal comma
    with _open_text(path, info) as handle:
        reader = _csv_reader(handle, info)
        try:
            headers = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise _csv_problem(exc, 1) from exc
    if not headers or not any(h.strip() for h in headers):
        raise FileProblem("no_header", _("The first row must name the columns; it is empty."))
    info.headers = [h.strip().lstrip("\ufeff") for h in headers]
    while info.headers and not info.headers[-1]:
        info.headers.pop()
    return info


def _open_text(path: Source, info: FileInfo) -> io.TextIOWrapper:
    return io.TextIOWrapper(_open_binary(path), encoding=info.encoding, newline="", errors="strict")


def _csv_reader(handle, info: FileInfo):
    csv.field_size_limit(MAX_CELL_CHARS)
    return csv.reader(handle, delimiter=info.delimiter, strict=False)


def _csv_problem(exc: Exception, row: int) -> FileProblem:
    if isinstance(exc, UnicodeDecodeError):
        return FileProblem(
            "wrong_encoding",
            _(
                "Row %(row)s cannot be read in the chosen encoding (%(encoding)s). "
                "Choose the file's encoding."
            )
            % {"row": row, "encoding": exc.encoding},
        )
    text = str(exc)
    if "field larger than field limit" in text:
        return FileProblem(
            "cell_too_large",
            _("Row %(row)s has a cell longer than %(limit)s characters.")
            % {"row": row, "limit": MAX_CELL_CHARS},
        )
    if "NUL" in text:
        return FileProblem(
            "binary_file",
            _("Row %(row)s holds binary data: this is not a CSV file.") % {"row": row},
        )
    return FileProblem(
        "malformed_csv", _("Row %(row)s cannot be read: %(error)s") % {"row": row, "error": text}
    )


def iter_rows(path: Source, info: FileInfo, *, progress=None) -> Iterator[SourceRow]:
    """Every data row of the file, in order. `progress(bytes_read)` is called now and then."""
    if info.format == FORMAT_XLSX:
        yield from _xlsx_rows(path, info, progress)
    elif info.format == FORMAT_VCARD:
        yield from _vcard_rows(path, info, progress)
    else:
        yield from _csv_rows(path, info, progress)


def _fit(cells: list[str], width: int, row: SourceRow) -> SourceRow:
    extra = cells[width:]
    if any(c.strip() for c in extra):
        row.problem = "too_many_columns"
        row.problem_detail = str(len(cells))
    elif len(cells) < width and cells:
        row.problem = "too_few_columns"
        row.problem_detail = str(len(cells))
    row.cells = (cells + [""] * width)[:width]
    return row


def _csv_rows(path: Source, info: FileInfo, progress) -> Iterator[SourceRow]:
    width = len(info.headers)
    with _open_text(path, info) as handle:
        reader = _csv_reader(handle, info)
        number = 1
        try:
            next(reader, None)
            for cells in reader:
                number += 1
                if progress and number % 1000 == 0:
                    progress(handle.buffer.tell())
                yield _fit(cells, width, SourceRow(number=number, cells=cells, raw=cells))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise _csv_problem(exc, number + 1) from exc


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed into a numeric cell
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class _Workbook:
    """A workbook opened read-only (openpyxl streams its rows), closed with its file."""

    def __init__(self, path: Source):
        from openpyxl import load_workbook

        self.handle = _open_binary(path)
        try:
            self.book = load_workbook(self.handle, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            self.handle.close()
            raise FileProblem(
                "malformed_xlsx", _("The file is not a readable Excel workbook (.xlsx).")
            ) from exc

    def __enter__(self):
        return self.book

    def __exit__(self, *exc_info) -> None:
        self.book.close()
        self.handle.close()


def _header_row(sheet) -> list[str]:
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
    headers = [_cell_text(v).strip() for v in (first or ())]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _chosen_sheets(book, sheet: str) -> list[tuple[int, object]]:
    """(index, worksheet) of the sheets to read."""
    sheets = list(enumerate(book.worksheets))
    if sheet == ALL_SHEETS:
        return sheets
    if sheet:
        chosen = [(i, ws) for i, ws in sheets if ws.title == sheet]
        if not chosen:
            raise FileProblem(
                "unknown_sheet",
                _("The workbook has no sheet named “%(value)s”.") % {"value": sheet},
            )
        return chosen
    return sheets[:1]


def _xlsx_headers(path: Source, sheet: str = "") -> tuple[list[str], list[str]]:
    """(headers of the chosen sheet - of the first one for ALL_SHEETS -, every sheet's name)."""
    with _Workbook(path) as book:
        names = [ws.title for ws in book.worksheets]
        chosen = _chosen_sheets(book, sheet)
        headers = _header_row(chosen[0][1]) if chosen else []
    if not headers:
        raise FileProblem("no_header", _("The first row must name the columns; it is empty."))
    return headers, names


def _xlsx_rows(path: Source, info: FileInfo, progress) -> Iterator[SourceRow]:
    """The rows of the chosen sheet(s). Every sheet's columns are matched to the headers by
    their header text, so sheets with the columns in another order read alike; a column the
    headers do not name is left out, one they name and the sheet lacks is empty."""
    width = len(info.headers)
    with _Workbook(path) as book:
        chosen = _chosen_sheets(book, info.sheet)
        several = info.sheet == ALL_SHEETS
        for index, sheet in chosen:
            offset = index * SHEET_ROWS if several else 0
            positions = None
            if several:
                own = _header_row(sheet)
                if not own:
                    continue  # an empty sheet
                if own != info.headers:
                    found = {h: i for i, h in reversed(list(enumerate(own)))}
                    positions = [found.get(h) for h in info.headers]
            total = sheet.max_row or 0
            for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2):
                cells = [_cell_text(v) for v in values]
                if positions is not None:
                    cells = [
                        cells[i] if i is not None and i < len(cells) else "" for i in positions
                    ]
                while len(cells) > width and not cells[-1].strip():
                    cells.pop()
                if progress and number % 1000 == 0 and total:
                    done = (index + min(1.0, number / total)) / max(1, len(book.worksheets))
                    progress(int(info.size * (done if several else min(1.0, number / total))))
                row = SourceRow(number=offset + number, cells=cells, raw=cells)
                yield _fit(cells, width, row)


def _vcard_blocks(path: Source, info: FileInfo, progress) -> Iterator[tuple[int, str]]:
    """(ordinal, text) of each BEGIN:VCARD ... END:VCARD block, read line by line."""
    ordinal = 0
    lines: list[str] | None = None
    with _open_text(path, info) as handle:
        try:
            for line in handle:
                upper = line.strip().upper()
                if upper.startswith("BEGIN:VCARD"):
                    if lines is not None:  # a card without END: report it, go on
                        ordinal += 1
                        yield ordinal, "".join(lines)
                    lines = [line]
                elif lines is not None:
                    lines.append(line)
                    if upper.startswith("END:VCARD"):
                        ordinal += 1
                        if progress and ordinal % 1000 == 0:
                            progress(handle.buffer.tell())
                        yield ordinal, "".join(lines)
                        lines = None
            if lines is not None:
                ordinal += 1
                yield ordinal, "".join(lines)
        except UnicodeDecodeError as exc:
            raise _csv_problem(exc, ordinal + 1) from exc


def _vcard_rows(path: Source, info: FileInfo, progress) -> Iterator[SourceRow]:
    for ordinal, text in _vcard_blocks(path, info, progress):
        row = SourceRow(number=ordinal, cells=[""] * len(VCARD_COLUMNS), raw=text)
        try:
            row.cells = vcard_cells(text)
        except Exception as exc:  # vobject raises several kinds for a broken card
            row.problem = "malformed_vcard"
            row.problem_detail = str(exc)[:200]
        yield row


def _tel_kind(line) -> str:
    types = {t.upper() for t in line.params.get("TYPE", [])}
    types |= {t.upper() for t in getattr(line, "singletonparams", [])}
    for value in list(types):
        types |= {v.strip() for v in value.split(",")}
    if types & {"CELL", "MOBILE", "IPHONE"}:
        return "TEL:mobile"
    if types & {"WORK"}:
        return "TEL:work"
    if types & {"HOME"}:
        return "TEL:home"
    return "TEL"


def vcard_cells(text: str) -> list[str]:
    """The pseudo-columns (VCARD_COLUMNS) of one card's text; raises on a malformed card."""
    import vobject

    card = vobject.readOne(text, allowQP=True)
    if card.name.upper() != "VCARD":
        raise ValueError("not a vCard")
    values: dict[str, list[str]] = {c: [] for c in VCARD_COLUMNS}

    def text_of(value) -> str:
        if isinstance(value, list | tuple):
            return " ".join(str(v) for v in value if v)
        return str(value or "")

    for line in card.getChildren():
        key = line.name.upper()
        value = line.value
        if key == "FN":
            values["FN"].append(text_of(value))
        elif key == "N" and hasattr(value, "family"):
            values["N:family"].append(text_of(value.family))
            given = [text_of(value.given), text_of(value.additional)]
            values["N:given"].append(" ".join(g for g in given if g))
            values["N:prefix"].append(text_of(value.prefix))
        elif key == "ORG":
            values["ORG"].append(text_of(value[0] if isinstance(value, list) and value else value))
        elif key == "TITLE":
            values["TITLE"].append(text_of(value))
        elif key == "EMAIL":
            values["EMAIL"].append(text_of(value).removeprefix("mailto:"))
        elif key == "TEL":
            values[_tel_kind(line)].append(text_of(value).removeprefix("tel:"))
        elif key == "ADR" and hasattr(value, "city"):
            values["ADR:city"].append(text_of(value.city))
            values["ADR:country"].append(text_of(value.country))
        elif key == "NOTE":
            values["NOTE"].append(text_of(value))
        elif key == "CATEGORIES":
            values["CATEGORIES"].append(
                ", ".join(value) if isinstance(value, list) else text_of(value)
            )
        elif key == "UID":
            values["UID"].append(text_of(value))
    multi = {"EMAIL", "TEL:mobile", "TEL:work", "TEL:home", "TEL", "CATEGORIES"}
    return [
        ("; " if c in multi else " ").join(v for v in values[c] if v.strip())
        if c in multi
        else next((v for v in values[c] if v.strip()), "")
        for c in VCARD_COLUMNS
    ]
