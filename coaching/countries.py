"""Countries for target markets: ISO 3166-1 alpha-2 codes, named in the reader's language by Babel (CLDR).

Babel is already a dependency (money in the reader's locale) and its CLDR territory names are
kept up to date with every release, in both our languages, so no country package is added.
CLDR also lists regions and codes that are not ISO 3166-1 countries (``EU``, ``UN``, ``ZZ``,
pseudo-locales, exceptionally reserved codes): they are left out. ``XK`` (Kosovo) stays, as
every e-commerce platform reports it.
"""

from __future__ import annotations

import unicodedata

from babel import Locale

from journey.formatting import babel_locale

# CLDR territories that are not countries a customer can live in, by ISO 3166-1.
NOT_COUNTRIES = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}

# Names people write that CLDR does not give (matched after normalising, see ``_key``).
ALIASES = {
    "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "great britain": "GB",
    "grande bretagne": "GB", "angleterre": "GB", "ecosse": "GB", "pays de galles": "GB", "usa": "US", "us": "US",
    "united states of america": "US", "etats unis d amerique": "US", "eire": "IE", "holland": "NL",
    "hollande": "NL", "the netherlands": "NL", "rsa": "ZA", "uae": "AE", "emirats arabes unis": "AE",
}  # fmt: skip


def _codes() -> list[str]:
    territories = Locale("en").territories
    return sorted(code for code in territories if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES)


CODES = _codes()


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in the active (or given) language; the code itself when unknown."""
    if not code:
        return ""
    return Locale.parse(babel_locale(language)).territories.get(code.upper(), code.upper())


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by name in the reader's language (accents ignored)."""
    territories = Locale.parse(babel_locale(language)).territories
    return sorted(((code, territories.get(code, code)) for code in CODES), key=lambda item: _key(item[1]))


def _key(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces: "Royaume-Uni" → "royaume uni"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.replace("’", " ").split())


def _names() -> dict[str, str]:
    names = {}
    for language in ("en", "fr"):
        territories = Locale(language).territories
        for code in CODES:
            names.setdefault(_key(territories.get(code, code)), code)
    names.update(ALIASES)
    return names


_NAMES: dict[str, str] | None = None


def match_country(text: str) -> str | None:
    """The ISO code of a country written by hand in English or French ("Royaume-Uni", "Germany", "DE"), or None."""
    global _NAMES
    if _NAMES is None:
        _NAMES = _names()
    key = _key(text or "")
    if not key:
        return None
    if len(key) == 2 and key.upper() in CODES:
        return key.upper()
    return _NAMES.get(key) or _NAMES.get(key.removeprefix("the ").removeprefix("la ").removeprefix("le "))
