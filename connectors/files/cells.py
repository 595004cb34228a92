"""Reading one cell's text as a number or a date: the row readers' hot path.

Amounts as people write them (a decimal comma, thousands separators, a currency sign), whole
numbers, ISO dates and numeric dates read day first or month first. Numbers beyond any amount
or quantity the programme stores raise ``NumberTooLarge`` before they cost anything.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

NUMBER_NOISE = re.compile(r"[\s\u00a0\u202f'’£€$]|GBP|EUR|USD")
THOUSANDS_POINT = re.compile(r"-?\d{1,3}(\.\d{3})+")
THOUSANDS_COMMA = re.compile(r"-?\d{1,3}(,\d{3})+")


class NumberTooLarge(ValueError):
    """A number beyond what any amount or quantity can be: refused before it costs anything."""


# No amount or quantity has more digits than this; longer texts are refused before ``Decimal``
# or ``int`` reads them (a million-digit integer took 28 s), and so are exponents beyond ±E.
MAX_NUMBER_CHARS = 40
MAX_SIGNIFICANT_DIGITS = 20
MAX_MAGNITUDE = 15  # 10**15: far above any amount (≤ 10**10) or quantity (≤ 2**31)
UP_TO_FIRST_SIGNIFICANT = re.compile(r"[^1-9]*")
EXPONENT = re.compile(r"[eE]([-+]?)0*(\d+)\s*\)?$")


def _bounded_text(text: str) -> None:
    """Raise ``NumberTooLarge`` for a text too long or with too many digits or too large an exponent."""
    if len(text) > MAX_NUMBER_CHARS:
        raise NumberTooLarge(text)
    significant = text[UP_TO_FIRST_SIGNIFICANT.match(text).end() :]  # leading zeros do not count
    digits = sum(character.isdigit() for character in significant)
    exponent = EXPONENT.search(text)
    if exponent is not None:
        digits -= len(exponent.group(2))
        if len(exponent.group(2)) > 2:  # beyond ±E99
            raise NumberTooLarge(text)
    if digits > MAX_SIGNIFICANT_DIGITS:
        raise NumberTooLarge(text)


def _bounded(number: Decimal) -> Decimal | None:
    """``number`` if finite and below ``10**MAX_MAGNITUDE``; ``None`` if not finite; raises if too large."""
    if not number.is_finite():
        return None
    if number and number.adjusted() >= MAX_MAGNITUDE:
        raise NumberTooLarge(str(number))
    return number


def parse_decimal(value, decimal_comma: bool) -> Decimal | None:
    """A number as written by people and spreadsheets; ``None`` if it is not one.

    ``12.50``, ``12,50``, ``1 234,50``, ``1,234.50``, ``1.234,50``, ``£12.50``, ``(12.50)``.
    ``1,234`` is 1234 unless the file uses a decimal comma; ``1.234`` is 1.234 unless it does.
    Raises ``NumberTooLarge`` for more than ``MAX_SIGNIFICANT_DIGITS`` digits, an exponent
    beyond ±99 or a magnitude of ``10**MAX_MAGNITUDE`` or more (checked on the text first).
    """
    if isinstance(value, Decimal):
        return _bounded(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float):
            return _bounded(Decimal(repr(value)))
        if value.bit_length() > 64:
            raise NumberTooLarge(value)
        return _bounded(Decimal(value))
    text = value.strip() if isinstance(value, str) else str(value)
    _bounded_text(text)
    if not decimal_comma or "." not in text:
        try:  # the common case, at C speed
            number = Decimal(text)
        except ArithmeticError:
            pass
        else:
            return _bounded(number) if "_" not in text else None
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
    number = _bounded(Decimal(text))
    return -number if negative else number


def parse_integer(value, decimal_comma: bool) -> int | None:
    """A whole number (``6``, ``6.0``, ``1 200``); ``None`` if it is not one. Bounded as ``parse_decimal``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and len(value) <= MAX_SIGNIFICANT_DIGITS and "_" not in value:
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
