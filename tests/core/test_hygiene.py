"""Input hygiene for the whole site: NUL refused with a 400, invisible format controls stripped.

Issue 7: a NUL byte reached PostgreSQL (500), and U+202E and other bidi controls were stored and
shown raw in names, so "\u202eavomiraK" displayed as "Karimova".
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from majlis.accreditation.models import Application
from majlis.core.hygiene import BIDI_CONTROLS, InputHygieneMiddleware, clean_data, clean_text, is_stripped
from majlis.events.models import Series
from majlis.programme.models import Session
from tests.accreditation.applicant_helpers import image_bytes, make_open_event, valid_post
from tests.factories import make_accreditation_event, make_application, make_event, make_role, make_user

# Every format control that reorders or hides text, and some C0/C1 controls.
SPOOFING = [*sorted(BIDI_CONTROLS), "\u200b", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u2061", "\u206a"]
SPOOFING += ["\x07", "\x1b", "\x85"]
# Text a person may legitimately type: letters, marks, digits, punctuation, symbols and spaces of every script.
LEGITIMATE = st.text(
    alphabet=st.characters(categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="\x00"),
    max_size=40,
)
HYPOTHESIS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- The cleaning helper -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Karimova",
        "Дилноза Каримова",
        "Oʻzbekiston",  # U+02BB, the Uzbek Latin okina
        "张明",
        "محمد بن سلمان",
        "דוד בן-גוריון",
        "می\u200cخواهم",  # Persian needs the zero-width non-joiner
        "क्\u200dष",  # Devanagari with a zero-width joiner
        "👩\u200d💻",  # an emoji sequence
        "Line one\nLine two\tand a tab",
    ],
)
def test_clean_text_keeps_names_of_every_script(name):
    assert clean_text(name) == name


@pytest.mark.parametrize("control", SPOOFING)
def test_clean_text_strips_spoofing_controls(control):
    assert clean_text(f"{control}avomiraK{control}") == "avomiraK"
    assert is_stripped(control)


@HYPOTHESIS
@given(text=LEGITIMATE)
def test_clean_text_never_changes_legitimate_text(text):
    assert clean_text(text) == text


@HYPOTHESIS
@given(
    parts=st.lists(LEGITIMATE, min_size=1, max_size=6),
    controls=st.lists(st.sampled_from(SPOOFING), min_size=1, max_size=6),
)
def test_clean_text_removes_exactly_the_inserted_controls(parts, controls):
    mixed = "".join(part + control for part, control in zip(parts, controls * len(parts), strict=False))
    expected = "".join(parts)

    assert clean_text(mixed) == expected


@HYPOTHESIS
@given(text=st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60))
def test_clean_text_output_has_no_invisible_controls_and_is_idempotent(text):
    cleaned = clean_text(text)

    assert clean_text(cleaned) == cleaned
    assert not any(c in BIDI_CONTROLS for c in cleaned)
    for char in cleaned:
        category = unicodedata.category(char)
        assert category not in {"Cf", "Cc"} or char in "\u200c\u200d\t\n\r", (char, category)
    # Nothing but the stripped characters is lost, and the order of the rest is kept.
    assert cleaned == "".join(c for c in text if not is_stripped(c))


def test_clean_data_cleans_keys_and_nested_strings():
    data = {"title\u202e": {"en": "Open\u2066ing", "ru": None}, "ids": [1, "a\u200fb"], "flag": True}

    assert clean_data(data) == {"title": {"en": "Opening", "ru": None}, "ids": [1, "ab"], "flag": True}


# --- The middleware, on its own ------------------------------------------------------------------


def _through_middleware(request):
    seen = {}

    def view(request):
        seen["request"] = request
        return HttpResponse("reached")

    response = InputHygieneMiddleware(view)(request)
    return response, seen.get("request")


def test_middleware_cleans_query_and_form_but_not_passwords():
    request = RequestFactory().post(
        "/en/account/login/?q=Kari%E2%80%AEmova",
        {"username": "u\u202eser", "password": "se\u202ecret", "new_password1": "x\u2066y"},
    )

    response, seen = _through_middleware(request)

    assert response.content == b"reached"
    assert seen.GET["q"] == "Karimova"
    assert seen.POST["username"] == "user"
    assert seen.POST["password"] == "se\u202ecret"  # a password must keep matching what is typed
    assert seen.POST["new_password1"] == "x\u2066y"


def test_middleware_cleans_json_bodies():
    body = json.dumps({"title": {"en": "\u202eOpening"}, "n": 3})
    request = RequestFactory().post("/api/v1/x", body, content_type="application/json")

    _response, seen = _through_middleware(request)

    assert json.loads(seen.body) == {"title": {"en": "Opening"}, "n": 3}
    assert json.loads(seen.read()) == {"title": {"en": "Opening"}, "n": 3}


def test_middleware_leaves_uploaded_file_bytes_alone():
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\x00\x00\x00\xe2\x80\xae", content_type="image/jpeg")
    request = RequestFactory().post("/en/x/", {"name": "A", "photo": upload})

    response, seen = _through_middleware(request)

    assert response.content == b"reached"
    assert seen.FILES["photo"].read() == b"\xff\xd8\x00\x00\x00\xe2\x80\xae"


def test_middleware_leaves_binary_bodies_alone():
    request = RequestFactory().put("/api/v1/x", b"\x89PNG\x00\x00", content_type="application/octet-stream")

    response, seen = _through_middleware(request)

    assert response.content == b"reached"
    assert seen.body == b"\x89PNG\x00\x00"


@pytest.mark.parametrize(
    ("make_request", "where"),
    [
        (lambda rf: rf.get("/en/a\x00b/"), "The address of the page"),
        (lambda rf: rf.get("/en/", {"q": "a\x00b"}), "“q”"),
        (lambda rf: rf.get("/en/", {"a\x00": "b"}), "query parameter"),
        (lambda rf: rf.post("/en/", {"name": "a\x00b"}), "“name”"),
        (lambda rf: rf.post("/en/", "name=a%00b", content_type="application/x-www-form-urlencoded"), "“name”"),
        (lambda rf: rf.get("/en/", HTTP_ACCEPT_LANGUAGE="ru\x00"), "“Accept-Language”"),
        (lambda rf: rf.get("/en/", HTTP_REFERER="https://example.org/\x00"), "“Referer”"),
    ],
)
def test_middleware_refuses_nul_everywhere_with_a_page_that_says_where(db, make_request, where):
    response, seen = _through_middleware(make_request(RequestFactory()))

    assert seen is None
    assert response.status_code == 400
    html = response.content.decode()
    assert where in html
    assert "U+0000" in html


# --- Through the site: forms, the API, the admin, the pages --------------------------------------


@pytest.mark.django_db
def test_refusal_page_is_in_the_language_of_the_url(client):
    make_event()

    response = client.get("/ru/?q=a%00b")

    assert response.status_code == 400
    assert response["Content-Language"] == "ru"
    assert '<html lang="ru"' in response.content.decode()


@pytest.mark.django_db
def test_register_form_stores_names_without_bidi_controls(client):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.localdate() + timedelta(days=60)
    event = make_accreditation_event(start_date=start, end_date=start + timedelta(days=1))
    data = valid_post(event, family_name="\u202eavomiraK", given_names="Dil\u200bnoza", name_native="Дилноза\u2067")
    data["photo"] = SimpleUploadedFile("photo.jpg", image_bytes(400, 520), content_type="image/jpeg")

    response = client.post(reverse("accreditation:register", kwargs={"event": event.slug}), data)

    assert response.status_code in {200, 302}
    application = Application.objects.get(event=event)
    assert (application.family_name, application.given_names, application.name_native) == (
        "avomiraK",
        "Dilnoza",
        "Дилноза",
    )


@pytest.mark.django_db
def test_api_stores_session_titles_without_bidi_controls(client):
    event = make_event()
    user = make_user()
    make_role(event, "organiser_admin", user)
    client.force_login(user)
    payload = {
        "title": {"en": "Opening\u202e", "ru": "\u2066Открытие\u2069"},
        "kind": "plenary",
        "starts_at": "2022-03-03T09:00:00",
        "ends_at": "2022-03-03T10:00:00",
    }

    response = client.post(
        f"/api/v1/events/{event.slug}/programme/draft/sessions", json.dumps(payload), content_type="application/json"
    )

    assert response.status_code == 201, response.content
    session = Session.objects.get(event=event)
    assert (session.title_en, session.title_ru) == ("Opening", "Открытие")


@pytest.mark.django_db
def test_admin_stores_names_without_bidi_controls(admin_client):
    data = {
        "slug": "jpoa",
        "name_en": "Joint Plan\u202e of Action",
        "name_ru": "Совместный план\u200f действий",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
    }

    response = admin_client.post(reverse("admin:events_series_add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    series = Series.objects.get(slug="jpoa")
    assert (series.name_en, series.name_ru) == ("Joint Plan of Action", "Совместный план действий")


@pytest.mark.django_db
def test_public_list_isolates_names_stored_before_cleaning(client):
    # Rows written before this cleaning (or by a script) still cannot reorder the page.
    event = make_open_event()
    make_application(
        event,
        family_name="\u202eavomiraK",
        given_names="Dilnoza",
        name_native="דוד",
        status=Application.Status.APPROVED,
        listed_publicly=True,
    )

    html = client.get(reverse("accreditation:participants", kwargs={"event": event.slug})).content
    html = html.decode()

    assert "<bdi>Dilnoza \u202eAVOMIRAK</bdi>" in html
    assert ">דוד</bdi>" in html
