"""The Russian and Uzbek catalogues are complete, well-formed and compiled."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "majlis" / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sd]|%[sd]|\{[a-z_0-9]+\}")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["ru", "uz"])
def test_catalogue_every_entry_translated(language):
    po = catalogue(language)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} untranslated in {language}: {untranslated[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["ru", "uz"])
def test_catalogue_placeholders_preserved(language):
    problems = []
    for entry in catalogue(language).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in translations:
            if sorted(PLACEHOLDER.findall(text)) != expected and not entry.msgid_plural:
                problems.append((entry.msgid, text))
            if entry.msgid_plural and not set(PLACEHOLDER.findall(text)) <= set(
                PLACEHOLDER.findall(entry.msgid) + PLACEHOLDER.findall(entry.msgid_plural)
            ):
                problems.append((entry.msgid, text))
    assert problems == []


@pytest.mark.parametrize("language", ["ru", "uz"])
def test_catalogue_translations_are_not_english_copies(language):
    po = catalogue(language)
    copies = [
        e.msgid
        for e in po.translated_entries()
        if e.msgstr == e.msgid and re.search(r"[a-z]{4,}", e.msgid) and e.msgid not in ALLOWED_SAME
    ]
    # A few words are the same in every language (acronyms, "Majlis", "API"); anything else is a stub.
    assert len(copies) <= max(3, len(po) // 100), copies


ALLOWED_SAME = {"Majlis", "English", "Markdown", "OpenAPI", "iCal", "JSON", "XML", "PDF", "TOTP", "SHA-256"}


@pytest.mark.parametrize("language", ["ru", "uz"])
def test_catalogue_compiled_file_matches(language):
    po = catalogue(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in mo}
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in po.translated_entries()}
    assert compiled == source, "run: make messages (the .mo file is out of date)"


def test_uzbek_uses_the_turned_comma_letters():
    text = " ".join(e.msgstr for e in catalogue("uz").translated_entries())
    assert "oʻ" in text or "Oʻ" in text
    # The apostrophe look-alikes are spelling mistakes in official Uzbek Latin.
    assert not re.search(r"[oOgG][’'`‘]", text)
