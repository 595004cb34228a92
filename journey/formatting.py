"""Numbers and money in the reader's locale (1 234,56 € in French, £1,234.56 in English).

Django formats numbers and dates per language (``config/formats`` makes English British);
money needs CLDR currency patterns, which Babel provides.
"""

from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency
from django.utils import translation

# The CLDR locale each interface language is read in.
LOCALES = {"en": "en_GB", "fr": "fr_FR"}

# Where CLDR's symbol is written for a world of currencies and E-Channel's readers know only two:
# French CLDR writes pounds "£GB" (to tell them from other pounds); a programme between the UK and
# France has no other pound, so a French reader sees "4 630,00 £" (docs/decisions/0001-money-symbols.md).
SYMBOLS = {("fr_FR", "GBP"): "£"}


def babel_locale(language: str | None = None) -> str:
    language = (language or translation.get_language() or "en").split("-")[0]
    return LOCALES.get(language, "en_GB")


def format_money(amount: Decimal | float | int | None, currency: str, *, language: str | None = None) -> str:
    """Format an amount of money for the reader: ``format_money(1234.56, "EUR")`` → "1 234,56 €" in French."""
    if amount is None:
        return ""
    locale = babel_locale(language)
    symbol = SYMBOLS.get((locale, currency))
    if symbol is None:
        return format_currency(amount, currency, locale=locale)
    # The locale's own pattern (grouping, decimals, where the sign goes), with the symbol quoted in.
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace("¤", f"'{symbol}'")
    return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=True)


def labelled(label, value) -> str:
    """ "label: value" as the reader's language writes it ("label : value", with a no-break space, in French)."""
    from django.utils.translation import gettext

    return gettext("%(label)s: %(value)s") % {"label": label, "value": value}
