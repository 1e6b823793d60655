"""Visa-support letters: who may have one, what the PDF says in each language, who may download it."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from majlis.accreditation import views_visa
from majlis.accreditation.models import Application, OrganiserDetails, VisaLetter
from majlis.accreditation.services import participants as services_participants
from majlis.core.models import AuditEntry
from majlis.events.models import EventOrganisation
from tests.factories import (
    make_accreditation_event,
    make_application,
    make_event_organisation,
    make_organisation,
    make_role,
    make_user,
)

S = Application.Status
PASSPORT = "FA7654321"
pytestmark = pytest.mark.django_db

LOGO_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">'
    b'<rect width="120" height="120" fill="#1f4e79"/><text x="20" y="70" fill="#fff">MFA</text></svg>'
)


@pytest.fixture
def event(db):
    today = date.today()
    event = make_accreditation_event(
        slug="tashkent-2030",
        title_en="High-level conference on Central Asian cooperation",
        title_ru="Конференция высокого уровня о сотрудничестве в Центральной Азии",
        title_uz="Markaziy Osiyo hamkorligi boʻyicha yuqori darajadagi konferensiya",
        city_en="Tashkent",
        city_ru="Ташкент",
        city_uz="Toshkent",
        country="UZ",
        start_date=today + timedelta(days=60),
        end_date=today + timedelta(days=61),
    )
    host = make_organisation(
        name_en="Ministry of Foreign Affairs of the Republic of Uzbekistan",
        name_ru="Министерство иностранных дел Республики Узбекистан",
        name_uz="Oʻzbekiston Respublikasi Tashqi ishlar vazirligi",
        kind="government",
        country="UZ",
    )
    host.logo.save("mfa.svg", ContentFile(LOGO_SVG), save=True)
    make_event_organisation(event, host, role=EventOrganisation.Role.HOST)
    OrganiserDetails.objects.create(
        event=event,
        address_en="9 Uzbekistan Avenue, Tashkent 100029",
        address_ru="проспект Узбекистанский, 9, Ташкент 100029",
        address_uz="Oʻzbekiston shoh koʻchasi, 9, Toshkent 100029",
        email="accreditation@example.uz",
        signatory_name="A. Karimov",
    )
    return event


@pytest.fixture
def participant(db):
    return make_user(email="guest@example.org")


def approved(event, user=None, **kwargs):
    kwargs.setdefault("status", S.APPROVED)
    kwargs.setdefault("mode", "in_person")
    kwargs.setdefault("passport_number", PASSPORT)
    kwargs.setdefault("passport_country", "CN")
    if user is not None:
        kwargs.setdefault("email", user.email)
    return make_application(event, user=user, **kwargs)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def page(application, name="visa-letter"):
    return reverse(f"applications:{name}", kwargs={"pk": application.pk})


def manage(event, application, name):
    return reverse(f"events:accreditation-manage:{name}", kwargs={"event": event.slug, "pk": application.pk})


# --- Who may have one ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.SUBMITTED, S.UNDER_REVIEW, S.WAITLISTED, S.REJECTED, S.CANCELLED, S.WITHDRAWN])
def test_visa_letter_refused_before_approval(event, participant, status):
    application = approved(event, participant, status=status)
    with pytest.raises(Exception) as raised:
        services_participants.request_visa_letter(application, include_passport=False, actor=participant)
    assert "approved" in str(raised.value)
    assert not VisaLetter.objects.exists()


def test_visa_letter_refused_to_an_online_participant(event, participant, client):
    application = approved(event, participant, mode="online")
    with pytest.raises(Exception) as raised:
        services_participants.request_visa_letter(application, include_passport=False, actor=participant)
    assert "in person" in str(raised.value)
    client.force_login(participant)
    response = client.post(page(application), {"embassy": "", "include_passport": "on"})
    assert "only for participants who come in person" in response.content.decode()
    assert not VisaLetter.objects.exists()
    assert client.get(page(application, "visa-letter-download")).status_code == 404


def test_visa_letter_not_offered_on_the_account_page_of_an_unapproved_participant(event, participant, client):
    application = approved(event, participant, status=S.UNDER_REVIEW)
    client.force_login(participant)
    html = client.get(reverse("applications:detail", kwargs={"pk": application.pk})).content.decode()
    assert page(application) not in html


def test_visa_letter_withdrawn_accreditation_can_no_longer_download(event, participant, client):
    application = approved(event, participant)
    services_participants.request_visa_letter(application, include_passport=False, actor=participant)
    Application.objects.filter(pk=application.pk).update(status=S.WITHDRAWN)
    client.force_login(participant)
    response = client.get(page(application, "visa-letter-download"))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="accreditation.visa_letter_downloaded").exists()


# --- Asking and downloading ------------------------------------------------------------------------------


def test_visa_letter_request_and_download_by_the_participant(event, participant, client):
    application = approved(event, participant)
    client.force_login(participant)
    detail = client.get(reverse("applications:detail", kwargs={"pk": application.pk})).content.decode()
    assert page(application) in detail
    response = client.post(page(application), {"embassy": "Embassy of Uzbekistan in Beijing"})
    assert response.status_code == 302
    letter = VisaLetter.objects.get(application=application)
    assert letter.status == VisaLetter.Status.ISSUED and not letter.include_passport
    assert letter.reference == f"{application.reference}/V1"
    download = client.get(page(application, "visa-letter-download"))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"].startswith("no-store")
    text = flat(pdf_text(download.content))
    assert letter.reference in text and application.reference in text
    assert "Embassy of Uzbekistan in Beijing" in text
    assert PASSPORT not in text
    assert AuditEntry.objects.filter(
        action="accreditation.visa_letter_requested", object_id=str(application.pk)
    ).exists()
    assert AuditEntry.objects.filter(action="accreditation.visa_letter_downloaded", actor=participant).count() == 1
    assert not AuditEntry.objects.filter(action="accreditation.passport_viewed").exists()


def test_visa_letter_with_consent_shows_the_passport_number_through_the_audited_service(event, participant, client):
    application = approved(event, participant, passport_expiry=date(2031, 5, 1))
    client.force_login(participant)
    client.post(page(application), {"embassy": "", "include_passport": "on"})
    text = flat(pdf_text(client.get(page(application, "visa-letter-download")).content))
    assert PASSPORT in text and "China" in text
    assert AuditEntry.objects.filter(action="accreditation.passport_viewed", object_id=str(application.pk)).count() == 1


def test_visa_letter_consent_without_a_passport_number_is_an_error_that_keeps_the_input(event, participant, client):
    application = approved(event, participant, passport_number="")
    client.force_login(participant)
    response = client.post(page(application), {"embassy": "Embassy in Astana", "include_passport": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "has no passport number" in html and 'value="Embassy in Astana"' in html
    assert not VisaLetter.objects.exists()


def test_visa_letter_numbers_are_sequential_per_event(event, participant):
    first = services_participants.request_visa_letter(approved(event, participant), include_passport=False, actor=None)
    second = services_participants.request_visa_letter(approved(event), include_passport=False, actor=None)
    again = services_participants.request_visa_letter(first.application, include_passport=True, actor=None)
    assert (first.number, second.number, again.number) == (1, 2, 1)
    assert VisaLetter.objects.count() == 2


@pytest.mark.parametrize(
    ("language", "title", "country", "month"),
    [
        ("en", "High-level conference on Central Asian cooperation", "Uzbekistan", None),
        ("ru", "Конференция высокого уровня о сотрудничестве в Центральной Азии", "Узбекистан", "ru"),
        ("uz", "Markaziy Osiyo hamkorligi boʻyicha yuqori darajadagi konferensiya", "Oʻzbekiston", "uz"),
    ],
)
def test_visa_letter_pdf_is_in_the_participants_language(event, participant, language, title, country, month):
    application = approved(
        event,
        participant,
        language=language,
        given_names="Xiaoming",
        family_name="Wang",
        name_native="王小明",
        position="Counsellor",
    )
    letter = services_participants.request_visa_letter(application, include_passport=False, actor=participant)
    text = flat(pdf_text(services_participants.visa_letter_pdf(letter, actor=participant)))
    with translation.override(language):
        heading = gettext("Visa-support letter")
        closing = gettext("Yours faithfully,")
        from django.utils import dateformat

        start = dateformat.format(event.start_date, "j E Y")
        organiser = {
            "en": "Ministry of Foreign Affairs of the Republic of Uzbekistan",
            "ru": "Министерство иностранных дел Республики Узбекистан",
            "uz": "Oʻzbekiston Respublikasi Tashqi ishlar vazirligi",
        }[language]
    for expected in (heading, closing, title, country, start, organiser, "Xiaoming Wang", "王小明", letter.reference):
        assert flat(expected) in text, expected
    assert "A. Karimov" in text


def test_visa_letter_cyrillic_name_renders(event, participant):
    application = approved(event, participant, language="ru", name_native="Иванова Анна Сергеевна")
    letter = services_participants.request_visa_letter(application, include_passport=False, actor=participant)
    assert "Иванова Анна Сергеевна" in flat(pdf_text(services_participants.visa_letter_pdf(letter, actor=None)))


# --- Access ---------------------------------------------------------------------------------------------------


def test_visa_letter_views_declare_who_may_use_them():
    assert views_visa.visa_letter.majlis_access == "authenticated"
    assert views_visa.visa_letter_download.majlis_access == "authenticated"
    assert views_visa.issue_visa_letter.majlis_access == "accreditation.decide"
    assert views_visa.download_visa_letter.majlis_access == "accreditation.view"


def test_visa_letter_of_another_participant_is_404(event, participant, client):
    application = approved(event, participant)
    services_participants.request_visa_letter(application, include_passport=True, actor=participant)
    client.force_login(make_user())
    assert client.get(page(application)).status_code == 404
    assert client.post(page(application), {"embassy": "x"}).status_code == 404
    assert client.get(page(application, "visa-letter-download")).status_code == 404
    assert not AuditEntry.objects.filter(action="accreditation.passport_viewed").exists()


def test_visa_letter_anonymous_visitor_is_sent_to_log_in(event, participant, client):
    application = approved(event, participant)
    for url in (page(application), page(application, "visa-letter-download")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account:login"))


def test_visa_letter_organiser_issues_and_downloads(event, client):
    organiser = make_user()
    make_role(event, "organiser_admin", user=organiser)
    application = approved(event)
    client.force_login(organiser)
    detail = client.get(manage(event, application, "detail")).content.decode()
    assert manage(event, application, "visa-letter-issue") in detail
    assert client.post(manage(event, application, "visa-letter-issue")).status_code == 302
    letter = VisaLetter.objects.get(application=application)
    assert letter.issued_by == organiser and not letter.include_passport
    response = client.get(manage(event, application, "visa-letter-download"))
    assert response.status_code == 200 and PASSPORT not in flat(pdf_text(response.content))
    assert AuditEntry.objects.filter(action="accreditation.visa_letter_issued", actor=organiser).exists()
    assert AuditEntry.objects.filter(action="accreditation.visa_letter_downloaded", actor=organiser).exists()


def test_visa_letter_organiser_cannot_issue_for_an_online_participant(event, client):
    organiser = make_user()
    make_role(event, "organiser_admin", user=organiser)
    application = approved(event, mode="online")
    client.force_login(organiser)
    client.post(manage(event, application, "visa-letter-issue"))
    assert not VisaLetter.objects.exists()
    assert client.get(manage(event, application, "visa-letter-download")).status_code == 404


@pytest.mark.parametrize("role", ["focal_point", "participant", "side_event_organiser", None])
def test_visa_letter_organiser_views_refuse_others(event, client, role):
    user = make_user()
    if role:
        make_role(event, role, user=user)
    application = approved(event)
    services_participants.request_visa_letter(application, include_passport=True, actor=None)
    client.force_login(user)
    assert client.post(manage(event, application, "visa-letter-issue")).status_code == 403
    assert client.get(manage(event, application, "visa-letter-download")).status_code == 403


def test_visa_letter_filter_in_the_organisers_list(event, client):
    organiser = make_user()
    make_role(event, "organiser_admin", user=organiser)
    asked = approved(event, family_name="Askedforaletter")
    approved(event, family_name="Noletterwanted")
    services_participants.request_visa_letter(asked, include_passport=False, actor=None)
    client.force_login(organiser)
    listing = reverse("events:accreditation-manage:list", kwargs={"event": event.slug})
    html = client.get(listing, {"visa_letter": "yes"}).content.decode()
    assert "Askedforaletter".upper() in html and "Noletterwanted".upper() not in html
    html = client.get(listing, {"visa_letter": "no"}).content.decode()
    assert "Askedforaletter".upper() not in html and "Noletterwanted".upper() in html


def logo_fill_drawn(data: bytes) -> bool:
    """The logo's #1f4e79 square is painted as a fill ("rg"); the rule under the letterhead is a stroke ("RG")."""
    contents = b"".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(data)).pages)
    return b".121569 .305882 .47451 rg" in contents


def test_visa_letter_has_the_hosts_logo_on_the_letterhead(event, participant):
    application = approved(event, participant)
    letter = services_participants.request_visa_letter(application, include_passport=False, actor=participant)
    assert logo_fill_drawn(services_participants.visa_letter_pdf(letter, actor=None))
    host = EventOrganisation.objects.get(event=event).organisation
    host.logo.delete(save=True)
    data = services_participants.visa_letter_pdf(letter, actor=None)
    assert not logo_fill_drawn(data)
    assert "Ministry of Foreign Affairs of the Republic of Uzbekistan" in flat(pdf_text(data))


def test_visa_letter_purge_forgets_the_embassy_and_the_consent(event, participant):
    from django.utils import timezone

    from majlis.accreditation import personal_data

    application = approved(event, participant)
    letter = services_participants.request_visa_letter(
        application, include_passport=True, embassy="Embassy in Kabul", actor=participant
    )
    personal_data.purge_application(application, now=timezone.now(), reason="retention")
    letter.refresh_from_db()
    assert letter.embassy == "" and not letter.include_passport
    with pytest.raises(Exception, match="removed"):
        services_participants.visa_letter_pdf(letter, actor=None)


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_visa_letter_issued_by_the_organisers_is_mailed_once(
    event, settings, django_capture_on_commit_callbacks, language
):
    from .services_helpers import Mailbox

    mailbox = Mailbox(settings, django_capture_on_commit_callbacks)
    organiser = make_user()
    application = approved(event, language=language, email="guest@example.org", honorific="ms", family_name="Wang")
    with mailbox.commit():
        letter = services_participants.issue_visa_letter(application, actor=organiser)
    with mailbox.commit():
        services_participants.issue_visa_letter(application, actor=organiser)  # again: no second e-mail
    (message,) = mailbox.outbox
    assert letter.reference in message.body and PASSPORT not in message.body
    with translation.override(language):
        assert message.subject.endswith(gettext("Your visa-support letter is ready"))
        assert gettext("You can download the letter, and choose what it shows, in your account:") in message.body


def test_visa_letter_asked_for_by_the_participant_is_not_mailed(
    event, participant, settings, django_capture_on_commit_callbacks
):
    from .services_helpers import Mailbox

    mailbox = Mailbox(settings, django_capture_on_commit_callbacks)
    with mailbox.commit():
        services_participants.request_visa_letter(
            approved(event, participant), include_passport=False, actor=participant
        )
    assert mailbox.outbox == []


def test_visa_letter_is_part_of_the_participants_data_export(event, participant):
    from majlis.accreditation import personal_data

    application = approved(event, participant)
    services_participants.request_visa_letter(
        application, include_passport=True, embassy="Embassy in Riga", actor=participant
    )
    (data,) = personal_data.export_personal_data(participant)["applications"]
    assert data["reference"] == application.reference
    assert data["visa_letter"]["embassy"] == "Embassy in Riga"
    assert data["visa_letter"]["passport_number_in_the_letter"] is True
