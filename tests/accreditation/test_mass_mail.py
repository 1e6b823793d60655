"""Mass e-mail to a filtered list: written per language, previewed for a real recipient, confirmed with the
count, sent through the outbox to a real SMTP server (aiosmtpd), once per person, with a progress page."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from majlis.accreditation import queries, views_mass_mail
from majlis.accreditation.models import Application, MassMailing
from majlis.accreditation.services import participants as services_participants
from majlis.core import tasks
from majlis.core.models import AuditEntry, Honorific, OutboxMessage
from tests.factories import make_accreditation_event, make_application, make_role, make_user

from .services_helpers import Mailbox, make_organiser
from .test_mail_smtp import Recorder, free_port, parts, subject

S = Application.Status
pytestmark = pytest.mark.django_db

TEXTS = {
    "subject_en": "Shuttle buses on 3 March",
    "body_en": "Buses leave the hotels at 07:30.",
    "subject_ru": "Автобусы 3 марта",
    "body_ru": "Автобусы отправляются от гостиниц в 07:30.",
    "subject_uz": "",
    "body_uz": "",
}


@pytest.fixture
def event(db):
    return make_accreditation_event(
        short_title_en="Tashkent 2022", short_title_ru="Ташкент 2022", short_title_uz="Toshkent 2022"
    )


@pytest.fixture
def organiser(event):
    return make_organiser(event)


@pytest.fixture
def mailbox(settings, django_capture_on_commit_callbacks):
    return Mailbox(settings, django_capture_on_commit_callbacks)


@pytest.fixture
def smtp(settings, mailbox):
    port = free_port()
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    controller.start()
    yield recorder
    controller.stop()


@pytest.fixture
def people(event):
    return {
        "ru": make_application(
            event,
            status=S.APPROVED,
            language="ru",
            honorific=Honorific.MS,
            family_name="Ivanova",
            email="ru@example.org",
        ),
        "uz": make_application(
            event,
            status=S.APPROVED,
            language="uz",
            honorific=Honorific.MR,
            family_name="Karimov",
            email="uz@example.org",
        ),
        "en": make_application(
            event, status=S.APPROVED, language="en", honorific=Honorific.HE, family_name="Smith", email="en@example.org"
        ),
        "rejected": make_application(event, status=S.REJECTED, language="en", email="no@example.org"),
    }


def url(name: str, event, **kwargs) -> str:
    return reverse(f"events:accreditation-manage:{name}", kwargs={"event": event.slug, **kwargs})


def approved_only():
    return queries.ParticipantFilter(status=[S.APPROVED])


# --- Services ------------------------------------------------------------------------------------------------


def test_mass_mail_sends_once_per_recipient_in_their_language_over_smtp(
    event, organiser, people, mailbox, smtp, django_capture_on_commit_callbacks
):
    mailing = services_participants.create_mailing(event, texts=TEXTS, filters=approved_only(), actor=organiser)
    with mailbox.commit():
        count = services_participants.send_mailing(mailing, expected_count=3, actor=organiser)
    assert count == 3
    received = {tuple(recipients): message for recipients, message in smtp.messages}
    assert set(received) == {("ru@example.org",), ("uz@example.org",), ("en@example.org",)}
    assert subject(received[("ru@example.org",)]) == "Ташкент 2022: Автобусы 3 марта"
    assert "Автобусы отправляются от гостиниц в 07:30." in parts(received[("ru@example.org",)])["text/plain"]
    # No Uzbek text: the English one is sent, with the Uzbek salutation and event name.
    assert subject(received[("uz@example.org",)]) == "Toshkent 2022: Shuttle buses on 3 March"
    uzbek = parts(received[("uz@example.org",)])["text/plain"]
    with translation.override("uz"):
        assert uzbek.startswith(pgettext("salutation", "Dear Mr %(name)s,") % {"name": "Karimov"})
    with translation.override("ru"):
        assert parts(received[("ru@example.org",)])["text/plain"].startswith(
            pgettext("salutation", "Dear Ms %(name)s,") % {"name": "Ivanova"}
        )
    assert parts(received[("en@example.org",)])["text/plain"].startswith("Your Excellency,")
    assert OutboxMessage.objects.filter(template="mass_mail", status=OutboxMessage.Status.SENT).count() == 3
    assert AuditEntry.objects.filter(action="accreditation.mass_mail_sent", actor=organiser).count() == 1

    # Sending again, or running the tasks again, sends nothing more.
    with pytest.raises(Exception, match="already been sent"):
        services_participants.send_mailing(mailing, expected_count=3, actor=organiser)
    for notification in OutboxMessage.objects.filter(template="mass_mail"):
        tasks.send_outbox_message.call(notification.pk)
    assert len(smtp.messages) == 3
    progress = services_participants.mailing_progress(mailing)
    assert progress == {"total": 3, "sent": 3, "failed": 0, "waiting": 0, "percent": 100, "done": True}


def test_mass_mail_count_changed_since_confirmation_asks_again(event, organiser, people, mailbox):
    mailing = services_participants.create_mailing(event, texts=TEXTS, filters=approved_only(), actor=organiser)
    make_application(event, status=S.APPROVED, email="late@example.org")
    with pytest.raises(Exception, match="now has 4 recipients"):
        services_participants.send_mailing(mailing, expected_count=3, actor=organiser)
    assert not OutboxMessage.objects.exists()
    mailing.refresh_from_db()
    assert mailing.status == MassMailing.Status.DRAFT


def test_mass_mail_needs_english_text(event, organiser):
    with pytest.raises(Exception, match="English"):
        services_participants.create_mailing(
            event, texts={**TEXTS, "body_en": " "}, filters=approved_only(), actor=organiser
        )


# --- Pages -----------------------------------------------------------------------------------------------------


def test_mass_mail_views_declare_their_capability():
    for view in (
        views_mass_mail.mailing_new,
        views_mass_mail.mailing_preview,
        views_mass_mail.mailing_send,
        views_mass_mail.mailing_progress,
    ):
        assert view.majlis_access == "accreditation.mail"


@pytest.mark.parametrize("role", ["focal_point", "participant", "side_event_organiser", None])
def test_mass_mail_pages_refuse_everyone_but_organisers(client, event, organiser, people, role):
    mailing = services_participants.create_mailing(event, texts=TEXTS, filters=approved_only(), actor=organiser)
    user = make_user()
    if role:
        make_role(event, role, user=user)
    client.force_login(user)
    assert client.get(url("mass-mail-new", event)).status_code == 403
    assert client.post(url("mass-mail-new", event), TEXTS).status_code == 403
    assert client.get(url("mass-mail-preview", event, pk=mailing.pk)).status_code == 403
    assert client.post(url("mass-mail-send", event, pk=mailing.pk), {"expected_count": 3}).status_code == 403
    assert client.get(url("mass-mail-progress", event, pk=mailing.pk)).status_code == 403
    assert not OutboxMessage.objects.exists()


def test_mass_mail_anonymous_visitor_is_sent_to_log_in(client, event):
    response = client.get(url("mass-mail-new", event))
    assert response.status_code == 302 and reverse("account:login") in response["Location"]


def test_mass_mail_journey_write_preview_confirm_progress(client, event, organiser, people, mailbox):
    client.force_login(organiser)
    listing = client.get(url("list", event), {"status": S.APPROVED}).content.decode()
    new_url = url("mass-mail-new", event) + "?status=approved"
    assert new_url in listing
    form = client.get(new_url)
    assert "3 recipients at the moment." in form.content.decode()

    # A missing English message keeps everything typed and says what is wrong.
    response = client.post(new_url, {**TEXTS, "body_en": "", "query": "status=approved"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Автобусы отправляются от гостиниц в 07:30." in html and "Shuttle buses on 3 March" in html
    assert 'id="id_body_en_error"' in html or "field-error" in html

    response = client.post(new_url, {**TEXTS, "query": "status=approved"})
    mailing = MassMailing.objects.get()
    assert response.status_code == 302 and response["Location"] == url("mass-mail-preview", event, pk=mailing.pk)
    assert mailing.filters == {"status": ["approved"]}

    preview = client.get(url("mass-mail-preview", event, pk=mailing.pk), {"recipient": people["ru"].pk})
    html = preview.content.decode()
    assert "Ташкент 2022: Автобусы 3 марта" in html
    assert "Автобусы отправляются от гостиниц в 07:30." in html and "ru@example.org" in html
    assert "Send to 3 participants" in html and "no@example.org" not in html
    assert AuditEntry.objects.filter(action="accreditation.mass_mail_previewed").exists()
    assert mailbox.outbox == []

    with mailbox.commit():
        response = client.post(url("mass-mail-send", event, pk=mailing.pk), {"expected_count": "3"})
    assert response.status_code == 302 and response["Location"] == url("mass-mail-progress", event, pk=mailing.pk)
    assert sorted(m.to[0] for m in mailbox.outbox) == ["en@example.org", "ru@example.org", "uz@example.org"]

    progress = client.get(url("mass-mail-progress", event, pk=mailing.pk)).content.decode()
    assert "3 of 3 e-mails sent" in progress and "<progress" in progress
    assert "hx-trigger" not in progress  # done: no more polling
    fragment = client.get(url("mass-mail-progress", event, pk=mailing.pk), headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div class="mail-progress"')

    # A second confirmation (a double click, the back button) sends nothing more.
    with mailbox.commit():
        client.post(url("mass-mail-send", event, pk=mailing.pk), {"expected_count": "3"})
    assert len(mailbox.outbox) == 3


def test_mass_mail_progress_polls_while_sending(client, event, organiser, people, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    mailing = services_participants.create_mailing(event, texts=TEXTS, filters=approved_only(), actor=organiser)
    services_participants.send_mailing(mailing, expected_count=3, actor=organiser)
    client.force_login(organiser)
    html = client.get(url("mass-mail-progress", event, pk=mailing.pk)).content.decode()
    assert "0 of 3 e-mails sent" in html and 'hx-trigger="every 2s"' in html
    assert "Reload to see the progress" in html and "<script>" not in html
