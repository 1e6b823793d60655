from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


def site(request: HttpRequest) -> dict[str, Any]:
    """The language switcher: the same page in every language, by its language-prefixed URL."""
    path = request.get_full_path()
    return {
        "language_links": [
            {"code": code, "name": settings.LANGUAGE_NAMES_NATIVE[code], "url": translate_url(path, code)}
            for code, _name in settings.LANGUAGES
        ],
        "MAJLIS_PRODUCTION": settings.PRODUCTION,
    }
