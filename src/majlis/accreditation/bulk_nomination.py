"""Bulk nomination of a delegation's members from a CSV or XLSX file.

The template (``template_csv`` / ``template_xlsx``) has one column per field of the member form,
headed in the page's language, a second row that explains each column (allowed values, date
formats), and in the XLSX file a second sheet listing the allowed values. Headers are recognised
in English, Russian and Uzbek, so a file filled in from another language's template is read too.

Every row goes through the very validation of the member form (``MemberForm``) and of
``services.nominate_member`` (duplicates, the delegation's member limit, the category's rules),
inside one transaction: **nothing is imported unless every row is correct**. Otherwise the rows
with errors are listed with their row number, column and message, and the transaction is rolled
back, so the focal point corrects the file and uploads it again.

Files are read defensively: at most ``MAX_FILE_BYTES`` bytes, ``MAX_ROWS`` rows and
``MAX_COLUMNS`` columns; an XLSX file is checked as a zip archive (number of parts, uncompressed
size, compression ratio) before openpyxl opens it in read-only mode, so a zip bomb is refused. A
cell that starts like a spreadsheet formula is refused (and cells written to the template are
quoted by ``safe_cell``).
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from majlis.core import audit
from majlis.core.countries import country_choices, names_by_code
from majlis.core.spreadsheets import safe_row

from . import services
from .forms_delegations import MemberForm
from .models import Application, Category, Delegation, Mode

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
MAX_COLUMNS = 60
MAX_ZIP_PARTS = 100
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
LANGUAGES = ("en", "ru", "uz")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell starting with one of these is run as a formula by spreadsheet programs; "+" is allowed in the phone.
FORMULA_STARTS = ("=", "@", "\t", "\r", "+", "-")
# Files that are certainly not spreadsheets: PDF, PNG, JPEG, GIF, gzip, 7-Zip, RAR.
BINARY_STARTS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M", "%d/%m/%Y %H:%M")


@dataclass(frozen=True)
class Column:
    name: str  # the member form's field
    label: Callable[[], str]
    explanation: Callable[[], str]


def _choices_text(choices: list[tuple[str, str]]) -> str:
    return "; ".join(f"{value} = {label}" for value, label in choices)


def _honorifics() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Application.Honorific.choices if value]


def _genders() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Application.Gender.choices]


def _modes() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Mode.choices]


def _languages() -> list[tuple[str, str]]:
    return [(code, settings.LANGUAGE_NAMES_NATIVE[code]) for code, _name in settings.LANGUAGES]


def categories_for(event: Any, delegation: Delegation) -> list[Category] | None:
    """The categories a row may name, or ``None`` when the delegation fixes the category (no column)."""
    form = MemberForm(event=event, delegation=delegation)
    if "category" not in form.fields:
        return None
    return list(form.category_options)


def columns(event: Any, delegation: Delegation) -> list[Column]:
    categories = categories_for(event, delegation)
    date_example = _("Date: YYYY-MM-DD or DD.MM.YYYY, e.g. 2030-01-31.")
    datetime_example = _("Date and time: YYYY-MM-DD HH:MM or DD.MM.YYYY HH:MM, local time of the event.")
    required = _("Required.")
    in_person = _("Required for in-person participants.")
    result: list[Column] = []
    if categories is not None:
        result.append(
            Column(
                "category",
                lambda: _("Category"),
                lambda: required + " " + _choices_text([(c.code, c.name) for c in categories]),
            )
        )
    result += [
        Column("honorific", lambda: pgettext("form of address", "Title"), lambda: _choices_text(_honorifics())),
        Column(
            "family_name", lambda: _("Family name, as in the passport"), lambda: required + " " + _("Latin letters.")
        ),
        Column(
            "given_names", lambda: _("Given names, as in the passport"), lambda: required + " " + _("Latin letters.")
        ),
        Column("name_native", lambda: _("Name in their own script"), lambda: _("For example in Cyrillic.")),
        Column(
            "gender",
            lambda: _("Gender"),
            lambda: _choices_text(_genders()) + ". " + _("Empty: %(value)s.") % {"value": "undisclosed"},
        ),
        Column(
            "nationality",
            lambda: _("Nationality"),
            lambda: required + " " + _("Two-letter ISO 3166 code, e.g. KZ (see the list of allowed values)."),
        ),
        Column("organisation_name", lambda: _("Organisation"), lambda: _("Empty: the delegation's name.")),
        Column("position", lambda: pgettext("job title", "Position"), lambda: required),
        Column("email", lambda: _("E-mail"), lambda: required + " " + _("One address per person.")),
        Column(
            "phone", lambda: _("Phone"), lambda: required + " " + _("International format, e.g. +998 71 123 45 67.")
        ),
        Column(
            "language",
            lambda: _("Language for our e-mails to this person"),
            lambda: _choices_text(_languages()) + ". " + _("Empty: the focal point's language."),
        ),
        Column(
            "mode",
            lambda: _("Takes part"),
            lambda: _choices_text(_modes()) + ". " + _("Empty: %(value)s.") % {"value": Mode.IN_PERSON.value},
        ),
        Column(
            "passport_number", lambda: _("Passport number"), lambda: in_person + " " + _("5 to 20 letters and digits.")
        ),
        Column("passport_expiry", lambda: _("Passport expiry date"), lambda: in_person + " " + date_example),
        Column(
            "passport_country",
            lambda: _("Passport issued by"),
            lambda: in_person + " " + _("Two-letter ISO 3166 code, e.g. KZ (see the list of allowed values)."),
        ),
        Column("arrival_at", lambda: _("Arrival (date and time)"), lambda: in_person + " " + datetime_example),
        Column("arrival_details", lambda: _("Arrival details (flight or train)"), lambda: _("Optional.")),
        Column("departure_at", lambda: _("Departure (date and time)"), lambda: in_person + " " + datetime_example),
        Column("departure_details", lambda: _("Departure details (flight or train)"), lambda: _("Optional.")),
        Column("interpretation_needs", lambda: _("Interpretation needs"), lambda: _("Optional.")),
        Column("accessibility_needs", lambda: _("Accessibility needs"), lambda: _("Optional.")),
        Column("dietary_needs", lambda: _("Dietary needs"), lambda: _("Optional.")),
    ]
    return result


# --- The template ----------------------------------------------------------------------------------


def template_table(event: Any, delegation: Delegation) -> list[list[str]]:
    cols = columns(event, delegation)
    return [safe_row([c.label() for c in cols]), safe_row([c.explanation() for c in cols])]


def allowed_values_table(event: Any, delegation: Delegation) -> list[list[str]]:
    rows: list[list[str]] = [[_("Column"), _("Value to type"), _("Meaning")]]
    categories = categories_for(event, delegation)
    if categories is not None:
        rows += [[_("Category"), c.code, c.name] for c in categories]
    rows += [[pgettext("form of address", "Title"), v, label] for v, label in _honorifics()]
    rows += [[_("Gender"), v, capfirst(label)] for v, label in _genders()]
    rows += [[_("Takes part"), v, capfirst(label)] for v, label in _modes()]
    rows += [[_("Language for our e-mails to this person"), v, label] for v, label in _languages()]
    rows += [[_("Country (nationality, passport)"), code, name] for code, name in country_choices()]
    return [safe_row(row) for row in rows]


def template_csv(event: Any, delegation: Delegation) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(template_table(event, delegation))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(event: Any, delegation: Delegation) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Members")[:31]
    header, explanation = template_table(event, delegation)
    for index, (label, text) in enumerate(zip(header, explanation, strict=True), start=1):
        head = sheet.cell(row=1, column=index, value=label)
        head.data_type = "s"
        head.font = Font(bold=True)
        note = sheet.cell(row=2, column=index, value=text)
        note.data_type = "s"
        note.font = Font(italic=True, color="555555")
        note.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[head.column_letter].width = 28
    sheet.freeze_panes = "A3"
    values = workbook.create_sheet(_("Allowed values")[:31])
    for row in allowed_values_table(event, delegation):
        values.append(row)
        for cell in values[values.max_row]:
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading a file --------------------------------------------------------------------------------


class FileProblem(ValidationError):
    """The file as a whole cannot be read (not a spreadsheet, too big, no header row, …)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Outcome:
    imported: list[Application] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _normal(text: Any) -> str:
    decomposed = unicodedata.normalize("NFKC", str(text or "")).strip().rstrip("*").strip()
    return " ".join(decomposed.split()).casefold()


def _in_languages(function: Callable[[], Any]) -> set[str]:
    found = set()
    for language in LANGUAGES:
        with translation.override(language):
            found.add(_normal(function()))
    return found


def _header_map(cols: list[Column]) -> dict[str, Column]:
    names: dict[str, Column] = {}
    for column in cols:
        for text in _in_languages(column.label) | {_normal(column.name)}:
            names.setdefault(text, column)
    return names


def _explanations(cols: list[Column]) -> dict[str, set[str]]:
    return {column.name: _in_languages(column.explanation) for column in cols}


def _read_csv(data: bytes) -> Iterator[list[Any]]:
    if b"\x00" in data:
        raise FileProblem(_("This file is not a CSV or XLSX spreadsheet."), code="not_spreadsheet")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(
            _("The CSV file is not in UTF-8. Save it as “CSV UTF-8”, or use the XLSX template."), code="encoding"
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise FileProblem(_("This file is not a CSV or XLSX spreadsheet."), code="not_spreadsheet") from error


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileProblem(_("This file is not a CSV or XLSX spreadsheet."), code="not_spreadsheet") from error
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise FileProblem(_("This file is not a CSV or XLSX spreadsheet."), code="not_spreadsheet")
    total = sum(part.file_size for part in parts)
    ratio = max((part.file_size / max(part.compress_size, 1) for part in parts), default=0)
    if len(parts) > MAX_ZIP_PARTS or total > MAX_UNCOMPRESSED_BYTES or ratio > MAX_COMPRESSION_RATIO:
        raise FileProblem(
            _("This XLSX file unpacks to too much data to be a list of members; it was not opened."), code="too_big"
        )


def _read_xlsx(data: bytes) -> Iterator[list[Any]]:
    _check_zip(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(
            _("This XLSX file could not be read; save it again from your spreadsheet program."), code="damaged"
        ) from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(max_row=MAX_ROWS + 3, max_col=MAX_COLUMNS, values_only=True):
            yield list(row)
    finally:
        workbook.close()


def read_rows(upload: Any) -> list[list[Any]]:
    """The rows of an uploaded CSV or XLSX file (header first), within the limits."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise FileProblem(_("The file is too large: at most 2 MB."), code="too_big")
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(_("The file is too large: at most 2 MB."), code="too_big")
    if not data.strip():
        raise FileProblem(_("The file is empty."), code="empty")
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(
            _("This is a file of the old Excel format (XLS): save it as XLSX or as CSV UTF-8 and upload it again."),
            code="old_excel",
        )
    is_zip = data.startswith(b"PK\x03\x04")
    if data.startswith(BINARY_STARTS) or (name.endswith(".xlsx") and not is_zip):
        raise FileProblem(_("This file is not a CSV or XLSX spreadsheet."), code="not_spreadsheet")
    reader = _read_xlsx(data) if is_zip else _read_csv(data)
    rows: list[list[Any]] = []
    for row in reader:
        if len(rows) > MAX_ROWS + 2:
            raise FileProblem(
                _("The file has more than %(limit)d rows of members: split it into several files.")
                % {"limit": MAX_ROWS},
                code="too_many_rows",
            )
        rows.append(list(row)[:MAX_COLUMNS])
    return rows


# --- Turning cells into the member form's data ------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _lookup(value: str, choices: list[tuple[str, str]], extra: dict[str, str] | None = None) -> str:
    """A code from its code or its label in any language (case and accents ignored); else as typed."""
    wanted = _normal(value)
    for code, _label in choices:
        if wanted == _normal(code):
            return code
    labels: dict[str, str] = dict(extra or {})
    for language in LANGUAGES:
        with translation.override(language):
            for code, label in choices:
                labels.setdefault(_normal(str(label)), code)
    return labels.get(wanted, value)


def _date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return _text(value)


def _datetime(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0)).strftime("%Y-%m-%d %H:%M")
    text = _text(value)
    for pattern in DATETIME_FORMATS:
        try:
            return datetime.strptime(text, pattern).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            continue
    return text


@cache
def _country_names() -> dict[str, str]:
    return {_normal(name): code for code, names in names_by_code().items() for name in names}


def _country(value: Any) -> str:
    text = _text(value)
    if len(text) == 2:
        return text.upper()
    return _country_names().get(_normal(text), text)


def _looks_like_formula(name: str, value: Any) -> bool:
    if not isinstance(value, str) or not value:
        return False
    if name == "phone" and value.startswith("+") and not value.startswith("+="):
        return False
    return value.startswith(FORMULA_STARTS)


def row_data(
    cells: dict[str, Any], *, categories: list[Category] | None, delegation: Delegation
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The member form's data for one row, and the problems found before the form sees it."""
    problems: list[tuple[str, str]] = []
    data: dict[str, str] = {}
    for name, value in cells.items():
        if _looks_like_formula(name, value if isinstance(value, str) else _text(value)):
            problems.append(
                (name, _("This cell starts like a spreadsheet formula (=, +, -, @): type the value as plain text."))
            )
            continue
        if name in {"passport_expiry"}:
            data[name] = _date(value)
        elif name in {"arrival_at", "departure_at"}:
            data[name] = _datetime(value)
        elif name in {"nationality", "passport_country"}:
            data[name] = _country(value)
        else:
            data[name] = _text(value)
    if categories is not None and data.get("category"):
        by_code = {_normal(c.code): str(c.pk) for c in categories}
        by_name = {_normal(c.name): str(c.pk) for c in categories}
        wanted = _normal(data["category"])
        data["category"] = by_code.get(wanted) or by_name.get(wanted) or "?" + data["category"]
    if data.get("honorific"):
        data["honorific"] = _lookup(data["honorific"], _honorifics())
    data["gender"] = _lookup(data["gender"], _genders()) if data.get("gender") else Application.Gender.UNDISCLOSED
    data["mode"] = _lookup(data["mode"], _modes()) if data.get("mode") else Mode.IN_PERSON
    if not data.get("organisation_name"):
        data["organisation_name"] = str(delegation.organisation)
    if data.get("language"):
        data["language"] = _lookup(data["language"], _languages())
    else:
        data["language"] = delegation.focal_point_language
    data["consent"] = "on"  # confirmed once for the whole file on the upload form
    return data, problems


# --- Importing -----------------------------------------------------------------------------------


def _column_label(cols_by_name: dict[str, Column], name: str) -> str:
    column = cols_by_name.get(name)
    return column.label() if column is not None else ""


def _form_errors(form: MemberForm, cols_by_name: dict[str, Column], row: int) -> list[tuple[str, RowError]]:
    errors = []
    for name, messages in form.errors.items():
        label = _column_label(cols_by_name, name) if name != "__all__" else ""
        if name == "category" and label == "":
            label = _("Category")
        for message in messages:
            errors.append((name, RowError(row, label, str(message))))  # (form errors iterate as str)
    return errors


def _service_errors(error: ValidationError, cols_by_name: dict[str, Column], row: int) -> list[RowError]:
    if not hasattr(error, "error_dict"):
        return [RowError(row, "", message) for message in error.messages]
    return [
        RowError(row, _column_label(cols_by_name, name), message)
        for name, items in error.error_dict.items()
        for item in items
        for message in item.messages
    ]


def import_members(event: Any, delegation: Delegation, upload: Any, *, actor: Any, request: Any = None) -> Outcome:
    """Validate every row and nominate the members only if all are correct (one transaction; audited).

    Raises ``FileProblem`` when the file as a whole cannot be read.
    """
    cols = columns(event, delegation)
    cols_by_name = {c.name: c for c in cols}
    headers = _header_map(cols)
    explanations = _explanations(cols)
    categories = categories_for(event, delegation)
    rows = read_rows(upload)
    while rows and not any(_text(cell) for cell in rows[0]):
        rows.pop(0)  # blank lines above the header
    if not rows:
        raise FileProblem(_("The file is empty."), code="empty")
    outcome = Outcome()
    mapping: dict[int, Column] = {}
    for index, cell in enumerate(rows[0]):
        text = _normal(cell)
        if not text:
            continue
        column = headers.get(text)
        if column is None:
            outcome.errors.append(
                RowError(1, _text(cell), _("Unknown column: use the headers of the template.")),
            )
        elif column in mapping.values():
            outcome.errors.append(RowError(1, _text(cell), _("This column appears twice.")))
        else:
            mapping[index] = column
    present = {column.name for column in mapping.values()}
    for name in ("family_name", "given_names", "email"):
        if name not in present:
            outcome.errors.append(RowError(1, cols_by_name[name].label(), _("This column is missing.")))
    if outcome.errors:
        return _refused(outcome, event, delegation, actor=actor, request=request)

    records: list[tuple[int, dict[str, Any]]] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {mapping[i].name: value for i, value in enumerate(row) if i in mapping}
        filled = {name: value for name, value in cells.items() if _text(value)}
        if not filled:
            continue
        if all(_normal(value) in explanations[name] for name, value in filled.items()):
            continue  # the template's explanatory row
        records.append((number, cells))
    outcome.rows = len(records)
    if not records:
        raise FileProblem(_("The file has no members: fill in one row per person below the headers."), code="no_rows")
    if len(records) > MAX_ROWS:
        raise FileProblem(
            _("The file has more than %(limit)d rows of members: split it into several files.") % {"limit": MAX_ROWS},
            code="too_many_rows",
        )

    with transaction.atomic():
        for number, cells in records:
            data, problems = row_data(cells, categories=categories, delegation=delegation)
            outcome.errors += [RowError(number, _column_label(cols_by_name, n), m) for n, m in problems]
            form = MemberForm(data, {}, event=event, delegation=delegation)
            if not form.is_valid():
                # The other cells of the row are checked too, so that one upload shows every error.
                refused = {name for name, _message in problems}
                outcome.errors += [
                    error for name, error in _form_errors(form, cols_by_name, number) if name not in refused
                ]
                continue
            if problems:
                continue
            try:
                with transaction.atomic():
                    member = services.nominate_member(
                        delegation, data=form.service_data(), actor=actor, invite=False, request=request
                    )
            except ValidationError as error:
                outcome.errors += _service_errors(error, cols_by_name, number)
            else:
                outcome.imported.append(member)
        if outcome.errors:
            transaction.set_rollback(True)  # nothing is imported unless every row is correct
        else:
            services._delegation_record(
                "bulk_nominated", delegation, actor=actor, request=request, members=[m.pk for m in outcome.imported]
            )
    if outcome.errors:
        outcome.imported = []
        return _refused(outcome, event, delegation, actor=actor, request=request)
    return outcome


def _refused(outcome: Outcome, event: Any, delegation: Delegation, *, actor: Any, request: Any) -> Outcome:
    audit.record(
        "accreditation.delegation_bulk_nomination_refused",
        actor=actor,
        obj=delegation,
        event_slug=event.slug,
        request=request,
        rows=outcome.rows,
        errors=len(outcome.errors),
    )
    return outcome


def summary(outcome: Outcome) -> str:
    count = len({error.row for error in outcome.errors})
    return ngettext(
        "Nothing was imported: %(count)d row has errors. Correct the file and upload it again.",
        "Nothing was imported: %(count)d rows have errors. Correct the file and upload it again.",
        count,
    ) % {"count": count}
