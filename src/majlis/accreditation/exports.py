"""CSV and XLSX exports of the participant list, exactly as filtered on the organisers' page.

* Passport data (number, expiry, issuing country) is in an export only when the person holds
  ``accreditation.view_passports`` in the event (its security officers) *and* ticked "include
  passport data" for this export; otherwise the columns are absent, not empty.
* Gender is never exported: it is used only for aggregate figures.
* The security-vetting status and note are in an export only for organisers and vetting officers
  (``services_delegation_tools.may_view_vetting``); focal points have no export.
* Every cell goes through ``majlis.core.spreadsheets.safe_cell`` (formula injection).
* Every export writes one audit entry, ``accreditation.exported``, with the format, the filters,
  the number of rows and whether passport data was included.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from majlis.core import audit, capabilities
from majlis.core.countries import country_name
from majlis.core.files import content_disposition
from majlis.core.spreadsheets import safe_row
from majlis.events.models import Event

from .models import Application, Vetting
from .models_participants import format_reference, reference_prefix
from .queries import ParticipantFilter, participants
from .services.passports import PassportExport

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def may_see_passports(user: Any, event: Event) -> bool:
    """Who may see and export the event's passport numbers: holders of ``accreditation.view_passports``."""
    return capabilities.has(user, "accreditation.view_passports", event)


@dataclass(frozen=True)
class Column:
    header: Callable[[], str]
    value: Callable[[Application], Any]


def _local(value: Any, event: Event) -> str:
    if value is None:
        return ""
    return timezone.localtime(value, event.tz).strftime("%Y-%m-%d %H:%M")


def _sessions(application: Application) -> str:
    return "; ".join(f"{seat.session.title} ({seat.get_status_display()})" for seat in application.seats.all())


def _vetting(application: Application) -> str:
    vetting = getattr(application, "vetting", None)
    return vetting.get_status_display() if vetting is not None else str(Vetting.Status.NOT_VETTED.label)


def columns(
    event: Event, *, include_passport: bool, include_vetting: bool = False, passports: PassportExport | None = None
) -> list[Column]:
    prefix = reference_prefix(event)
    result = [
        Column(lambda: _("Application number"), lambda a: a.pk),
        Column(lambda: _("Reference number"), lambda a: format_reference(prefix, a.pk)),
        Column(lambda: _("Status"), lambda a: a.get_status_display()),
        Column(lambda: _("Category"), lambda a: a.category.name),
        Column(lambda: _("Category code"), lambda a: a.category.code),
        Column(lambda: _("Delegation"), lambda a: str(a.delegation.organisation) if a.delegation else ""),
        Column(lambda: _("Head of delegation"), lambda a: _("yes") if a.is_head_of_delegation else ""),
        Column(lambda: _("Honorific"), lambda a: a.get_honorific_display() if a.honorific else ""),
        Column(lambda: _("Family name"), lambda a: a.family_name),
        Column(lambda: _("Given names"), lambda a: a.given_names),
        Column(lambda: _("Name in own script"), lambda a: a.name_native),
        Column(lambda: _("Nationality"), lambda a: country_name(a.nationality) or a.nationality),
        Column(lambda: _("Nationality code"), lambda a: a.nationality),
        Column(lambda: _("Organisation"), lambda a: a.organisation_name),
        Column(lambda: _("Position"), lambda a: a.position),
        Column(lambda: _("E-mail"), lambda a: a.email),
        Column(lambda: _("Phone"), lambda a: a.phone),
        Column(lambda: _("Preferred language"), lambda a: a.language),
        Column(lambda: _("Participation"), lambda a: a.get_mode_display()),
        Column(lambda: _("Sessions"), _sessions),
        Column(lambda: _("Interpretation needs"), lambda a: a.interpretation_needs),
        Column(lambda: _("Accessibility needs"), lambda a: a.accessibility_needs),
        Column(lambda: _("Dietary needs"), lambda a: a.dietary_needs),
        Column(lambda: _("Arrival"), lambda a: _local(a.arrival_at, event)),
        Column(lambda: _("Arrival details"), lambda a: a.arrival_details),
        Column(lambda: _("Departure"), lambda a: _local(a.departure_at, event)),
        Column(lambda: _("Departure details"), lambda a: a.departure_details),
        Column(lambda: _("In the public list"), lambda a: _("yes") if a.listed_publicly else _("no")),
        Column(lambda: _("Submitted"), lambda a: _local(a.submitted_at, event)),
        Column(lambda: _("Decided"), lambda a: _local(a.decided_at, event)),
        Column(lambda: _("Reason for the decision"), lambda a: a.decision_reason),
    ]
    if include_vetting:  # organisers and vetting officers only (``services_delegation_tools.may_view_vetting``)
        result += [
            Column(lambda: _("Security vetting"), lambda a: _vetting(a) if a.delegation_id else ""),
            Column(lambda: _("Vetting note"), lambda a: getattr(getattr(a, "vetting", None), "note", "")),
        ]
    if include_passport:
        reader = passports or PassportExport()
        result += [
            Column(lambda: _("Passport number"), reader.number),
            Column(
                lambda: _("Passport expiry date"), lambda a: a.passport_expiry.isoformat() if a.passport_expiry else ""
            ),
            Column(lambda: _("Passport issued by"), lambda a: a.passport_country),
        ]
    return result


def rows(queryset: QuerySet[Application], cols: list[Column]) -> Iterator[list[Any]]:
    yield safe_row([column.header() for column in cols])
    for application in queryset.iterator(chunk_size=500):
        yield safe_row([column.value(application) for column in cols])


def _csv(table: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(table)
    # A byte-order mark, so that spreadsheet programs read Cyrillic and Chinese names as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(table: list[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    header, *body = table
    bold = Font(bold=True)
    cells = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in body:
        # Strings are written as text cells: a leading "=" would otherwise make openpyxl store a formula,
        # and safe_cell has already quoted those.
        sheet.append([_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def export(
    event: Event,
    filters: ParticipantFilter,
    fmt: str,
    *,
    actor: Any,
    include_passport: bool = False,
    request: HttpRequest | None = None,
) -> HttpResponse:
    """The filtered participant list as a file to download; audited."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}.")
    if include_passport and not may_see_passports(actor, event):
        raise PermissionDenied
    from .services.delegation_tools import may_view_vetting

    passports = PassportExport()
    cols = columns(
        event,
        include_passport=include_passport,
        include_vetting=may_view_vetting(actor, event),
        passports=passports,
    )
    table = list(rows(participants(event, filters), cols))
    count = len(table) - 1
    stamp = timezone.localtime(timezone.now(), event.tz).strftime("%Y%m%d-%H%M")
    filename = f"participants-{event.slug}-{stamp}.{fmt}"
    content = _csv(table) if fmt == "csv" else _xlsx(table, _("Participants"))
    audit.record(
        "accreditation.exported",
        actor=actor,
        event_slug=event.slug,
        request=request,
        format=fmt,
        filters=filters.as_dict(),
        rows=count,
        passport_data=include_passport,
        # Whose passport numbers left in the file: each person's access history can name this export.
        passport_numbers_of=passports.read_ids,
    )
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition(filename, "attachment")
    response["Cache-Control"] = "no-store, private"
    return response
