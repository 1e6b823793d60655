"""Uploads: sizes told truthfully; PDFs stored without JavaScript or other active content."""

from __future__ import annotations

import hashlib
from io import BytesIO

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from majlis.accreditation import photos, services
from majlis.core.pdf_safety import strip_active_content
from majlis.events.models import Document
from tests.accreditation.applicant_helpers import make_open_event, press_card_upload, valid_post
from tests.accreditation.test_register import errors_of, submit
from tests.accreditation.test_services_delegations import claimed, event, organiser  # noqa: F401 - fixtures
from tests.core.test_admin import _document_post
from tests.factories import PDF_BYTES, make_event

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def pdf_with_active_content() -> bytes:
    """One page with JavaScript everywhere a viewer would run it, a launch action, a javascript: link,
    an embedded file, an XFA form and a RichMedia annotation; and one harmless https link."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0].obj

    def js(code: str) -> pikepdf.Dictionary:
        return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(code))

    def annotation(subtype: str, **entries) -> pikepdf.Dictionary:
        return pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name(subtype), Rect=[0, 0, 50, 50], **entries)
        )

    pdf.Root.OpenAction = pdf.make_indirect(js("app.alert('open')"))
    pdf.Root.AA = pikepdf.Dictionary(WC=js("app.alert('close')"))
    embedded = pdf.make_stream(b"MZ pretend program")
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("doc"), pdf.make_indirect(js("app.alert(1)"))])
        ),
        EmbeddedFiles=pikepdf.Dictionary(
            Names=pikepdf.Array(
                [
                    pikepdf.String("tool.exe"),
                    pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("tool.exe"), EF={"/F": embedded}),
                ]
            )
        ),
    )
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pdf.make_stream(b"<xdp:xdp/>"))
    page.AA = pikepdf.Dictionary(O=js("app.alert('page')"))
    page.Annots = pikepdf.Array(
        [
            annotation("/Link", A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("javascript:alert(2)"))),
            annotation("/Link", A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))),
            annotation("/Link", A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://www.un.org/"))),
            annotation("/RichMedia", RichMediaContent=pikepdf.Dictionary()),
        ]
    )
    buffer = BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def active_content(data: bytes) -> set[str]:
    """What a viewer could run or open in ``data``, found by walking every object, nested ones too."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()

    def visit(obj, depth=0):
        if depth > 50:
            return
        if isinstance(obj, pikepdf.Array | pikepdf.Dictionary | pikepdf.Stream) and obj.is_indirect:
            if obj.objgen in seen:
                return
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            for item in obj:
                visit(item, depth + 1)
            return
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if not isinstance(obj, pikepdf.Dictionary):
            return
        for key in ("/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/XFA", "/EF"):
            if key in obj:
                found.add(key)
        if obj.get("/S") in (pikepdf.Name.JavaScript, pikepdf.Name.Launch):
            found.add(str(obj.get("/S")))
        if obj.get("/Subtype") == pikepdf.Name.RichMedia:
            found.add("/RichMedia")
        uri = obj.get("/URI")
        if isinstance(uri, pikepdf.String) and str(uri).startswith("javascript:"):
            found.add("javascript:")
        for key in list(obj.keys()):
            if key != "/Parent":
                visit(obj.get(key), depth + 1)

    with pikepdf.open(BytesIO(data)) as pdf:
        visit(pdf.trailer)
        for obj in pdf.objects:
            visit(obj)
    return found


def uris(data: bytes) -> set[str]:
    with pikepdf.open(BytesIO(data)) as pdf:
        return {
            str(obj.get("/URI"))
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and isinstance(obj.get("/URI"), pikepdf.String)
        } | {
            str(annotation.A.URI)
            for annotation in pdf.pages[0].obj.get("/Annots", [])
            if "/A" in annotation and "/URI" in annotation.A
        }


def test_pdf_sample_really_carries_active_content():
    assert {"/JS", "/OpenAction", "/AA", "/EmbeddedFiles", "/XFA", "/Launch", "javascript:", "/RichMedia"} <= (
        active_content(pdf_with_active_content())
    )


def test_pdf_active_content_is_stripped_and_the_page_and_safe_links_kept():
    cleaned = strip_active_content(pdf_with_active_content())
    assert active_content(cleaned) == set()
    assert b"alert" not in cleaned and b"cmd.exe" not in cleaned and b"MZ pretend" not in cleaned
    with pikepdf.open(BytesIO(cleaned)) as pdf:
        assert len(pdf.pages) == 1
    assert uris(cleaned) == {"https://www.un.org/"}


def test_pdf_without_active_content_is_kept_byte_for_byte():
    assert strip_active_content(PDF_BYTES) == PDF_BYTES


def test_pdf_press_card_is_stored_without_javascript(client):
    open_event = make_open_event()
    data = valid_post(open_event, category="media") | {
        "supporting_document": press_card_upload(pdf_with_active_content())
    }
    response = submit(client, open_event, data)
    assert response.status_code == 302
    from majlis.accreditation.models import Application

    application = Application.objects.get(event=open_event)
    with application.supporting_document.open("rb") as handle:
        stored = handle.read()
    assert stored.startswith(b"%PDF-")
    assert active_content(stored) == set()


def test_pdf_note_verbale_is_stored_without_javascript(event, organiser):  # noqa: F811 - fixtures
    delegation, focal = claimed(event, organiser)
    upload = SimpleUploadedFile("Note verbale.pdf", pdf_with_active_content(), content_type="application/pdf")
    document = services.add_delegation_document(delegation, upload, "note_verbale", actor=focal)
    with document.file.open("rb") as handle:
        stored = handle.read()
    assert active_content(stored) == set()
    assert document.size == len(stored)
    assert document.sha256 == hashlib.sha256(stored).hexdigest()


def test_pdf_event_document_uploaded_in_the_admin_is_stored_without_javascript(admin_client):
    upload = SimpleUploadedFile("Concept note.pdf", pdf_with_active_content())
    response = admin_client.post(reverse("admin:events_document_add"), _document_post(make_event(), upload))
    assert response.status_code == 302
    file = Document.objects.get(slug="concept-note").files.get()
    with file.file.open("rb") as handle:
        stored = handle.read()
    assert active_content(stored) == set()
    assert file.size == len(stored)
    assert file.sha256 == hashlib.sha256(stored).hexdigest()


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",  # no page tree
        b"%PDF-1.7\n" + bytes(2000),
        b"%PDF-1.4 just a header",
    ],
)
def test_pdf_that_pikepdf_cannot_open_is_refused_clearly(content):
    with pytest.raises(ValidationError) as refusal:
        photos.check_document(SimpleUploadedFile("note.pdf", content))
    assert refusal.value.code == "pdf_unreadable"
    assert "This PDF file cannot be read" in refusal.value.messages[0]


def test_pdf_unreadable_note_verbale_gets_a_field_error_on_the_page(event, organiser):  # noqa: F811 - fixtures
    delegation, focal = claimed(event, organiser)
    upload = SimpleUploadedFile("note.pdf", b"%PDF-1.4 damaged", content_type="application/pdf")
    with pytest.raises(ValidationError) as refusal:
        services.add_delegation_document(delegation, upload, "note_verbale", actor=focal)
    assert "This PDF file cannot be read" in refusal.value.message_dict["file"][0]


def test_pdf_unreadable_event_document_is_refused_in_the_admin(admin_client):
    upload = SimpleUploadedFile("Concept note.pdf", b"%PDF-1.4 damaged")
    response = admin_client.post(reverse("admin:events_document_add"), _document_post(make_event(), upload))
    assert response.status_code == 200
    assert "This PDF file cannot be read" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert not Document.objects.exists()


def test_photo_far_too_large_says_its_real_size(client):
    """As found: a 60 MB photo was refused with "The photo is 5.0 MB; it may be at most 5 MB"."""
    open_event = make_open_event()
    big = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(12 * MB), content_type="image/jpeg")
    errors = errors_of(submit(client, open_event, valid_post(open_event) | {"photo": big}))["photo"]
    assert errors == ["The photo is 12.0\xa0MB; it may be at most 5 MB."]


def test_photo_just_over_the_limit_is_not_called_5_mb():
    with pytest.raises(ValidationError) as refusal:
        photos.normalise_photo(bytes(5 * MB + 1), size=5 * MB + 10)
    assert refusal.value.messages == ["The photo is larger than 5 MB; it may be at most 5 MB."]


def test_photo_of_unknown_size_is_said_to_be_larger_than_the_limit():
    with pytest.raises(ValidationError) as refusal:
        photos.normalise_photo(photos.read_upload(BytesIO(bytes(60 * MB)), photos.MAX_PHOTO_BYTES))
    assert refusal.value.messages == ["The photo is larger than 5 MB; it may be at most 5 MB."]


def test_document_far_too_large_says_its_real_size():
    with pytest.raises(ValidationError) as refusal:
        photos.check_document(SimpleUploadedFile("card.pdf", b"%PDF-1.4\n" + bytes(23 * MB)))
    assert refusal.value.messages == ["The document is 23.0\xa0MB; it may be at most 10 MB."]
