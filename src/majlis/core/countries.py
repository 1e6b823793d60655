"""Country and territory names (ISO 3166-1) in the site's languages, for nationality and passport fields.

Names come from django-countries (maintained, ISO 3166-1 codes and English names, its Russian
catalogue); it has no Uzbek catalogue, so Uzbek (Latin) names are in ``core/country_names`` (checked
by hand, from the iso-codes project's translations). The ISO code is what is stored; names are only
shown.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from django.conf import settings
from django.utils import translation
from django_countries import countries

LANGUAGES = ("en", "ru", "uz")


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in LANGUAGES else "en"


def codes() -> list[str]:
    """Every ISO 3166-1 alpha-2 code, in code order."""
    return sorted(code for code, _name in countries)


def country_name(code: str, language: str | None = None) -> str:
    """The name of a country in a language (the active one by default); unknown codes are returned as given."""
    code = (code or "").upper()
    if code not in countries:
        return code
    with translation.override(_language(language)):
        return str(countries.name(code))


def _sort_key(name: str) -> str:
    # Accents and the Uzbek okina do not change the order: "Oʻzbekiston" sorts with "O".
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum() or c == " ").casefold()


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((code, country_name(code, language)) for code in codes()), key=lambda c: _sort_key(c[1])))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name in a language (the active one by default)."""
    return list(_choices(_language(language)))


def names_by_code() -> dict[str, tuple[str, ...]]:
    """Every name of every country, in each language (to recognise a country typed in a spreadsheet)."""
    return {code: tuple(country_name(code, language) for language in LANGUAGES) for code in codes()}
