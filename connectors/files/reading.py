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
import gzip
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext

from .streams import (
    CheckedBytes,
    Closing,
    FileFormatError,
    LineTooLong,
    NulCharacter,
    Unclosable,
    capped_lines,
    megabytes,
    seekable,
    spooled,
    too_big,
    too_many_columns,
    too_many_rows,
)

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 64 * 1024
MAX_HEADER_BYTES = 1024 * 1024
SAMPLE_ROWS = 200
DELIMITERS = (",", ";", "\t", "|")
DATA_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")


@dataclass(frozen=True)
class Limits:
    """What reading one file may cost (the ``CONNECTORS_IMPORT_*`` settings), checked before or while parsing."""

    unpacked_bytes: int  # a .gz file decompressed, a zip member, an XLSX sheet
    shared_strings_bytes: int  # an XLSX workbook's shared strings, which openpyxl holds in memory
    cell_chars: int
    columns: int
    rows: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            unpacked_bytes=settings.CONNECTORS_IMPORT_MAX_UNPACKED_BYTES,
            shared_strings_bytes=settings.CONNECTORS_IMPORT_MAX_SHARED_STRINGS_BYTES,
            cell_chars=settings.CONNECTORS_IMPORT_MAX_CELL_CHARS,
            columns=settings.CONNECTORS_IMPORT_MAX_COLUMNS,
            rows=settings.CONNECTORS_IMPORT_MAX_ROWS,
        )

    @property
    def line_chars(self) -> int:
        """A physical CSV line: a few cells at their largest (a row of many cells is capped by ``columns``)."""
        return 4 * self.cell_chars


def _decode_cp1252_fallback(error: UnicodeDecodeError):
    """A byte that is not UTF-8 in a mostly UTF-8 file: read it as Windows-1252 (then Latin-1)."""
    chunk = error.object[error.start : error.end]
    return chunk.decode("cp1252", errors="echannel-latin1"), error.end


def _decode_latin1_fallback(error: UnicodeDecodeError):
    """The five bytes Windows-1252 leaves undefined (0x81, 0x8D, …): read them as Latin-1."""
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("echannel-cp1252", _decode_cp1252_fallback)
codecs.register_error("echannel-latin1", _decode_latin1_fallback)


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
            if not seekable(path_or_file):  # two passes need to start again: keep a copy on disk
                self._spool = tempfile.TemporaryFile()
                shutil.copyfileobj(path_or_file, self._spool)
                self._file = self._spool
        self.limits = Limits.from_settings()
        self.progress = None  # progress(fraction): set by the caller, called by it as it reads (see fraction_read)
        self._raw = None  # the raw file of the current read
        self.size = self._size()
        self.format = TableFormat()
        self.headers: list[str] = []
        self.header_line = 1
        self._sniff()

    # -- opening -------------------------------------------------------------------------

    def _size(self) -> int:
        try:
            if self._path is not None:
                return self._path.stat().st_size
            self._file.seek(0, io.SEEK_END)
            return self._file.tell()
        except (OSError, AttributeError):
            return 0

    def fraction_read(self) -> float:
        """How far the current read has got in the file as stored (compressed, if it is): 0 to 1."""
        try:
            position = self._raw.tell() if self._path is not None else self._file.tell()
        except (OSError, ValueError, AttributeError):
            return 0.0
        return min(1.0, position / self.size) if self.size else 0.0

    def _open_raw(self):
        if self._path is not None:
            try:
                self._raw = open(self._path, "rb")  # closed by whoever reads it
            except OSError as error:
                raise FileFormatError(gettext("The file cannot be opened: %(reason)s") % {"reason": error}) from None
            return self._raw
        self._file.seek(0)
        return io.BufferedReader(Unclosable(self._file))

    def _open_binary(self):
        """The decompressed bytes of the table, and whether they are an XLSX workbook."""
        raw = self._open_raw()
        head = raw.read(4)
        raw.seek(0)
        if head.startswith(GZIP_MAGIC):
            self.format.compression = "gzip"
            stream = Closing(gzip.GzipFile(fileobj=raw), raw, limit=self.limits.unpacked_bytes, label=self.name)
            try:
                inner = stream.peek(4)[:4]
            except (OSError, EOFError) as error:
                stream.close()
                raise FileFormatError(
                    gettext("The compressed file is damaged: %(reason)s") % {"reason": error}
                ) from None
            if inner.startswith(ZIP_MAGIC):  # a gzipped workbook: openpyxl needs to seek
                return self._workbook_copy(stream), True
            return stream, False
        if head.startswith(ZIP_MAGIC):
            try:
                archive = zipfile.ZipFile(raw)
            except zipfile.BadZipFile as error:
                raw.close()
                raise FileFormatError(gettext("The zip file is damaged: %(reason)s") % {"reason": error}) from None
            names = archive.namelist()
            if "xl/workbook.xml" in names:  # the file itself is a workbook
                try:
                    self._check_workbook_sizes(archive)
                finally:
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
            if archive.getinfo(member).file_size > self.limits.unpacked_bytes:  # zipfile reads no more than this
                archive.close()
                raw.close()
                raise too_big(member)
            try:
                stream = Closing(archive.open(member), archive, raw, limit=self.limits.unpacked_bytes, label=member)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError) as error:
                archive.close()
                raw.close()
                raise FileFormatError(gettext("The zip file is damaged: %(reason)s") % {"reason": error}) from None
            if member.lower().endswith(".xlsx"):
                return self._workbook_copy(stream), True
            return stream, False
        return raw, False

    def _workbook_copy(self, stream):
        """A workbook inside a .gz or .zip, copied to a seekable file (openpyxl seeks), its sizes checked."""
        copy = spooled(stream)
        try:
            with zipfile.ZipFile(copy) as archive:
                self._check_workbook_sizes(archive)
        except zipfile.BadZipFile as error:
            copy.close()
            raise FileFormatError(
                gettext("The spreadsheet cannot be read: %(reason)s") % {"reason": type(error).__name__}
            ) from None
        except FileFormatError:
            copy.close()
            raise
        copy.seek(0)
        return copy

    def _check_workbook_sizes(self, archive: zipfile.ZipFile) -> None:
        """Refuse a workbook whose parts decompress beyond the limits, before openpyxl reads any of it.

        zipfile never returns more than a member's declared size, so the declared sizes bound what
        openpyxl can be made to hold (a 300 KB file may declare a 300 MB cell).
        """
        for info in archive.infolist():
            cap = self.limits.unpacked_bytes
            if info.filename.lower().endswith("sharedstrings.xml"):
                cap = self.limits.shared_strings_bytes
            if info.file_size > cap:
                raise FileFormatError(
                    gettext(
                        "The spreadsheet is too large once decompressed: its part %(part)s is more than %(size)s MB."
                    )
                    % {"part": info.filename, "size": number_format(megabytes(cap))}
                )

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
        # Incrementally: the sample may end inside a character (UTF-16, or a truncated file, is read on later).
        decoder = codecs.getincrementaldecoder(self.format.encoding)(errors=_errors(self.format.encoding))
        try:
            text = decoder.decode(sample, final=False)
        except UnicodeDecodeError as error:
            raise FileFormatError(
                gettext("The file cannot be read as %(encoding)s text: %(reason)s")
                % {"encoding": self.format.encoding, "reason": error.reason}
            ) from None
        if "\x00" in text:
            raise FileFormatError(gettext("This is not a CSV or XLSX file."))
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            raise FileFormatError(gettext("The file is empty."))
        self.format.delimiter = _sniff_delimiter(lines[0])
        csv.field_size_limit(self.limits.cell_chars)
        rows = csv.reader(lines[: SAMPLE_ROWS + 1], delimiter=self.format.delimiter)
        try:
            self.headers = [cell.strip() for cell in next(rows)]
            if len(self.headers) > self.limits.columns:
                raise too_many_columns(1, len(self.headers), self.limits.columns)
            self.format.decimal_comma = _sniff_decimal_comma(rows, self.format.delimiter)
        except csv.Error as error:
            raise FileFormatError(
                gettext("Line %(line)s cannot be read as CSV: %(reason)s") % {"line": rows.line_num, "reason": error}
            ) from None
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
            for number, cells in self._sheet_rows(sheet):
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
        limits = self.limits
        csv.field_size_limit(limits.cell_chars)
        if encoding.startswith("utf-16"):  # NUL bytes are its own: checked line by line, decoded
            text = io.TextIOWrapper(binary, encoding=encoding, errors=_errors(encoding), newline="")
            lines = capped_lines(text, limits.line_chars)
        else:  # checked on the bytes as they are read, at C speed (see CheckedBytes)
            text = io.TextIOWrapper(
                CheckedBytes(binary, 4 * limits.line_chars), encoding=encoding, errors=_errors(encoding), newline=""
            )
            lines = text
        reader = csv.reader(lines, delimiter=self.format.delimiter)
        header_seen = False
        end = 0  # the line the previous row ended on
        max_rows, max_columns = limits.rows, limits.columns
        try:
            for cells in reader:
                start, end = end + 1, reader.line_num
                if end > max_rows:
                    raise too_many_rows(max_rows)
                if len(cells) > max_columns:
                    raise too_many_columns(start, len(cells), max_columns)
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
        except UnicodeDecodeError as error:
            raise FileFormatError(
                gettext("Line %(line)s cannot be read as %(encoding)s text: %(reason)s")
                % {"line": end + 1, "encoding": encoding, "reason": error.reason}
            ) from None
        except NulCharacter as error:  # its line, else the line after the last one the csv reader took
            raise FileFormatError(
                gettext("Line %(line)s holds a NUL character: the file is damaged, or not a text file.")
                % {"line": error.line or reader.line_num + 1}
            ) from None
        except LineTooLong as error:
            raise FileFormatError(
                gettext("Line %(line)s is too long: more than %(count)s characters.")
                % {"line": error.line or reader.line_num + 1, "count": number_format(limits.line_chars)}
            ) from None
        finally:
            text.detach()

    def _sheet_rows(self, sheet) -> Iterator[tuple[int, tuple]]:
        """``(row number, values)`` of a read-only sheet, its size checked first, each row at most ``columns`` wide.

        The sheet's declared dimensions are checked before any row is parsed (a sparse sheet reaching
        column XFD or row 1,048,576 is refused at once); a sheet that declares none is read at most
        ``columns`` wide. openpyxl's own errors on a damaged row become a ``FileFormatError`` naming it
        (a NUL character, which XML forbids, is one).
        """
        limits = self.limits
        try:
            max_row, max_column = sheet.max_row, sheet.max_column
        except Exception:  # openpyxl raises many kinds on a damaged dimension
            max_row = max_column = None
        if max_column is not None and max_column > limits.columns:
            raise too_many_columns(1, max_column, limits.columns)
        if max_row is not None and max_row > limits.rows:
            raise too_many_rows(limits.rows)
        rows = sheet.iter_rows(values_only=True, max_col=None if max_column else limits.columns)
        number = 0
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except Exception as error:  # openpyxl raises many kinds on a damaged cell
                raise FileFormatError(
                    gettext("Row %(line)s of the spreadsheet cannot be read: %(reason)s")
                    % {"line": number + 1, "reason": type(error).__name__}
                ) from None
            number += 1
            if number > limits.rows:
                raise too_many_rows(limits.rows)
            yield number, cells

    def _xlsx_rows(self, binary) -> Iterator[tuple[int, list]]:
        workbook = _load_workbook(binary)
        try:
            sheet = workbook.worksheets[0]
            for number, cells in self._sheet_rows(sheet):
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
