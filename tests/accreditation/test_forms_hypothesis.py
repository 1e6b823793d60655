"""Random input to the applicant pages never causes a server error (hypothesis).

The test client re-raises any exception a view lets escape, so a crash fails the test as well as a 500.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from majlis.accreditation.forms import ApplicationForm
from majlis.accreditation.models import Application
from tests.factories import make_accreditation_event, make_application, make_user

from .applicant_helpers import image_bytes, valid_post

pytestmark = [pytest.mark.django_db]

ALLOWED = {200, 302, 400}
FIELDS = [name for name in ApplicationForm.base_fields if name not in {"photo", "supporting_document"}]
# Any character a browser can send: everything but surrogates (not encodable in UTF-8).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "0",
        "-1",
        "1e999",
        "nan",
        "9" * 40,
        "+",
        "<script>alert(1)</script>",
        "'; DROP TABLE accreditation_application; --",
        "ДилнозаКаримова",
        "王力",
        "\u202eevil",
        "2022-02-30",
        "2022-03-03T25:61",
        "on",
        "in_person",
        "online",
        "UZ",
        "zz",
    ]
)
VALUE = st.one_of(TEXT, NASTY)
HYPOTHESIS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def event(db):
    start = timezone.localdate() + timedelta(days=60)
    return make_accreditation_event(start_date=start, end_date=start + timedelta(days=1))


def register(event) -> str:
    return reverse("accreditation:register", kwargs={"event": event.slug})


@HYPOTHESIS
@given(values=st.fixed_dictionaries(dict.fromkeys(FIELDS, VALUE)))
def test_register_random_text_in_every_field_never_fails(event, values):
    response = Client().post(register(event), values)
    assert response.status_code in ALLOWED


@HYPOTHESIS
@given(field=st.sampled_from(FIELDS), value=VALUE)
def test_register_one_random_field_in_a_valid_application_never_fails(event, field, value):
    data = valid_post(event) | {field: value}
    data["photo"] = SimpleUploadedFile("photo.jpg", image_bytes(400, 520), content_type="image/jpeg")
    response = Client().post(register(event), data)
    assert response.status_code in ALLOWED


@HYPOTHESIS
@given(
    content=st.one_of(
        st.binary(max_size=4000),
        st.binary(max_size=200).map(lambda tail: b"\xff\xd8\xff\xe0\x00\x10JFIF" + tail),
        st.binary(max_size=200).map(lambda tail: b"\x89PNG\r\n\x1a\n" + tail),
        st.binary(max_size=200).map(lambda tail: b"%PDF-1.4\n" + tail),
    ),
    name=st.sampled_from(["photo.jpg", "photo.png", "photo", "фото.JPEG", "../../etc/passwd", "a.pdf"]),
)
def test_register_random_file_bytes_as_photo_and_press_card_never_fail(event, content, name):
    data = valid_post(event, category="media")
    data["photo"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    data["supporting_document"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = Client().post(register(event), data)
    assert response.status_code in ALLOWED
    assert not Application.objects.filter(event=event).exists()


@HYPOTHESIS
@given(
    data=st.dictionaries(
        keys=st.one_of(st.sampled_from(FIELDS), TEXT.filter(bool)),
        values=st.one_of(VALUE, st.lists(VALUE, max_size=4)),
        max_size=25,
    ),
    query=st.dictionaries(keys=st.sampled_from(["code", "q", "page", "x"]), values=VALUE, max_size=3),
)
def test_register_random_post_dicts_never_fail(event, data, query):
    from urllib.parse import urlencode

    client = Client()
    url = register(event) + "?" + urlencode(query)
    assert client.get(url).status_code in ALLOWED
    assert client.post(url, data).status_code in ALLOWED


@HYPOTHESIS
@given(token=VALUE, crop=st.fixed_dictionaries({f"crop_{k}": VALUE for k in "xywh"}))
def test_register_random_tokens_and_crop_values_never_fail(event, token, crop):
    data = valid_post(event) | crop | {"photo_token": token, "document_token": token}
    data["photo"] = SimpleUploadedFile("photo.jpg", image_bytes(400, 520), content_type="image/jpeg")
    client = Client()
    assert client.post(register(event), data).status_code in ALLOWED
    from urllib.parse import quote

    # Quoted: a raw "?" or "#" would end the path and make this a different request.
    preview = f"{register(event)}photo/{quote(token.replace('/', '')[:100] or 'x', safe='')}/"
    assert client.get(preview).status_code in {404} | ALLOWED


@HYPOTHESIS
@given(query=st.dictionaries(keys=st.sampled_from(["q", "page"]), values=VALUE, max_size=2))
def test_public_list_random_search_and_page_never_fail(event, query):
    from urllib.parse import urlencode

    url = reverse("accreditation:participants", kwargs={"event": event.slug})
    assert Client().get(url + "?" + urlencode(query)).status_code in ALLOWED


@HYPOTHESIS
@given(values=st.fixed_dictionaries(dict.fromkeys(FIELDS, VALUE)))
def test_account_edit_random_post_never_fails(event, values):
    user = make_user()
    application = make_application(event, user=user, email=user.email, status=Application.Status.SUBMITTED)
    client = Client()
    client.force_login(user)
    response = client.post(reverse("applications:edit", kwargs={"pk": application.pk}), values)
    assert response.status_code in ALLOWED
