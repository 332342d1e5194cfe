"""Reading a table from an uploaded file: CSV (UTF-8 or GB18030), Excel (.xlsx) or JSON.

A file that cannot be read as a table is refused whole, with what is wrong and where.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

ENCODINGS = ("utf-8", "gb18030")
FORMATS = ("csv", "xlsx", "json")


class FileRefused(Exception):
    """The file as a whole cannot be imported; ``message`` says why and where."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    header: list[str]
    rows: list[dict[str, str]]
    encoding: str = ""


def max_import_bytes() -> int:
    return int(getattr(settings, "XINFANG_MAX_IMPORT_BYTES", 200 * 1024 * 1024))


def file_format(filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext in ("csv", "txt"):
        return "csv"
    if ext in FORMATS:
        return ext
    raise FileRefused(_("%(name)s: unsupported file type; use .csv, .xlsx or .json.") % {"name": filename})


def read_table(data: bytes, filename: str, encoding: str = "auto") -> Table:
    if len(data) > max_import_bytes():
        raise FileRefused(_("The file is %(size).1f MB; the limit is %(limit).1f MB.") % {
            "size": len(data) / 1e6, "limit": max_import_bytes() / 1e6})
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    fmt = file_format(filename)
    if fmt == "xlsx":
        return _read_xlsx(data)
    text, used = _decode(data, encoding)
    return _read_json(text, used) if fmt == "json" else _read_csv(text, used)


def _decode(data: bytes, encoding: str) -> tuple[str, str]:
    candidates = ENCODINGS if encoding == "auto" else (encoding,)
    failure: UnicodeDecodeError | None = None
    for enc in candidates:
        try:
            return data.decode("utf-8-sig" if enc == "utf-8" else enc), enc
        except UnicodeDecodeError as err:
            failure = failure or err
        except LookupError:
            raise FileRefused(_("Unknown encoding %(enc)s.") % {"enc": encoding}) from None
    assert failure is not None
    line = data[: failure.start].count(b"\n") + 1
    raise FileRefused(_("The file is not text in %(encodings)s: undecodable bytes at byte %(offset)d (line %(line)d).") % {
        "encodings": " / ".join(e.upper() for e in candidates), "offset": failure.start, "line": line})


def _clean_header(header: list[str]) -> list[str]:
    cleaned = [h.strip() for h in header]
    if not any(cleaned):
        raise FileRefused(_("The first row should name the columns; it is empty."))
    seen: set[str] = set()
    for h in cleaned:
        if h and h in seen:
            raise FileRefused(_("Column %(name)s appears twice in the header.") % {"name": h})
        seen.add(h)
    return cleaned


def _read_csv(text: str, encoding: str) -> Table:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _clean_header(next(reader))
        named = [(i, h) for i, h in enumerate(header) if h]
        rows = [{h: values[i].strip() if i < len(values) else "" for i, h in named}
                for values in reader if any(v.strip() for v in values)]
    except csv.Error as err:
        raise FileRefused(_("The CSV is malformed at line %(line)d: %(error)s") % {"line": reader.line_num, "error": err}) from None
    return Table(header, rows, encoding)


def _row(header: list[str], values: list[Any]) -> dict[str, str]:
    return {h: _cell(v) for h, v in zip(header, values, strict=False) if h}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileRefused(_("The file is not an Excel workbook (.xlsx), though its name says so.")) from None
    try:
        sheet = book.worksheets[0]
        values: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
        first = next(values, None)
        if first is None:
            raise FileRefused(_("The first sheet is empty."))
        header = _clean_header([_cell(v) for v in first])
        rows = [_row(header, list(v)) for v in values if any(c not in (None, "") for c in v)]
    finally:
        book.close()
    return Table(header, rows, "xlsx")


def _read_json(text: str, encoding: str) -> Table:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise FileRefused(_("The JSON is malformed at line %(line)d, column %(col)d: %(error)s") % {
            "line": err.lineno, "col": err.colno, "error": err.msg}) from None
    items = doc.get("rows") if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise FileRefused(_("The JSON should be a list of objects (or an object with a \"rows\" list)."))
    header: list[str] = []
    for item in items:
        header += [k for k in item if k not in header]
    return Table(header, [{k: _cell(v) for k, v in item.items()} for item in items], encoding)
