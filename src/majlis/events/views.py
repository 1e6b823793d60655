from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from majlis.core.permissions import public


@public
def event_home(request: HttpRequest, event: str) -> HttpResponse:
    raise NotImplementedError


news_list = news_detail = document_list = document_file = contacts = background = organisation_logo = event_home
