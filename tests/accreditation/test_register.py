"""The public registration form: a complete application, closed registration, categories, modes and codes."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from majlis.accreditation import services
from majlis.accreditation.models import (
    AccreditationSettings,
    Application,
    InvitationCode,
    PrivacyNotice,
    SessionSeat,
)
from majlis.accreditation.views_register import pending_photo, register, registered
from majlis.core import crypto
from majlis.core.models import AuditEntry
from tests.factories import make_application, make_event, make_published_programme, make_session, make_user

from .applicant_helpers import (  # noqa: F401 - fixtures
    category_by_code,
    make_open_event,
    photo_upload,
    press_card_upload,
    register_url,
    valid_post,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def open_event(db):
    return make_open_event()


def submit(client, event, data, language="en", photo=True):
    if photo and "photo" not in data and "photo_token" not in data:
        data = {**data, "photo": photo_upload()}
    return client.post(register_url(event, language), data)


def errors_of(response) -> dict:
    assert response.status_code == 200, response.status_code
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


# --- Access ----------------------------------------------------------------------------------------


def test_register_views_are_marked_public():
    assert register.majlis_access == "public"
    assert registered.majlis_access == "public"
    assert pending_photo.majlis_access == "public"


def test_register_page_shows_the_form_to_anonymous_visitors(client, open_event):
    response = client.get(register_url(open_event))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Privacy notice (version 1)" in html
    # Only the categories open to individual applicants are offered.
    options = [label for _value, label in response.context["form"].fields["category"].choices]
    assert options[1:] == ["Expert / think tank", "Civil society", "Media"]


def test_register_page_of_a_draft_event_is_404_for_visitors(client):
    draft = make_event(status="draft", start_date=timezone.localdate() + timedelta(days=30))
    services.ensure_event_setup(draft)
    assert client.get(register_url(draft)).status_code == 404


# --- A complete application --------------------------------------------------------------------------


def test_register_creates_a_submitted_application_with_an_account(client, open_event):
    data = valid_post(open_event, email="Dilnoza.Karimova@Example.org", listed_publicly="on")
    response = submit(client, open_event, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("accreditation:registered", kwargs={"event": open_event.slug})
    application = Application.objects.get(event=open_event)
    assert application.status == Application.Status.SUBMITTED
    assert application.category.code == "expert"
    assert application.family_name == "Karimova" and application.name_native == "Дилноза Каримова"
    assert application.listed_publicly is True
    assert application.privacy_notice == PrivacyNotice.objects.get(event=open_event, version=1)
    assert application.consented_at is not None
    # The passport number is stored encrypted only.
    assert crypto.decrypt(application.passport_number_encrypted) == data["passport_number"]
    assert data["passport_number"].encode() not in bytes(application.passport_number_encrypted)
    # An account without a password: the applicant logs in with an e-mail link.
    user = application.user
    assert user.username == "dilnoza.karimova@example.org"
    assert user.email == "Dilnoza.Karimova@Example.org"
    assert not user.has_usable_password()
    assert application.photo.name.startswith("private/application/")
    actions = set(
        AuditEntry.objects.filter(object_type="accreditation.Application", object_id=str(application.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"accreditation.created", "accreditation.submitted"} <= actions


def test_register_reuses_the_account_of_a_known_e_mail(client, open_event):
    user = make_user(email="known@example.org")
    submit(client, open_event, valid_post(open_event, email="KNOWN@example.org"))
    assert Application.objects.get(event=open_event).user == user
    assert get_user_model().objects.filter(email__iexact="known@example.org").count() == 1


def test_register_confirmation_page_says_what_happens_next(client, open_event):
    response = submit(client, open_event, valid_post(open_event, email="next@example.org"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "next@example.org" in html
    assert "What happens next" in html
    assert reverse("login-link:request") in html


def test_register_confirmation_page_is_only_for_the_session_that_applied(client, open_event):
    submit(client, open_event, valid_post(open_event))
    other = client.__class__()
    response = other.get(reverse("accreditation:registered", kwargs={"event": open_event.slug}))
    assert response.status_code == 302
    assert response["Location"] == register_url(open_event)


def test_register_online_application_needs_no_passport_or_travel(client, open_event):
    response = submit(client, open_event, valid_post(open_event, mode="online"))
    assert response.status_code == 302
    application = Application.objects.get(event=open_event)
    assert application.mode == "online"
    assert application.passport_number_encrypted is None and application.arrival_at is None


def test_register_online_application_drops_passport_data_sent_anyway(client, open_event):
    data = valid_post(open_event, mode="online", passport_number="ZZ9999999", passport_country="KZ")
    assert submit(client, open_event, data).status_code == 302
    application = Application.objects.get(event=open_event)
    assert application.passport_number_digest == "" and application.passport_country == ""


def test_register_arrival_is_read_in_the_event_time_zone(client, open_event):
    data = valid_post(open_event)
    submit(client, open_event, data)
    application = Application.objects.get(event=open_event)
    local = timezone.localtime(application.arrival_at, open_event.tz)
    assert local.strftime("%Y-%m-%dT%H:%M") == data["arrival_at"]


def test_register_stores_the_chosen_side_events(client, open_event):
    side = make_session(open_event, kind="side_event", title_en="Youth and prevention", capacity=30)
    breakout = make_session(open_event, kind="breakout", title_en="Panel on financing")
    plenary = make_session(open_event, kind="plenary", title_en="Opening plenary")
    cancelled = make_session(open_event, kind="side_event", title_en="Cancelled event", is_cancelled=True)
    make_published_programme(open_event)
    unpublished = make_session(open_event, kind="side_event", title_en="Not yet published")
    form = client.get(register_url(open_event)).context["form"]
    offered = {int(value) for value, _label in form.fields["sessions"].choices}
    assert offered == {side.pk, breakout.pk}
    assert plenary.pk not in offered and cancelled.pk not in offered and unpublished.pk not in offered
    assert submit(client, open_event, valid_post(open_event, sessions=[str(side.pk)])).status_code == 302
    seat = SessionSeat.objects.get()
    assert seat.session == side and seat.application.event == open_event


# --- Registration closed ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_register_closed_shows_a_clear_page_without_form(client, open_event, language):
    AccreditationSettings.objects.filter(event=open_event).update(registration_open=False)
    response = client.get(register_url(open_event, language))
    assert response.status_code == 200
    assert response.context["state"] == "closed"
    assert b'<form method="post" enctype' not in response.content
    response = client.post(register_url(open_event, language), valid_post(open_event))
    assert response.status_code == 200 and not Application.objects.exists()


def test_register_for_a_past_event_is_closed(client):
    past = make_event(start_date=timezone.localdate() - timedelta(days=10))
    services.ensure_event_setup(past)
    response = client.get(register_url(past))
    assert response.context["state"] == "past"
    assert "Registration is closed" in response.content.decode()


def test_register_before_the_organisers_set_up_accreditation_is_not_open(client):
    upcoming = make_event(start_date=timezone.localdate() + timedelta(days=30))
    response = client.get(register_url(upcoming))
    assert response.context["state"] == "not_open"
    PrivacyNotice.objects.filter(event=upcoming).delete()
    AccreditationSettings.objects.create(event=upcoming)
    assert client.get(register_url(upcoming)).context["state"] == "not_open"  # no privacy notice yet


# --- Categories, modes and invitation codes ----------------------------------------------------------


def test_register_refuses_a_category_not_open_to_individuals(client, open_event):
    delegate = category_by_code(open_event, "delegate")
    errors = errors_of(submit(client, open_event, valid_post(open_event) | {"category": str(delegate.pk)}))
    assert "category" in errors
    assert not Application.objects.exists()


def test_register_refuses_a_mode_the_category_does_not_allow(client, open_event):
    expert = category_by_code(open_event, "expert")
    expert.allows_in_person = False
    expert.save()
    errors = errors_of(submit(client, open_event, valid_post(open_event)))
    assert errors["mode"] == ["In the category “Expert / think tank” you can take part only: online."]


def make_code(category, code="TASHKENT-PRESS-7", **kwargs) -> InvitationCode:
    return InvitationCode.objects.create(
        category=category, code_hash=hashlib.sha256(code.encode()).hexdigest(), **kwargs
    )


def test_register_with_an_invitation_code_opens_a_closed_category(client, open_event):
    donor = category_by_code(open_event, "donor")
    invitation = make_code(donor, max_uses=2)
    page = client.get(register_url(open_event) + "?code=TASHKENT-PRESS-7")
    assert "admits you in the category “Donor”" in page.content.decode()
    data = valid_post(open_event, category=None, invitation_code="  TASHKENT-PRESS-7 ")
    assert submit(client, open_event, data).status_code == 302
    assert Application.objects.get().category == donor
    invitation.refresh_from_db()
    assert invitation.uses == 1


def test_register_with_a_wrong_expired_or_used_up_code_is_refused(client, open_event):
    donor = category_by_code(open_event, "donor")
    make_code(donor, code="OLD", expires_at=timezone.now() - timedelta(minutes=1))
    make_code(donor, code="FULL", max_uses=1, uses=1)
    make_code(category_by_code(make_event_with_setup(), "donor"), code="OTHER-EVENT")
    for code in ("WRONG", "OLD", "FULL", "OTHER-EVENT"):
        errors = errors_of(submit(client, open_event, valid_post(open_event, invitation_code=code)))
        assert "invitation_code" in errors, code
    assert not Application.objects.exists()


def make_event_with_setup():
    other = make_event(start_date=timezone.localdate() + timedelta(days=90))
    services.ensure_event_setup(other)
    return other


def test_register_code_with_no_open_categories_says_invitation_only(client, open_event):
    open_event.categories.update(self_registration=False)
    html = client.get(register_url(open_event)).content.decode()
    assert "by invitation only" in html


def test_register_public_listing_is_ignored_where_the_category_forbids_it(client, open_event):
    expert = category_by_code(open_event, "expert")
    expert.public_listing_allowed = False
    expert.save()
    assert submit(client, open_event, valid_post(open_event, listed_publicly="on")).status_code == 302
    assert Application.objects.get().listed_publicly is False


def test_register_media_needs_a_press_card(client, open_event):
    errors = errors_of(submit(client, open_event, valid_post(open_event, category="media")))
    assert errors["supporting_document"] == ["Applicants in the category “Media” must upload a press card."]
    data = valid_post(open_event, category="media") | {"supporting_document": press_card_upload()}
    assert submit(client, open_event, data).status_code == 302
    application = Application.objects.get()
    assert application.supporting_document.name.startswith("private/application/")
    assert application.supporting_document.name.endswith(".pdf")
    assert application.supporting_document_name == "press-card.pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("card.exe", b"MZ\x90\x00", "Upload the document as a PDF, JPEG or PNG file."),
        ("card.pdf", b"<html>not a pdf</html>", "The file is named .pdf but is not a PDF document."),
        ("card.png", b"%PDF-1.4 pretending", "This file is not a readable image."),
        ("card.pdf", b"", "The submitted file is empty."),
    ],
)
def test_register_press_card_is_checked_by_content(client, open_event, name, content, message):
    data = valid_post(open_event, category="media") | {"supporting_document": press_card_upload(content, name)}
    assert message in errors_of(submit(client, open_event, data))["supporting_document"]


def test_register_press_card_larger_than_10_mb_is_refused(client, open_event):
    big = b"%PDF-1.4\n" + bytes(10 * 1024 * 1024)
    data = valid_post(open_event, category="media") | {"supporting_document": press_card_upload(big)}
    errors = errors_of(submit(client, open_event, data))["supporting_document"]
    assert errors == ["The document is larger than 10 MB; it may be at most 10 MB."]


def test_register_press_card_is_kept_after_an_error_elsewhere(client, open_event):
    data = valid_post(open_event, category="media", phone="123") | {"supporting_document": press_card_upload()}
    response = submit(client, open_event, data)
    assert "phone" in errors_of(response)
    token = response.context["form"].data["document_token"]
    assert token and "We kept the file you uploaded (press-card.pdf" in response.content.decode()
    second = valid_post(
        open_event, category="media", email=data["email"], photo_token=response.context["form"].data["photo_token"]
    ) | {"document_token": token, "passport_number": data["passport_number"]}
    assert client.post(register_url(open_event), second).status_code == 302
    assert Application.objects.get().supporting_document_name == "press-card.pdf"


# --- Duplicates --------------------------------------------------------------------------------------


def test_register_duplicate_e_mail_is_explained(client, open_event):
    make_application(open_event, email="twice@example.org", status=Application.Status.SUBMITTED)
    errors = errors_of(submit(client, open_event, valid_post(open_event, email="Twice@Example.org")))
    assert "An application with this e-mail address already exists for this event." in errors["email"][0]
    assert Application.objects.count() == 1


def test_register_duplicate_passport_is_explained(client, open_event):
    make_application(open_event, passport_number="AB7654321", status=Application.Status.APPROVED)
    response = submit(client, open_event, valid_post(open_event, passport_number="ab 7654321"))
    errors = errors_of(response)
    assert "An application with this passport number already exists for this event." in errors["passport_number"][0]
    # The refused submission keeps the photo for the next attempt.
    assert response.context["form"].pending_photo is not None


def test_register_after_a_cancelled_application_is_allowed(client, open_event):
    make_application(open_event, email="again@example.org", status=Application.Status.CANCELLED)
    assert submit(client, open_event, valid_post(open_event, email="again@example.org")).status_code == 302


def test_register_does_not_spend_an_invitation_use_on_a_refused_duplicate(client, open_event):
    donor = category_by_code(open_event, "donor")
    invitation = make_code(donor, code="ONCE", max_uses=1)
    make_application(open_event, email="dup@example.org", status=Application.Status.SUBMITTED)
    data = valid_post(open_event, invitation_code="ONCE", email="dup@example.org")
    assert "email" in errors_of(submit(client, open_event, data))
    invitation.refresh_from_db()
    assert invitation.uses == 0


# --- The photo after an error ----------------------------------------------------------------------


def test_register_keeps_the_photo_after_an_invalid_phone(client, open_event):
    data = valid_post(open_event, phone="0712345")
    response = submit(client, open_event, data)
    errors = errors_of(response)
    assert list(errors) == ["phone"]
    html = response.content.decode()
    token = response.context["form"].data["photo_token"]
    preview = reverse("accreditation:pending-photo", kwargs={"event": open_event.slug, "token": token})
    assert f'src="{preview}"' in html
    assert 'value="Karimova"' in html and "Дилноза Каримова" in html  # everything else kept
    image = client.get(preview)
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert "private" in image["Cache-Control"] and "no-store" in image["Cache-Control"]
    # The second submission, without uploading the photo again, succeeds.
    fixed = dict(data) | {"phone": "+998 71 123 45 67", "photo_token": token}
    second = client.post(register_url(open_event), fixed)
    assert second.status_code == 302
    application = Application.objects.get()
    with application.photo.open("rb") as handle, Image.open(handle) as photo:
        assert photo.size == (525, 675)


def test_register_kept_photo_preview_is_only_for_the_session_that_uploaded_it(client, open_event):
    response = submit(client, open_event, valid_post(open_event, phone="bad"))
    token = response.context["form"].data["photo_token"]
    preview = reverse("accreditation:pending-photo", kwargs={"event": open_event.slug, "token": token})
    stranger = client.__class__()
    assert stranger.get(preview).status_code == 404
    assert client.get(preview.replace(token[-6:], "AAAAAA")).status_code == 404


def test_register_kept_photo_token_from_another_session_is_not_used(client, open_event):
    response = submit(client, open_event, valid_post(open_event, phone="bad"))
    token = response.context["form"].data["photo_token"]
    stranger = client.__class__()
    errors = errors_of(stranger.post(register_url(open_event), valid_post(open_event, photo_token=token)))
    assert errors["photo"] == ["Add a photo for your badge."]


def test_register_kept_photo_expires_after_an_hour(client, open_event, monkeypatch):
    response = submit(client, open_event, valid_post(open_event, phone="bad"))
    token = response.context["form"].data["photo_token"]
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3601)
    errors = errors_of(client.post(register_url(open_event), valid_post(open_event, photo_token=token)))
    assert errors["photo"] == ["Add a photo for your badge."]


def test_register_photo_crop_chosen_in_the_preview_is_applied(client, open_event):
    data = valid_post(open_event, crop_x="100", crop_y="50", crop_w="350", crop_h="450")
    assert submit(client, open_event, data).status_code == 302
    with Application.objects.get().photo.open("rb") as handle, Image.open(handle) as photo:
        assert photo.size == (350, 450)


def test_register_photo_crop_outside_the_photo_is_refused_and_the_photo_kept(client, open_event):
    data = valid_post(open_event, crop_x="500", crop_y="0", crop_w="350", crop_h="450")
    response = submit(client, open_event, data)
    assert errors_of(response)["photo"] == ["The chosen photo area does not fit the photo; choose it again."]
    assert response.context["form"].pending_photo is not None


# --- Field-level messages in the page's language -------------------------------------------------


@pytest.mark.parametrize(
    ("language", "required"),
    [("en", "This field is required."), ("ru", "Обязательное поле."), ("uz", "Ushbu maydon to'ldirilishi shart.")],
)
def test_register_required_fields_are_reported_in_the_page_language(client, open_event, language, required):
    data = valid_post(open_event, family_name="", organisation_name="", email="not-an-address")
    errors = errors_of(submit(client, open_event, data, language=language))
    assert errors["family_name"] == [required]
    assert errors["organisation_name"] == [required]
    assert len(errors["email"]) == 1 and errors["email"][0] != "Enter a valid email address." or language == "en"


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "phone",
            "998711234567",
            "Write the number in international format, starting with + and the country code, e.g. +998 71 123 45 67.",
        ),
        (
            "phone",
            "+998 71 123 45 67 ext 5",
            "A phone number may contain only digits, spaces, dashes, dots and brackets after the +.",
        ),
        ("phone", "+12 34", ("A phone number in international format has 7 to 15 digits; this one has %(count)s.", 4)),
        (
            "phone",
            "+998 71 123 45",
            (
                "Phone numbers in %(country)s do not have this many digits: check the digits and that the "
                "country code is right.",
                "UZ",
            ),
        ),
        (
            "phone",
            "+999 1234 5678",
            "The number does not start with a country code we know. Check the digits after the +.",
        ),
        (
            "phone",
            "+1234567890123456",
            ("A phone number in international format has 7 to 15 digits; this one has %(count)s.", 16),
        ),
        (
            "family_name",
            "Каримова",
            "Write this name in Latin letters, as in your passport. Your own script has its own field below.",
        ),
        ("given_names", "Dil<script>", "A name may contain letters, spaces, hyphens, apostrophes and full stops only."),
        ("passport_number", "AB-12", "A passport number has 5 to 20 Latin letters and digits."),
    ],
)
def test_register_field_messages_use_the_page_language(client, open_event, language, field, value, message):
    from django.utils import translation

    errors = errors_of(submit(client, open_event, valid_post(open_event, **{field: value}), language=language))
    with translation.override(language):
        if isinstance(message, tuple):
            template, value = message
            if "%(country)s" in template:
                from majlis.core.countries import country_name

                expected = translation.gettext(template) % {"country": country_name(value)}
            else:
                expected = translation.gettext(template) % {"count": value}
        else:
            expected = translation.gettext(message)
    assert errors[field] == [expected]


def test_register_passport_must_be_valid_until_the_departure(client, open_event):
    departure_day = open_event.end_date + timedelta(days=1)  # valid_post leaves the day after the event
    data = valid_post(open_event, passport_expiry=open_event.end_date.isoformat())
    errors = errors_of(submit(client, open_event, data))
    assert errors["passport_expiry"] == [
        f"Your passport must be valid until the day of your departure ({departure_day:%d.%m.%Y})."
    ]


def test_register_passport_expiring_on_the_departure_day_is_accepted(client, open_event):
    departure_day = open_event.end_date + timedelta(days=1)
    data = valid_post(open_event, passport_expiry=departure_day.isoformat())
    assert submit(client, open_event, data).status_code == 302
    assert Application.objects.get(event=open_event, email=data["email"]).passport_expiry == departure_day


def test_register_in_person_needs_passport_and_travel_details(client, open_event):
    data = valid_post(open_event)
    for name in ("passport_number", "passport_expiry", "passport_country", "arrival_at", "departure_at"):
        data.pop(name)
    errors = errors_of(submit(client, open_event, data))
    for name in ("passport_number", "passport_expiry", "passport_country", "arrival_at", "departure_at"):
        assert errors[name] == ["Needed for in-person participants."]


def test_register_departure_must_follow_arrival(client, open_event):
    data = valid_post(open_event)
    data["departure_at"], data["arrival_at"] = data["arrival_at"], data["departure_at"]
    assert errors_of(submit(client, open_event, data))["departure_at"] == ["Departure cannot be before arrival."]


def test_register_without_consent_is_refused(client, open_event):
    data = valid_post(open_event)
    data.pop("consent")
    errors = errors_of(submit(client, open_event, data))
    assert errors["consent"] == ["Without your consent to the privacy notice we cannot process your application."]


def test_register_without_a_photo_is_refused(client, open_event):
    errors = errors_of(submit(client, open_event, valid_post(open_event), photo=False))
    assert errors["photo"] == ["Add a photo for your badge."]


def test_register_phone_is_stored_in_the_international_format(client, open_event):
    data = valid_post(open_event, phone="+998711234567")
    assert submit(client, open_event, data).status_code == 302
    assert Application.objects.get(event=open_event, email=data["email"]).phone == "+998 71 123 45 67"
