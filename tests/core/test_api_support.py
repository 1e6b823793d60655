"""Language selection and JSON errors shared by every API endpoint."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import path
from django.utils import translation
from ninja import Router

from majlis.core.api_support import (
    ApiError,
    MajlisAPI,
    UnsupportedLanguage,
    _describe_validation_errors,
    language_from_accept_header,
    select_language,
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru", "ru"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("en;q=0.5, uz;q=0.9", "uz"),
        ("uz-Latn-UZ", "uz"),
        ("fr, de;q=0.9, ru;q=0.1", "ru"),
        ("ru;q=0, en;q=0.1", "en"),
    ],
)
def test_language_from_accept_header_respects_q_values(header, expected):
    assert language_from_accept_header(header) == expected


@pytest.mark.parametrize("header", ["", "fr, de", "*", "ru;q=0", "not a header;;;"])
def test_language_from_accept_header_without_supported_language_is_none(header):
    assert language_from_accept_header(header) is None


def test_select_language_query_parameter_wins_over_header():
    request = RequestFactory().get("/api/v1/events", {"lang": "UZ"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert select_language(request) == "uz"


def test_select_language_header_when_no_parameter():
    request = RequestFactory().get("/api/v1/events", HTTP_ACCEPT_LANGUAGE="ru-RU")

    assert select_language(request) == "ru"


@pytest.mark.parametrize("value", ["", " "])
def test_select_language_empty_parameter_raises(value):
    # Issue 7: an empty ?lang= was answered 200 in English instead of the declared 400.
    request = RequestFactory().get("/api/v1/events", {"lang": value}, HTTP_ACCEPT_LANGUAGE="ru")

    with pytest.raises(UnsupportedLanguage) as caught:
        select_language(request)

    assert caught.value.code == "unsupported_language"


def test_select_language_absent_parameter_uses_header():
    request = RequestFactory().get("/api/v1/events", {"other": ""}, HTTP_ACCEPT_LANGUAGE="uz")

    assert select_language(request) == "uz"


def test_select_language_unsupported_parameter_raises_with_supported_list():
    request = RequestFactory().get("/api/v1/events", {"lang": "de"})

    with pytest.raises(UnsupportedLanguage) as caught:
        select_language(request)

    assert caught.value.status == 400
    assert caught.value.code == "unsupported_language"
    assert "en, ru, uz" in caught.value.detail


def test_describe_validation_errors_names_each_parameter():
    detail, items = _describe_validation_errors(
        [
            {"loc": ("query", "kind"), "msg": "Input should be 'a' or 'b'", "type": "enum"},
            {"loc": ("path", "organisation_id"), "msg": "Input should be a valid integer", "type": "int"},
        ]
    )

    assert detail == (
        "Invalid query parameter “kind”: Input should be 'a' or 'b'. "
        "Invalid path parameter “organisation_id”: Input should be a valid integer."
    )
    assert items == [
        {"loc": ["query", "kind"], "msg": "Input should be 'a' or 'b'"},
        {"loc": ["path", "organisation_id"], "msg": "Input should be a valid integer"},
    ]


# A throwaway API, mounted under its own URLconf, checks the machinery apart from the events API.
support_api = MajlisAPI(title="Test API", version="0", urls_namespace="api-support-test")
support_router = Router()


@support_router.get("/language", response={200: dict, 400: dict})
def current_language(request):
    """Access: public."""
    return {"language": translation.get_language()}


@support_router.get("/teapot", response={200: dict, 400: dict, 418: dict})
def teapot(request):
    """Access: public."""
    raise ApiError(418, "I am a teapot.", "teapot")


support_api.add_router("/", support_router)
urlpatterns = [path("t/", support_api.urls)]


@pytest.fixture
def support_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_api_operation_runs_in_the_selected_language(client, support_urls):
    response = client.get("/t/language", HTTP_ACCEPT_LANGUAGE="uz")

    assert response.json() == {"language": "uz"}
    assert response["Content-Language"] == "uz"
    assert "Accept-Language" in response["Vary"]


def test_api_unsupported_language_answers_before_the_operation(client, support_urls):
    response = client.get("/t/language", {"lang": "xx"})

    assert response.status_code == 400
    assert response.json()["code"] == "unsupported_language"
    assert response["Content-Language"] == "en"


def test_api_error_becomes_detail_and_code(client, support_urls):
    response = client.get("/t/teapot")

    assert response.status_code == 418
    assert response.json() == {"detail": "I am a teapot.", "code": "teapot"}


def test_api_unknown_path_under_the_api_is_json_404(client, support_urls):
    response = client.get("/t/missing")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_wrong_method_is_json_405_with_allow_header(client, support_urls):
    response = client.delete("/t/language")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"
