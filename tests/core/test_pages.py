"""Platform pages (home, errors, login, account), template hygiene, dates and colour contrast."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import translation

import majlis
from majlis.core import views as core_views
from majlis.core.templatetags.majlis_tags import format_date_range, format_day, milestone_date
from majlis.events.models import EventRole
from tests.factories import PASSWORD, make_event, make_organisation, make_role, make_user

PACKAGE = Path(majlis.__file__).resolve().parent
TEMPLATE_DIRS = [PACKAGE / "core" / "templates", PACKAGE / "events" / "templates"]
CSS = PACKAGE / "core" / "static" / "majlis" / "site.css"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_platform_home_lists_public_events_in_language(client, language):
    make_event(title_en="Public conference", title_ru="Открытая конференция", title_uz="Ochiq konferensiya")
    make_event(title_en="Secret draft", status="draft")
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert {"en": "Public conference", "ru": "Открытая конференция", "uz": "Ochiq konferensiya"}[language] in html
    assert "Secret draft" not in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_platform_home_has_landmarks_skip_link_and_switcher(client):
    html = client.get("/uz/").content.decode()
    assert '<a class="skip-link" href="#content">' in html
    assert '<main id="content"' in html
    assert "<header" in html and "<footer" in html
    assert '<a href="/ru/" hreflang="ru" lang="ru">Русский</a>' in html
    assert 'hreflang="uz" lang="uz" aria-current="true">' in html
    for label in re.findall(r"<nav[^>]*>", html):
        assert "aria-label=" in label


@pytest.mark.django_db
def test_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response["Location"] == "/ru/"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_error_page_404_is_translated(client, language):
    response = client.get(f"/{language}/no-such-conference/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    with translation.override(language):
        assert translation.gettext("Page not found") in html
        assert translation.gettext("Go to the list of conferences") in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("handler", "status"),
    [
        (core_views.bad_request, 400),
        (core_views.permission_denied, 403),
        (core_views.page_not_found, 404),
        (core_views.server_error, 500),
    ],
)
def test_error_handlers_render_friendly_page(rf: RequestFactory, handler, status):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    request = rf.get("/en/somewhere/")
    request.user = AnonymousUser()
    with translation.override("en"):
        response = handler(request) if status == 500 else handler(request, Exception("x"))
    assert response.status_code == status
    assert b"<h1>" in response.content
    assert f"Error {status}".encode() in response.content


@pytest.mark.django_db
def test_server_error_falls_back_to_plain_page_when_rendering_fails(rf, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(core_views, "render", broken)
    response = core_views.server_error(rf.get("/en/"))
    assert response.status_code == 500
    assert b"Server error" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_login_page_renders(client, language):
    response = client.get(f"/{language}/account/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.django_db
def test_login_failure_shows_error_and_keeps_username(client):
    make_user(username="natalia")
    response = client.post("/en/account/login/", {"username": "natalia", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'value="natalia"' in html


@pytest.mark.django_db
def test_login_missing_field_shows_field_error(client):
    html = client.post("/en/account/login/", {"username": "natalia"}).content.decode()
    assert 'id="id_password_error"' in html
    assert 'aria-invalid="true"' in html


@pytest.mark.django_db
def test_login_success_redirects_to_account(client):
    make_user(username="natalia")
    response = client.post("/en/account/login/", {"username": "natalia", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/account/"


@pytest.mark.django_db
def test_account_home_requires_login(client):
    response = client.get("/en/account/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


@pytest.mark.django_db
def test_account_home_shows_name_and_roles_per_event(client):
    user = make_user(first_name="Natalia", last_name="Gherman")
    event = make_event(title_en="Tashkent conference", title_ru="Ташкентская конференция")
    make_role(event, EventRole.Role.ORGANISER_ADMIN, user=user)
    make_role(event, EventRole.Role.FOCAL_POINT, user=user, organisation=make_organisation(name_en="UNRCCA"))
    client.force_login(user)
    html = client.get("/ru/account/").content.decode()
    assert "Natalia Gherman" in html
    assert "Ташкентская конференция" in html
    assert "UNRCCA" in html
    assert html.count('<th scope="row">') == 2
    assert 'action="/ru/account/logout/"' in html


@pytest.mark.django_db
def test_logged_in_header_offers_logout_form(client):
    client.force_login(make_user())
    html = client.get("/en/").content.decode()
    assert '<form method="post" action="/en/account/logout/"' in html
    assert "/en/account/login/" not in html


def _templates() -> list[Path]:
    return [path for directory in TEMPLATE_DIRS for path in directory.rglob("*.html")]


def test_templates_have_no_inline_scripts_or_styles():
    assert _templates()
    for path in _templates():
        text = path.read_text()
        for script in re.findall(r"<script\b([^>]*)>(.*?)</script>", text, re.S | re.I):
            assert "src=" in script[0] and not script[1].strip(), f"inline script in {path}"
        assert not re.search(r"<style\b", text, re.I), f"<style> element in {path}"
        assert not re.search(r"\sstyle\s*=", text, re.I), f"style attribute in {path}"
        assert not re.search(r"\son[a-z]+\s*=", text, re.I), f"event handler attribute in {path}"
        assert not re.search(r"javascript:", text, re.I), f"javascript: URL in {path}"


def test_templates_load_i18n_when_they_translate():
    for path in _templates():
        text = path.read_text()
        if "{% translate" in text or "{% blocktranslate" in text:
            assert re.search(r"{% load [^%]*\bi18n\b", text), f"{path} translates without loading i18n"


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("en", date(2022, 3, 3), date(2022, 3, 4), "3–4 March 2022"),
        ("ru", date(2022, 3, 3), date(2022, 3, 4), "3–4 марта 2022 г."),
        ("uz", date(2022, 3, 3), date(2022, 3, 4), "3–4-Mart, 2022-yil"),
        ("en", date(2019, 5, 30), date(2019, 6, 2), "30 May – 2 June 2019"),
        ("ru", date(2019, 5, 30), date(2019, 6, 2), "30 мая – 2 июня 2019 г."),
        ("en", date(2021, 12, 30), date(2022, 1, 2), "30 December 2021 – 2 January 2022"),
        ("en", date(2017, 6, 13), None, "13 June 2017"),
        ("en", date(2017, 6, 13), date(2017, 6, 13), "13 June 2017"),
        ("ru", date(2011, 11, 30), None, "30 ноября 2011 г."),
    ],
)
def test_format_date_range_in_language(language, start, end, expected):
    with translation.override(language):
        assert format_date_range(start, end) == expected


def test_format_day_empty_value():
    assert format_day(None) == ""
    assert format_date_range(None) == ""


def test_milestone_date_year_precision_shows_year_only():
    class Milestone:
        date = date(2018, 1, 1)
        date_end = None
        date_precision = "year"

    assert milestone_date(Milestone()) == "2018"
    Milestone.date_precision = "day"
    with translation.override("en"):
        assert milestone_date(Milestone()) == "1 January 2018"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("text", "white"),
        ("muted", "white"),
        ("blue", "white"),
        ("navy", "white"),
        ("white", "navy"),
        ("white", "navy-dark"),
        ("white", "blue"),
        ("navy-dark", "white"),
        ("navy", "blue-pale"),
        ("blue", "blue-pale"),
        ("muted", "blue-pale"),
        ("navy", "blue-light"),
        ("warning-text", "warning-bg"),
        ("error-text", "error-bg"),
        ("success-text", "success-bg"),
        ("text", "focus"),
    ],
)
def test_css_colour_pairs_meet_wcag_aa(foreground, background):
    variables = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", CSS.read_text()))
    assert _contrast(variables[foreground], variables[background]) >= 4.5
