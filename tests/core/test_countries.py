"""Country names from django-countries, with the Uzbek catalogue Majlis ships and the Russian one checked."""

import re

import pytest

from majlis.accreditation.bulk_nomination import _country
from majlis.core.countries import codes, country_choices, country_name

CYRILLIC = re.compile("[А-Яа-яЁё]")

CENTRAL_ASIA = {
    "UZ": ("Uzbekistan", "Узбекистан", "Oʻzbekiston"),
    "KZ": ("Kazakhstan", "Казахстан", "Qozogʻiston"),
    "KG": ("Kyrgyzstan", "Кыргызстан", "Qirgʻiziston"),
    "TJ": ("Tajikistan", "Таджикистан", "Tojikiston"),
    "TM": ("Turkmenistan", "Туркменистан", "Turkmaniston"),
    "AF": ("Afghanistan", "Афганистан", "Afgʻoniston"),
}


def test_every_country_has_a_russian_name_in_cyrillic_and_an_uzbek_name_in_latin():
    assert len(codes()) >= 249
    for code in codes():
        english, russian, uzbek = (country_name(code, language) for language in ("en", "ru", "uz"))
        assert english and not CYRILLIC.search(english), code
        assert CYRILLIC.search(russian), (code, russian)
        assert uzbek and not CYRILLIC.search(uzbek), (code, uzbek)


@pytest.mark.parametrize("code", sorted(CENTRAL_ASIA))
def test_the_region_is_named_as_its_people_write_it(code):
    assert tuple(country_name(code, language) for language in ("en", "ru", "uz")) == CENTRAL_ASIA[code]


def test_unknown_codes_are_shown_as_given_and_the_active_language_is_used():
    from django.utils import translation

    assert country_name("XX") == "XX" and country_name("") == ""
    with translation.override("ru"):
        assert country_name("uz") == "Узбекистан"


def test_choices_are_sorted_by_name_ignoring_accents():
    names = [name for _code, name in country_choices("uz")]
    assert names.index("Norvegiya") < names.index("Oʻzbekiston") < names.index("Palau")
    english = [name for _code, name in country_choices("en")]
    assert english.index("Afghanistan") < english.index("Åland Islands") < english.index("Albania")  # not after "Z"
    assert [name for _c, name in country_choices("ru")][:1] == ["Австралия"]


@pytest.mark.parametrize("typed", ["Uzbekistan", "Узбекистан", "Oʻzbekiston", "uz", " UZBEKISTAN "])
def test_a_spreadsheet_may_name_the_country_in_any_language(typed):
    assert _country(typed) == "UZ"
