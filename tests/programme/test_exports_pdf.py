"""The printable A4 programme."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from pypdf import PdfReader

from majlis.programme.exports.common import load_published
from majlis.programme.exports.pdf import build_pdf, markup
from majlis.programme.models import Session
from tests.factories import (
    make_event,
    make_large_programme,
    make_published_programme,
    make_sample_programme,
)

A4 = (595.2756, 841.8898)


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"events:programme:{name}", kwargs=kwargs)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Snapshots and PDFs are cached per event id and version; ids are reused between tests.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event(db):
    return make_event(
        slug="tashkent-2022",
        title_en="Regional cooperation of Central Asian countries",
        title_ru="Региональное сотрудничество стран Центральной Азии",
        short_title_en="Tashkent 2022",
    )


@pytest.fixture
def programme(event):
    objects = make_sample_programme(event)
    objects["version"] = make_published_programme(event, note="First programme")
    return objects


def fetch(client, event, language="en"):
    with translation.override(language):
        response = client.get(url("programme-pdf", language, event=event.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response


def text_of(content: bytes) -> str:
    """The text of all pages with runs of white space (line breaks included) made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_programme_pdf_is_a4(client, event, programme):
    reader = PdfReader(io.BytesIO(fetch(client, event).content))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.01)


def test_programme_pdf_english_content(client, event, programme):
    text = text_of(fetch(client, event).content)
    assert "Regional cooperation of Central Asian countries" in text
    assert "Version 1, published" in text
    assert "Thursday" in text and "Friday" in text
    assert "09:00–10:30" in text
    assert "Plenary Hall" in text
    assert "Opening of the conference" in text
    assert "H.E. Aziz Namunov" in text
    assert "Address on behalf of the President of the Republic of Uzbekistan" in text
    assert "Video message" in text
    assert "Track: Pillar I" in text
    assert "Page 1 of 1" in text
    # Speakers in protocol order.
    assert text.index("Aziz Namunov") < text.index("Vladimir Voronkov") < text.index("Natalia Gherman")


def test_programme_pdf_marks_cancelled_sessions(client, event, programme):
    text = text_of(fetch(client, event).content)
    title = "Financing counter-terrorism programmes"
    assert title in text
    assert "[Cancelled]" in text[text.index(title) :]


def test_programme_pdf_russian_has_cyrillic_titles_and_version(client, event, programme):
    response = fetch(client, event, "ru")
    assert "programme-v1-ru.pdf" in response["Content-Disposition"]
    text = text_of(response.content)
    assert "Региональное сотрудничество стран Центральной Азии" in text
    assert "Открытие конференции" in text
    assert "Принятие Ташкентской декларации" in text
    assert "Пленарный зал" in text
    assert "Владимир Воронков" in text  # Cyrillic native name in Russian
    assert "Президента Республики Узбекистан" in text
    assert "3 марта 2022" in text  # dates in Russian
    with translation.override("ru"):
        published_on = date_format(programme["version"].published_at.astimezone(event.tz).date(), "DATE_FORMAT")
        expected = gettext("Version %(number)s, published %(date)s") % {"number": 1, "date": published_on}
    assert expected in text


def test_programme_pdf_prints_version_number_of_latest_version(client, event, programme):
    Session.objects.filter(pk=programme["closing"].pk).update(title_en="Adoption of the outcome documents")
    make_published_programme(event, note="Closing renamed")
    text = text_of(fetch(client, event).content)
    assert "Version 2, published" in text
    assert "Adoption of the outcome documents" in text


def test_programme_pdf_chinese_name_is_extractable(client, event, programme):
    text = text_of(fetch(client, event).content)
    assert "Zhang Ming" in text
    assert "张明" in text


def test_markup_sets_cjk_runs_in_cid_font():
    assert markup("Zhang Ming (张明) & co") == 'Zhang Ming (<font name="STSong-Light">张明</font>) &amp; co'
    assert markup("Oʻzbekiston <b>") == "Oʻzbekiston &lt;b&gt;"


def test_programme_pdf_same_version_is_byte_identical(event, programme):
    published = load_published(event)
    with translation.override("uz"):
        first = build_pdf(published, language="uz")
        second = build_pdf(published, language="uz")
    assert first == second


def test_programme_pdf_unpublished_returns_404(client, event):
    response = client.get(url("programme-pdf", event=event.slug))
    assert response.status_code == 404
    assert "No programme has been published yet" in response.content.decode()


def test_programme_pdf_large_programme_has_page_numbers(client, db):
    event = make_event()
    make_large_programme(event, 120)
    make_published_programme(event)
    reader = PdfReader(io.BytesIO(fetch(client, event).content))
    total = len(reader.pages)
    assert total > 1
    assert f"Page 1 of {total}" in reader.pages[0].extract_text()
    assert f"Page {total} of {total}" in reader.pages[-1].extract_text()
    assert all("Version 1, published" in page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("count", [10, 300])
def test_programme_pdf_query_count_is_constant(client, django_assert_max_num_queries, db, count):
    event = make_event()
    make_large_programme(event, count)
    make_published_programme(event)
    with django_assert_max_num_queries(3):
        response = client.get(url("programme-pdf", event=event.slug))
    assert response.status_code == 200
    assert "Session 1" in text_of(response.content)
