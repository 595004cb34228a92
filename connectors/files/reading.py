"""Open an uploaded table and stream its rows: CSV or XLSX, plain, gzip or zip.

What people actually upload, sniffed rather than asked: UTF-8 with or without a BOM, else
Windows-1252 (a superset of Latin-1, what French Excel writes); `,` `;` tab or `|` between
values; a decimal comma in French files. Rows come out as lists of text cells with the line
number the user sees in the file (in a spreadsheet, the row number), never all at once: a
``Table`` can be read any number of times (the importer reads it twice), each read streams.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import gzip
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 64 * 1024
MAX_HEADER_BYTES = 1024 * 1024
SAMPLE_ROWS = 200
DELIMITERS = (",", ";", "\t", "|")
DATA_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")

# csv's default limit (128 KiB) is too small for product descriptions pasted with their HTML.
csv.field_size_limit(16 * 1024 * 1024)


def _decode_cp1252_fallback(error: UnicodeDecodeError):
    """A byte that is not UTF-8 in a mostly UTF-8 file: read it as Windows-1252 (then Latin-1)."""
    chunk = error.object[error.start : error.end]
    return chunk.decode("cp1252", errors="echannel-latin1"), error.end


def _decode_latin1_fallback(error: UnicodeDecodeError):
    """The five bytes Windows-1252 leaves undefined (0x81, 0x8D, …): read them as Latin-1."""
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("echannel-cp1252", _decode_cp1252_fallback)
codecs.register_error("echannel-latin1", _decode_latin1_fallback)


class FileFormatError(Exception):
    """The file cannot be read as a table at all; the message is in the active language."""


@dataclass
class TableFormat:
    """What the sniffing found; shown to the user alongside the import report."""

    kind: str = "csv"  # csv | xlsx
    compression: str = ""  # "" | gzip | zip
    member: str = ""  # the file read inside a zip archive
    encoding: str = "utf-8"  # utf-8-sig | utf-8 | utf-16 | cp1252 (csv only)
    delimiter: str = ","
    decimal_comma: bool = False
    sheet: str = ""


class Table:
    """A CSV or XLSX table read from a path or a binary file (e.g. Django's ``UploadedFile``).

    ``headers`` are the first non-blank row's cells, stripped; ``rows()`` yields
    ``(line, cells)`` for every non-blank row after it, streaming, each time it is called.
    """

    def __init__(self, path_or_file, *, name: str = ""):
        self._spool = None
        if isinstance(path_or_file, str | os.PathLike):
            self._path = Path(path_or_file)
            self._file = None
            self.name = name or self._path.name
        else:
            self._path = None
            self._file = path_or_file
            self.name = name or getattr(path_or_file, "name", "") or ""
            if not _seekable(path_or_file):  # two passes need to start again: keep a copy on disk
                self._spool = tempfile.TemporaryFile()
                shutil.copyfileobj(path_or_file, self._spool)
                self._file = self._spool
        self.format = TableFormat()
        self.headers: list[str] = []
        self.header_line = 1
        self._sniff()

    # -- opening -------------------------------------------------------------------------

    def _open_raw(self):
        if self._path is not None:
            try:
                return open(self._path, "rb")
            except OSError as error:
                raise FileFormatError(gettext("The file cannot be opened: %(reason)s") % {"reason": error}) from None
        self._file.seek(0)
        return io.BufferedReader(_Unclosable(self._file))

    def _open_binary(self):
        """The decompressed bytes of the table, and whether they are an XLSX workbook."""
        raw = self._open_raw()
        head = raw.read(4)
        raw.seek(0)
        if head.startswith(GZIP_MAGIC):
            self.format.compression = "gzip"
            stream = _Closing(gzip.GzipFile(fileobj=raw), raw)
            try:
                inner = stream.peek(4)[:4]
            except (OSError, EOFError) as error:
                stream.close()
                raise FileFormatError(
                    gettext("The compressed file is damaged: %(reason)s") % {"reason": error}
                ) from None
            if inner.startswith(ZIP_MAGIC):  # a gzipped workbook: openpyxl needs to seek
                return _spooled(stream), True
            return stream, False
        if head.startswith(ZIP_MAGIC):
            try:
                archive = zipfile.ZipFile(raw)
            except zipfile.BadZipFile as error:
                raw.close()
                raise FileFormatError(gettext("The zip file is damaged: %(reason)s") % {"reason": error}) from None
            names = archive.namelist()
            if "xl/workbook.xml" in names:  # the file itself is a workbook
                archive.close()
                raw.seek(0)
                return raw, True
            self.format.compression = "zip"
            member = _data_member(archive)
            if member is None:
                archive.close()
                raw.close()
                raise FileFormatError(gettext("The zip file holds no CSV or XLSX file."))
            self.format.member = member
            stream = _Closing(archive.open(member), archive, raw)
            if member.lower().endswith(".xlsx"):
                return _spooled(stream), True
            return stream, False
        return raw, False

    # -- sniffing ------------------------------------------------------------------------

    def _sniff(self) -> None:
        binary, is_xlsx = self._open_binary()
        try:
            if is_xlsx:
                self.format.kind = "xlsx"
                self.format.encoding = ""
                self._sniff_xlsx(binary)
            else:
                self._sniff_csv(binary)
        finally:
            binary.close()

    def _sniff_csv(self, binary) -> None:
        sample = binary.read(SNIFF_BYTES)
        while b"\n" not in sample[:MAX_HEADER_BYTES]:  # the header must be whole
            more = binary.read(SNIFF_BYTES)
            if not more or len(sample) > MAX_HEADER_BYTES:
                break
            sample += more
        if sample.startswith(codecs.BOM_UTF8):
            self.format.encoding = "utf-8-sig"
        elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self.format.encoding = "utf-16"
        else:
            try:
                codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
                # Further on, a stray Windows-1252 byte is read as such (see _decode_cp1252_fallback).
                self.format.encoding = "utf-8"
            except UnicodeDecodeError:
                self.format.encoding = "cp1252"
        text = sample.decode(self.format.encoding, errors=_errors(self.format.encoding))
        if "\x00" in text:
            raise FileFormatError(gettext("This is not a CSV or XLSX file."))
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            raise FileFormatError(gettext("The file is empty."))
        self.format.delimiter = _sniff_delimiter(lines[0])
        rows = csv.reader(lines[: SAMPLE_ROWS + 1], delimiter=self.format.delimiter)
        self.headers = [cell.strip() for cell in next(rows)]
        self.format.decimal_comma = _sniff_decimal_comma(rows, self.format.delimiter)
        # The physical line of the header (blank lines before it count).
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                self.header_line = number
                break

    def _sniff_xlsx(self, binary) -> None:
        workbook = _load_workbook(binary)
        try:
            sheet = workbook.worksheets[0]
            self.format.sheet = sheet.title
            sample = []
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                texts = [_cell_text(cell) for cell in cells]
                if not any(texts):
                    continue
                if not self.headers:
                    self.headers = [text.strip() for text in texts]
                    self.header_line = number
                    continue
                sample.append(texts)
                if len(sample) >= SAMPLE_ROWS:
                    break
            if not self.headers:
                raise FileFormatError(gettext("The file is empty."))
            self.format.decimal_comma = _sniff_decimal_comma(iter(sample), "")
        finally:
            workbook.close()
        while self.headers and not self.headers[-1]:
            self.headers.pop()

    # -- reading -------------------------------------------------------------------------

    def rows(self) -> Iterator[tuple[int, list]]:
        """``(line, cells)`` for each non-blank row after the header; cells are text (XLSX: values)."""
        binary, is_xlsx = self._open_binary()
        try:
            if is_xlsx:
                yield from self._xlsx_rows(binary)
            else:
                yield from self._csv_rows(binary)
        finally:
            binary.close()

    def _csv_rows(self, binary) -> Iterator[tuple[int, list]]:
        encoding = self.format.encoding
        text = io.TextIOWrapper(binary, encoding=encoding, errors=_errors(encoding), newline="")
        reader = csv.reader(text, delimiter=self.format.delimiter)
        header_seen = False
        end = 0  # the line the previous row ended on
        try:
            for cells in reader:
                start, end = end + 1, reader.line_num
                if not header_seen:
                    if any(cell.strip() for cell in cells):
                        header_seen = True
                    continue
                if any(cells):
                    yield start, cells
        except csv.Error as error:
            raise FileFormatError(
                gettext("Line %(line)s cannot be read as CSV: %(reason)s") % {"line": end + 1, "reason": error}
            ) from None
        finally:
            text.detach()

    def _xlsx_rows(self, binary) -> Iterator[tuple[int, list]]:
        workbook = _load_workbook(binary)
        try:
            sheet = workbook.worksheets[0]
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number <= self.header_line:
                    continue
                for cell in cells:
                    if cell is not None and cell != "":
                        yield number, list(cells)
                        break
        finally:
            workbook.close()

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# -- helpers -------------------------------------------------------------------------------


class _Unclosable(io.RawIOBase):
    """Lets the caller's file object be wrapped and "closed" by our readers without closing it."""

    def __init__(self, file):
        self._file = file

    def readable(self):
        return True

    def seekable(self):
        return True

    def readinto(self, buffer):
        data = self._file.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size=-1):
        return self._file.read(size)

    def seek(self, offset, whence=io.SEEK_SET):
        return self._file.seek(offset, whence)

    def tell(self):
        return self._file.tell()


class _Closing(io.BufferedIOBase):
    """A decompressing stream that also closes what it reads from (the file, the archive)."""

    def __init__(self, stream, *owners):
        self.stream = stream
        self.owners = owners

    def readable(self):
        return True

    def read(self, size=-1):
        return self.stream.read(size)

    def read1(self, size=-1):
        return self.stream.read1(size)

    def peek(self, size=0):
        return self.stream.peek(size)

    def close(self):
        if not self.closed:
            self.stream.close()
            for owner in self.owners:
                owner.close()
        super().close()


def _seekable(file) -> bool:
    try:
        return bool(file.seekable())
    except (AttributeError, OSError):
        return False


def _spooled(stream):
    copy = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    shutil.copyfileobj(stream, copy)
    stream.close()
    copy.seek(0)
    return copy


def _data_member(archive: zipfile.ZipFile) -> str | None:
    for info in archive.infolist():
        name = info.filename
        if info.is_dir() or name.startswith("__MACOSX/") or Path(name).name.startswith("."):
            continue
        if name.lower().endswith(DATA_SUFFIXES):
            return name
    return None


def _errors(encoding: str) -> str:
    return {"utf-8": "echannel-cp1252", "cp1252": "echannel-latin1"}.get(encoding, "strict")


def _load_workbook(binary):
    from openpyxl import load_workbook  # imported here: CSV imports never pay for it

    try:
        return load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise FileFormatError(
            gettext("The spreadsheet cannot be read: %(reason)s") % {"reason": type(error).__name__}
        ) from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value)


def _sniff_delimiter(header_line: str) -> str:
    """The candidate that splits the header into the most columns (outside quotes)."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


COMMA_DECIMAL = re.compile(r"-?\d+,\d{1,2}")
POINT_DECIMAL = re.compile(r"-?\d+\.\d{1,2}")


def _sniff_decimal_comma(rows, delimiter: str) -> bool:
    """Do the sample's numbers use a decimal comma (``12,50``)? A `;` file without numbers says yes."""
    commas = points = 0
    for cells in rows:
        for cell in cells:
            if isinstance(cell, str) and cell:
                cell = cell.strip()
                if COMMA_DECIMAL.fullmatch(cell):
                    commas += 1
                elif POINT_DECIMAL.fullmatch(cell):
                    points += 1
    if commas or points:
        return commas > points
    return delimiter == ";"


# -- cell parsing (the importer's hot path) --------------------------------------------------

NUMBER_NOISE = re.compile(r"[\s\u00a0\u202f'’£€$]|GBP|EUR|USD")
THOUSANDS_POINT = re.compile(r"-?\d{1,3}(\.\d{3})+")
THOUSANDS_COMMA = re.compile(r"-?\d{1,3}(,\d{3})+")


def parse_decimal(value, decimal_comma: bool) -> Decimal | None:
    """A number as written by people and spreadsheets; ``None`` if it is not one.

    ``12.50``, ``12,50``, ``1 234,50``, ``1,234.50``, ``1.234,50``, ``£12.50``, ``(12.50)``.
    ``1,234`` is 1234 unless the file uses a decimal comma; ``1.234`` is 1.234 unless it does.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = value.strip() if isinstance(value, str) else str(value)
    if not decimal_comma or "." not in text:
        try:  # the common case, at C speed
            number = Decimal(text)
        except ArithmeticError:
            pass
        else:
            return number if number.is_finite() and "_" not in text else None
    text = NUMBER_NOISE.sub("", text)
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    if not text:
        return None
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):  # 1.234,50
            text = text.replace(".", "").replace(",", ".")
        else:  # 1,234.50
            text = text.replace(",", "")
    elif "," in text:
        if not decimal_comma and THOUSANDS_COMMA.fullmatch(text):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif decimal_comma and THOUSANDS_POINT.fullmatch(text):
        text = text.replace(".", "")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text):
        return None
    number = Decimal(text)
    return -number if negative else number


def parse_integer(value, decimal_comma: bool) -> int | None:
    """A whole number (``6``, ``6.0``, ``1 200``); ``None`` if it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    number = parse_decimal(value, decimal_comma)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


ISO_WITH_SPACE_OFFSET = re.compile(
    r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:UTC)?\s*(Z|[+-]\d{2}:?\d{2})?"
)
NUMERIC_DATE = re.compile(
    r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})"
    r"(?:[ T,]+(\d{1,2})[:h](\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?"
)


def parse_iso(text: str) -> datetime.datetime | None:
    """An ISO 8601 date or date-time (``2026-04-03``, ``2026-04-03 10:15:00 +0200``, ``…Z``)."""
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        match = ISO_WITH_SPACE_OFFSET.fullmatch(text)
        if not match:
            return None
        day, time, offset = match.groups()
        if offset and offset != "Z" and ":" not in offset:
            offset = f"{offset[:3]}:{offset[3:]}"
        try:
            value = datetime.datetime.fromisoformat(f"{day}T{time}{offset or ''}")
        except ValueError:
            return None
    return value


def parse_numeric_date(text: str, order: str) -> datetime.datetime | None:
    """``03/04/2026 10:15`` read as ``order`` "dmy" (3 April) or "mdy" (4 March); ``None`` if invalid."""
    match = NUMERIC_DATE.fullmatch(text)
    if not match:
        return None
    first, second, year, hour, minute, second_of_minute, meridiem = match.groups()
    day, month = (first, second) if order == "dmy" else (second, first)
    year = int(year) + (2000 if len(year) == 2 else 0)
    hour = int(hour or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    try:
        return datetime.datetime(year, int(month), int(day), hour, int(minute or 0), int(second_of_minute or 0))
    except ValueError:
        return None


def is_numeric_date(text: str) -> bool:
    return NUMERIC_DATE.fullmatch(text) is not None
