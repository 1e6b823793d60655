"""Passport numbers never reach error reports or logs."""

import logging
import sys

from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from majlis.core.logging_filters import PassportSafeExceptionReporterFilter, RedactPassportFilter, redact_text

PASSPORT = "FA1234567"


def report_for(request, exc_info):
    reporter = ExceptionReporter(request, *exc_info)
    reporter.filter = PassportSafeExceptionReporterFilter()
    return reporter.get_traceback_text() + reporter.get_traceback_html()


def test_error_report_hides_passport_post_fields_and_variables():
    request = RequestFactory().post(
        "/en/tashkent-2022/register/",
        {"family_name": "Karimova", "passport_number": PASSPORT, "passport_number_confirm": PASSPORT},
    )

    def register(data):
        passport_number = data["passport_number"]  # noqa: F841 - a local variable the report shows
        cleaned = {"passport_number": PASSPORT, "nested": {"Passport": PASSPORT}, "family_name": "Karimova"}  # noqa: F841
        message = f"passport_number={PASSPORT}"  # noqa: F841
        raise ValueError("boom")

    try:
        register(request.POST)
    except ValueError:
        text = report_for(request, sys.exc_info())
    assert PASSPORT not in text
    assert "Karimova" in text  # the rest of the report is still useful
    assert "********************" in text


def test_error_report_without_passport_fields_is_unchanged():
    request = RequestFactory().post("/x/", {"family_name": "Karimova"})
    params = PassportSafeExceptionReporterFilter().get_post_parameters(request)
    assert params["family_name"] == "Karimova"


def test_error_report_hides_data_keys_setting():
    assert PassportSafeExceptionReporterFilter().cleanse_setting("MAJLIS_DATA_KEYS", "secret") == "********************"


def test_redact_text_forms():
    for text in (
        f"passport_number={PASSPORT}&family_name=K",
        f"{{'passport_number': '{PASSPORT}', 'x': 1}}",
        f'{{"passport": "{PASSPORT}"}}',
        f"<QueryDict: {{'passport_number': ['{PASSPORT}']}}>",
        f"Passport-Number: {PASSPORT}",
    ):
        assert PASSPORT not in redact_text(text), text
    assert redact_text("family_name=Karimova") == "family_name=Karimova"


def test_logging_filter_redacts_messages(caplog):
    logger = logging.getLogger("majlis.test.redaction")
    redactor = RedactPassportFilter()
    logger.addFilter(redactor)
    try:
        with caplog.at_level(logging.INFO, logger="majlis.test.redaction"):
            logger.info("POST was %s", {"passport_number": PASSPORT, "family_name": "Karimova"})
            logger.info("plain message %s", 42)
    finally:
        logger.removeFilter(redactor)
    assert PASSPORT not in caplog.text
    assert "Karimova" in caplog.text and "plain message 42" in caplog.text


def test_settings_use_the_passport_filters():
    from django.conf import settings

    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER == (
        "majlis.core.logging_filters.PassportSafeExceptionReporterFilter"
    )
    wanted = "majlis.core.logging_filters.RedactPassportFilter"
    names = [name for name, spec in settings.LOGGING.get("filters", {}).items() if spec.get("()") == wanted]
    assert names, "LOGGING needs a RedactPassportFilter"
    for handler in settings.LOGGING["handlers"].values():
        assert set(names) & set(handler.get("filters", [])), handler
