"""The document library, document downloads and organisation logos."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from majlis.core.models import AuditEntry
from majlis.events.models import Document, EventRole
from majlis.events.views import content_disposition
from tests.factories import (
    PDF_BYTES,
    make_document,
    make_document_file,
    make_event,
    make_organisation,
    make_role,
    make_user,
)

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def list_url(event, language="en") -> str:
    return f"/{language}/{event.slug}/documents/"


def file_url(document, language: str) -> str:
    return reverse(
        "events:document-file",
        kwargs={"event": document.event.slug, "slug": document.slug, "file_language": language},
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def event(db):
    return make_event(slug="tashkent-2022")


@pytest.fixture
def organiser(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


@pytest.mark.django_db
def test_document_list_shows_files_per_language_with_size_and_format(client, event):
    make_document(event, slug="concept-note", title_en="Concept note", title_ru="Концепция", languages=("en", "ru"))
    html = client.get(list_url(event, "ru")).content.decode()
    assert "Концепция" in html
    assert 'href="/ru/tashkent-2022/documents/concept-note/en/"' in html
    assert 'href="/ru/tashkent-2022/documents/concept-note/ru/"' in html
    assert '<span lang="ru">Русский</span>' in html
    assert '<span lang="en">English</span>' in html
    assert "PDF" in html
    assert f"{len(PDF_BYTES)}\xa0" in html  # filesizeformat: "142 байта"


@pytest.mark.django_db
def test_document_list_filters_by_kind(client, event):
    make_document(event, kind=Document.Kind.CONCEPT_NOTE, title_en="The concept note")
    make_document(event, kind=Document.Kind.OUTCOME, title_en="The declaration")
    html = client.get(list_url(event) + "?kind=outcome").content.decode()
    assert "The declaration" in html
    assert "The concept note" not in html
    assert '<option value="outcome" selected>' in html


@pytest.mark.django_db
def test_document_list_filters_by_language(client, event):
    make_document(event, title_en="English only", languages=("en",))
    make_document(event, title_en="Also in Uzbek", languages=("en", "uz"))
    html = client.get(list_url(event) + "?language=uz").content.decode()
    assert "Also in Uzbek" in html
    assert "English only" not in html
    assert html.count('class="document"') == 1


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?kind=nonsense", "?language=xx", "?kind=%3Cb%3E&language=zz"])
def test_document_list_invalid_filter_gives_message_not_500(client, event, query):
    make_document(event, title_en="Still listed")
    response = client.get(list_url(event) + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Still listed" in html
    assert "<b>" not in html


@pytest.mark.django_db
def test_document_list_form_has_labels(client, event):
    html = client.get(list_url(event)).content.decode()
    assert '<label for="filter-kind">' in html and 'id="filter-kind"' in html
    assert '<label for="filter-language">' in html and 'id="filter-language"' in html


@pytest.mark.django_db
def test_document_list_hides_restricted_and_unpublished_from_public(client, event):
    make_document(event, title_en="Public paper")
    make_document(event, title_en="Internal paper", is_public=False)
    make_document(event, title_en="Future paper", published_on=timezone.localdate() + timedelta(days=5))
    make_document(event, title_en="Unpublished paper", published_on=None)
    html = client.get(list_url(event)).content.decode()
    assert "Public paper" in html
    for hidden in ("Internal paper", "Future paper", "Unpublished paper"):
        assert hidden not in html


@pytest.mark.django_db
def test_document_list_shows_restricted_to_organiser(client, event, organiser):
    make_document(event, title_en="Internal paper", is_public=False)
    client.force_login(organiser)
    html = client.get(list_url(event)).content.decode()
    assert "Internal paper" in html
    assert "Restricted: organisers only" in html


@pytest.mark.django_db
def test_document_list_query_count_bounded(client, event, organiser, django_assert_max_num_queries):
    for _ in range(15):
        make_document(event, languages=("en", "ru", "uz"))
    with django_assert_max_num_queries(4):
        assert client.get(list_url(event) + "?language=ru").status_code == 200
    client.force_login(organiser)
    with django_assert_max_num_queries(8):
        assert client.get(list_url(event)).status_code == 200


@pytest.mark.django_db
def test_document_file_download_headers(client, event):
    document = make_document(event, slug="concept-note", languages=("en",))
    response = client.get(file_url(document, "en"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="concept-note-en.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == PDF_BYTES
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_document_file_non_ascii_name_uses_rfc6266(client, event):
    document = make_document(event, languages=())
    file = make_document_file(document, "ru")
    file.original_name = "Программа «Ташкент».pdf"
    file.save()
    disposition = client.get(file_url(document, "ru"))["Content-Disposition"]
    assert disposition.startswith('inline; filename="')
    assert "filename*=UTF-8''%D0%9F%D1%80%D0%BE%D0%B3%D1%80%D0%B0%D0%BC%D0%BC%D0%B0" in disposition
    assert disposition.encode("latin-1")  # the header itself is pure ASCII


@pytest.mark.django_db
def test_document_file_content_type_guessed_when_not_stored(client, event):
    document = make_document(event, languages=())
    file = make_document_file(document, "en", content=b"plain text")
    file.content_type = ""
    file.original_name = "notes.txt"
    file.save()
    response = client.get(file_url(document, "en"))
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "xx"])
def test_document_file_missing_language_404(client, event, language):
    document = make_document(event, languages=("en",))
    assert client.get(file_url(document, language)).status_code == 404


@pytest.mark.django_db
def test_document_file_unpublished_404_for_public(client, event):
    document = make_document(event, published_on=None)
    assert client.get(file_url(document, "en")).status_code == 404


@pytest.mark.django_db
def test_restricted_document_file_404_for_anonymous_and_outsider(client, event):
    document = make_document(event, is_public=False)
    assert client.get(file_url(document, "en")).status_code == 404
    client.force_login(make_user())
    assert client.get(file_url(document, "en")).status_code == 404
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_restricted_document_file_200_and_audited_for_organiser(client, event, organiser):
    document = make_document(event, is_public=False)
    client.force_login(organiser)
    response = client.get(file_url(document, "en"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get()
    assert entry.action == "document.download"
    assert entry.actor == organiser
    assert entry.event_slug == "tashkent-2022"
    assert entry.object_id == str(document.files.get().pk)


@pytest.mark.django_db
def test_document_file_of_other_event_404(client, event):
    other = make_event()
    document = make_document(other, slug="shared-slug")
    assert client.get(f"/en/{event.slug}/documents/shared-slug/en/").status_code == 404
    assert client.get(file_url(document, "en")).status_code == 200


def test_content_disposition_ascii_fallback():
    assert content_disposition("report.pdf") == 'inline; filename="report.pdf"'
    assert content_disposition('a "quoted" name.pdf') == (
        "inline; filename=\"a__quoted__name.pdf\"; filename*=UTF-8''a%20%22quoted%22%20name.pdf"
    )
    assert content_disposition("Déclaration.pdf").startswith('inline; filename="Declaration.pdf"; filename*=')
    assert content_disposition("Декларация.pdf").startswith('inline; filename="document.pdf"; filename*=')


@pytest.mark.django_db
def test_organisation_logo_headers(client):
    organisation = make_organisation()
    organisation.logo.save("logo.svg", ContentFile(SVG), save=True)
    response = client.get(reverse("organisation-logo", args=[organisation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "max-age" in response["Cache-Control"]
    assert body(response) == SVG


@pytest.mark.django_db
def test_organisation_logo_png_content_type(client):
    organisation = make_organisation()
    organisation.logo.save("logo.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    assert client.get(reverse("organisation-logo", args=[organisation.pk]))["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_organisation_logo_404_without_logo(client):
    organisation = make_organisation()
    assert client.get(reverse("organisation-logo", args=[organisation.pk])).status_code == 404
    assert client.get(reverse("organisation-logo", args=[organisation.pk + 1000])).status_code == 404
