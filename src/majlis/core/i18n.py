"""Language helpers with no conference in them: per-language field names of django-modeltranslation,
and a best guess at the language of a name written in its own script (for ``lang`` attributes)."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from modeltranslation.utils import build_localized_fieldname

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def per_language(*names: str) -> tuple[str, ...]:
    """``per_language("title")`` -> ``("title_en", "title_ru", "title_uz")``: one row in a fieldset."""
    return tuple(build_localized_fieldname(name, code) for name in names for code in LANGUAGE_CODES)


def all_languages(*names: str) -> list[str]:
    """Search fields over every language version of the given fields."""
    return list(per_language(*names))


# The language a name written in a non-Latin script is most likely in, by script and country.
_CYRILLIC_BY_COUNTRY = {
    "KZ": "kk",
    "KG": "ky",
    "TJ": "tg",
    "UZ": "uz-Cyrl",
    "MN": "mn",
    "UA": "uk",
    "BY": "be",
    "BG": "bg",
    "RS": "sr",
    "MK": "mk",
}
_ARABIC_BY_COUNTRY = {"IR": "fa", "AF": "fa", "PK": "ur"}
_SCRIPT_LANGUAGE = {
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "HEBREW": "he",
    "GREEK": "el",
    "DEVANAGARI": "hi",
    "GEORGIAN": "ka",
    "ARMENIAN": "hy",
    "THAI": "th",
}


def native_name_language(name: str, country: str = "") -> str:
    """A best guess at the language of a name written in its own script, for a lang attribute."""
    for character in name:
        if not character.isalpha():
            continue
        script = unicodedata.name(character, "").split(" ")[0]
        if script == "LATIN":
            continue
        if script == "CYRILLIC":
            return _CYRILLIC_BY_COUNTRY.get(country, "ru")
        if script == "ARABIC":
            return _ARABIC_BY_COUNTRY.get(country, "ar")
        return _SCRIPT_LANGUAGE.get(script, "")
    return ""
