"""Numbers and money in the reader's locale (1 234,56 € in French, £1,234.56 in English).

Django formats numbers and dates per language (``config/formats`` makes English British);
money needs CLDR currency patterns, which Babel provides.
"""

from decimal import Decimal

from babel.numbers import format_currency
from django.utils import translation

# The CLDR locale each interface language is read in.
LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def babel_locale(language: str | None = None) -> str:
    language = (language or translation.get_language() or "en").split("-")[0]
    return LOCALES.get(language, "en_GB")


def format_money(amount: Decimal | float | int | None, currency: str, *, language: str | None = None) -> str:
    """Format an amount of money for the reader: ``format_money(1234.56, "EUR")`` → "1 234,56 €" in French."""
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=babel_locale(language))
