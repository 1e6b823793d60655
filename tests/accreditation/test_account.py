"""The participant's applications: list, detail, edit, cancel, re-apply; only their own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from majlis.accreditation import services, views_account
from majlis.accreditation.models import Application
from majlis.core.models import AuditEntry
from tests.factories import make_application, make_role, make_user

from .applicant_helpers import (  # noqa: F401 - fixtures
    image_bytes,
    make_open_event,
    photo_upload,
    valid_post,
)

S = Application.Status
pytestmark = [pytest.mark.django_db]


@pytest.fixture
def open_event(db):
    return make_open_event()


PASSPORT = "FA7654321"


@pytest.fixture
def participant(db):
    return make_user(email="participant@example.org")


@pytest.fixture
def application(open_event, participant):
    item = make_application(
        open_event,
        user=participant,
        email=participant.email,
        status=S.SUBMITTED,
        passport_number=PASSPORT,
        passport_expiry=open_event.end_date + timedelta(days=500),
        passport_country="UZ",
        arrival_at=timezone.now() + timedelta(days=59),
        departure_at=timezone.now() + timedelta(days=63),
        phone="+998 71 123 45 67",
        privacy_notice=services.current_privacy_notice(open_event),
        consented_at=timezone.now(),
    )
    item.photo.save("x.jpg", ContentFile(image_bytes(525, 675)), save=True)
    return item


def url(name: str, application: Application) -> str:
    return reverse(f"applications:{name}", kwargs={"pk": application.pk})


# --- Access ----------------------------------------------------------------------------------------


def test_account_views_require_login():
    for view in (
        views_account.application_list,
        views_account.application_detail,
        views_account.application_edit,
        views_account.application_cancel,
        views_account.application_reapply,
    ):
        assert view.majlis_access == "authenticated"


@pytest.mark.parametrize("name", ["detail", "edit", "cancel", "reapply"])
def test_account_anonymous_visitor_is_sent_to_log_in(client, application, name):
    response = client.get(url(name, application))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login"))


def test_account_list_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("applications:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account:login"))


@pytest.mark.parametrize("name", ["detail", "edit", "cancel", "reapply"])
def test_account_another_participants_application_is_404(client, application, name):
    client.force_login(make_user())
    assert client.get(url(name, application)).status_code == 404
    assert client.post(url(name, application)).status_code == 404
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_account_organiser_does_not_see_applications_in_the_participant_area(client, application, open_event):
    organiser = make_user()
    make_role(open_event, "organiser_admin", user=organiser)
    client.force_login(organiser)
    assert client.get(url("detail", application)).status_code == 404


def test_account_list_shows_only_own_applications_with_status(client, application, participant, open_event):
    make_application(open_event, user=make_user(), status=S.APPROVED, family_name="Stranger")
    client.force_login(participant)
    response = client.get(reverse("applications:list"))
    assert list(response.context["applications"]) == [application]
    html = response.content.decode()
    assert "Submitted" in html and "Stranger" not in html
    assert url("detail", application) in html


# --- Detail ---------------------------------------------------------------------------------------------


def test_account_detail_masks_the_passport_number(client, application, participant):
    client.force_login(participant)
    html = client.get(url("detail", application)).content.decode()
    assert PASSPORT not in html
    assert "••••••321" in html
    assert "Uzbekistan" in html
    assert reverse("accreditation-files:photo", kwargs={"application": application.pk}) in html
    # Reading one's own page is not an audited access to someone else's passport.
    assert not AuditEntry.objects.filter(action="accreditation.passport_viewed", object_id=str(application.pk)).exists()


def test_account_detail_shows_the_rejection_reason_and_offers_to_apply_again(client, application, participant):
    services.reject_application(application, actor=make_user(), reason="Please use your institutional e-mail.")
    client.force_login(participant)
    html = client.get(url("detail", application)).content.decode()
    assert "Please use your institutional e-mail." in html
    assert url("reapply", application) in html
    assert url("edit", application) not in html


# --- Edit --------------------------------------------------------------------------------------------------


def edit_post(application, **overrides):
    data = valid_post(application.event, passport_number="", **overrides)
    data.pop("email")
    data.pop("category")
    return data


def test_account_edit_form_is_prefilled(client, application, participant):
    client.force_login(participant)
    form = client.get(url("edit", application)).context["form"]
    assert form["family_name"].value() == application.family_name
    assert form["phone"].value() == "+998 71 123 45 67"
    assert form["passport_number"].value() in (None, "")  # never sent back to the browser
    assert form["email"].field.disabled


def test_account_edit_saves_changes_and_keeps_photo_and_passport(client, application, participant):
    client.force_login(participant)
    photo = application.photo.name
    response = client.post(url("edit", application), edit_post(application, dietary_needs="Halal"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.dietary_needs == "Halal"
    assert application.photo.name == photo
    assert services.passport_number(application, actor=None) == PASSPORT
    assert application.email == "participant@example.org"


def test_account_edit_cannot_change_the_e_mail(client, application, participant):
    client.force_login(participant)
    client.post(url("edit", application), edit_post(application) | {"email": "other@example.org"})
    application.refresh_from_db()
    assert application.email == "participant@example.org"


def test_account_edit_after_approval_warns_and_sends_back_to_review(client, application, participant):
    services.approve_application(application, actor=make_user())
    client.force_login(participant)
    page = client.get(url("edit", application))
    assert "goes back to the organisers for review" in page.content.decode()
    response = client.post(
        url("edit", application), edit_post(application, organisation_name="New Institute"), follow=True
    )
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert "the organisers will review your application again" in response.content.decode()


def test_account_edit_with_invalid_phone_keeps_a_new_photo(client, application, participant):
    client.force_login(participant)
    data = edit_post(application, phone="12345") | {"photo": photo_upload()}
    response = client.post(url("edit", application), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.pending_photo is not None and response.context["photo_preview_url"]
    fixed = edit_post(application) | {"photo_token": form.data["photo_token"]}
    assert client.post(url("edit", application), fixed).status_code == 302
    application.refresh_from_db()
    with application.photo.open("rb") as handle:
        assert handle.read()[:2] == b"\xff\xd8"


def test_account_edit_of_a_cancelled_application_is_refused(client, application, participant):
    services.cancel_application(application, actor=participant)
    client.force_login(participant)
    response = client.get(url("edit", application))
    assert response.status_code == 302 and response["Location"] == url("detail", application)


# --- Cancel -----------------------------------------------------------------------------------------------


def test_account_cancel_asks_for_confirmation_then_cancels_on_post(client, application, participant):
    client.force_login(participant)
    page = client.get(url("cancel", application))
    assert "Yes, cancel my application" in page.content.decode()
    application.refresh_from_db()
    assert application.status == S.SUBMITTED  # a GET changes nothing
    response = client.post(url("cancel", application))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.CANCELLED
    assert AuditEntry.objects.filter(action="accreditation.cancelled", object_id=str(application.pk)).exists()


def test_account_cancel_twice_is_refused_politely(client, application, participant):
    client.force_login(participant)
    client.post(url("cancel", application))
    response = client.post(url("cancel", application), follow=True)
    assert "can no longer be cancelled" in response.content.decode()


# --- Re-apply ---------------------------------------------------------------------------------------------


def test_account_reapply_is_only_offered_after_a_rejection(client, application, participant):
    client.force_login(participant)
    assert client.get(url("reapply", application)).status_code == 404


def test_account_reapply_prefills_a_new_application_with_the_old_photo(client, application, participant):
    services.reject_application(application, actor=make_user(), reason="Photo is not recent.")
    client.force_login(participant)
    page = client.get(url("reapply", application))
    form = page.context["form"]
    assert form["family_name"].value() == application.family_name
    assert form["email"].value() == "participant@example.org"
    assert form.pending_photo is not None and page.context["photo_preview_url"]
    data = valid_post(application.event, email=None, photo_token=form["photo_token"].value())
    data["category"] = str(application.category_id)
    response = client.post(url("reapply", application), data)
    assert response.status_code == 302
    new = Application.objects.exclude(pk=application.pk).get()
    assert new.status == S.SUBMITTED and new.user == participant and new.email == "participant@example.org"
    assert response["Location"] == url("detail", new)
    assert new.photo and new.photo.name != application.photo.name
    # A second re-application from the same rejected one is no longer offered.
    assert client.get(url("reapply", application)).status_code == 404
