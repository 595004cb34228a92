"""The byte streams under a ``Table``: files that stay open, decompression capped, lines capped.

What a file may cost to read (``Limits``) is checked here as the bytes go by, so a .gz bomb or a
line without end stops with a ``FileFormatError`` in the user's language.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext


class FileFormatError(Exception):
    """The file cannot be read as a table at all; the message is in the active language."""


def too_big(what: str) -> FileFormatError:
    return FileFormatError(
        gettext("The file is too large once decompressed: %(what)s is more than %(size)s MB.")
        % {"what": what, "size": number_format(megabytes(settings.CONNECTORS_IMPORT_MAX_UNPACKED_BYTES))}
    )


def megabytes(size: int) -> int:
    return max(1, size // (1024 * 1024))


class Unclosable(io.RawIOBase):
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


class Closing(io.BufferedIOBase):
    """A decompressing stream that also closes what it reads from (the file, the archive).

    It stops with a ``FileFormatError`` past ``limit`` decompressed bytes (a .gz bomb), and when
    the compressed data is damaged or cut short.
    """

    def __init__(self, stream, *owners, limit: int | None = None, label: str = ""):
        self.stream = stream
        self.owners = owners
        self.limit = limit
        self.label = label  # what the user calls it: the file's or the zip member's name
        self.count = 0

    def readable(self):
        return True

    def _counted(self, data: bytes) -> bytes:
        self.count += len(data)
        if self.limit is not None and self.count > self.limit:
            raise too_big(self.label or gettext("the file"))
        return data

    def read(self, size=-1):
        if size is None or size < 0:  # never all at once: at most the limit, and one byte more to know
            size = (self.limit - self.count + 1) if self.limit is not None else -1
        try:
            return self._counted(self.stream.read(size))
        except DAMAGED as error:
            raise _damaged(error) from None

    def read1(self, size=-1):
        try:
            return self._counted(self.stream.read1(size))
        except DAMAGED as error:
            raise _damaged(error) from None

    def peek(self, size=0):
        try:
            return self.stream.peek(size)
        except DAMAGED as error:
            raise _damaged(error) from None

    def close(self):
        if not self.closed:
            self.stream.close()
            for owner in self.owners:
                owner.close()
        super().close()


DAMAGED = (EOFError, OSError, zlib.error, zipfile.BadZipFile)


def _damaged(error: Exception) -> FileFormatError:
    return FileFormatError(gettext("The compressed file is damaged: %(reason)s") % {"reason": error})


class LineTooLong(Exception):
    def __init__(self, line: int | None = None):
        self.line = line  # the physical line, when the bytes' checker knows it


class NulCharacter(LineTooLong):
    pass


class CheckedBytes(io.BufferedIOBase):
    """The bytes of a one-byte-per-ASCII text (UTF-8, Windows-1252), checked as the text reader takes them.

    A NUL byte, or a line of more than ``cap`` bytes (4 per character at most: a line of
    ``line_chars`` characters always passes), stops the reading before the line is decoded
    or held whole. A few C-speed scans per block read, nothing per line.
    """

    def __init__(self, stream, cap: int):
        self.stream = stream
        self.cap = cap
        self.run = 0  # bytes since the last line end
        self.lines = 0  # line ends before this block

    def readable(self):
        return True

    def _checked(self, data: bytes) -> bytes:
        nul = data.find(b"\x00")
        if nul >= 0:
            raise NulCharacter(self.lines + data.count(b"\n", 0, nul) + 1)
        data_ends = data.replace(b"\r", b"\n") if b"\r" in data else data
        first = data_ends.find(b"\n")
        if first < 0:
            self.run += len(data)
            if self.run > self.cap:
                raise LineTooLong(self.lines + 1)
            return data
        if self.run + first > self.cap:
            raise LineTooLong(self.lines + 1)
        if len(data) > self.cap:  # a block larger than a line may be: look inside
            start = 0
            for part in data_ends.split(b"\n"):
                if len(part) > self.cap:
                    raise LineTooLong(self.lines + data.count(b"\n", 0, start) + 1)
                start += len(part) + 1
        self.run = len(data) - data_ends.rfind(b"\n") - 1
        self.lines += data.count(b"\n")
        return data

    def read(self, size=-1):
        return self._checked(self.stream.read(size if size is not None and size >= 0 else self.cap + 1))

    def read1(self, size=-1):
        read1 = getattr(self.stream, "read1", self.stream.read)
        return self._checked(read1(size if size is not None and size >= 0 else self.cap + 1))


def capped_lines(text, cap: int) -> Iterator[str]:
    """The physical lines of ``text``, each read at most ``cap`` characters at a time (a line without
    an end is never read whole); a longer line, or one holding a NUL character, stops the reading."""
    readline = text.readline
    while line := readline(cap):
        if len(line) >= cap and line[-1] not in "\r\n":
            raise LineTooLong
        if "\x00" in line:
            raise NulCharacter
        yield line


def too_many_rows(limit: int) -> FileFormatError:
    return FileFormatError(
        gettext("The file has more than %(count)s rows: split it into smaller files.") % {"count": number_format(limit)}
    )


def too_many_columns(line: int, count: int, limit: int) -> FileFormatError:
    return FileFormatError(
        gettext("Line %(line)s has %(count)s columns: at most %(limit)s are read.")
        % {"line": line, "count": number_format(count), "limit": number_format(limit)}
    )


def seekable(file) -> bool:
    try:
        return bool(file.seekable())
    except (AttributeError, OSError):
        return False


def spooled(stream):
    copy = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    shutil.copyfileobj(stream, copy)
    stream.close()
    copy.seek(0)
    return copy
