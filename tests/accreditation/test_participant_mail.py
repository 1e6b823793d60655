"""What participants are told: salutations by honorific and gender, waitlist positions, reference numbers,
and decision e-mails with the accreditation desks and the organisers' address."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from majlis.accreditation import services
from majlis.accreditation.models import AccreditationDesk, Application, OrganiserDetails, SessionSeat
from majlis.accreditation.salutations import salutation, salutation_for
from majlis.accreditation.services import participants as services_participants
from majlis.core.models import Honorific
from tests.factories import make_accreditation_event, make_application, make_session, make_user

from .services_helpers import Mailbox, category, make_organiser, reviewed, set_capacity

S = Application.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return make_accreditation_event(
        slug="tashkent-2022",
        short_title_en="Tashkent 2022",
        short_title_ru="Ташкент 2022",
        short_title_uz="Toshkent 2022",
    )


@pytest.fixture
def organiser(event):
    return make_organiser(event)


@pytest.fixture
def mailbox(settings, django_capture_on_commit_callbacks):
    return Mailbox(settings, django_capture_on_commit_callbacks)


# --- Salutations ------------------------------------------------------------------------------------

ENGLISH = {
    (Honorific.HE, "male"): "Your Excellency,",
    (Honorific.HE, "female"): "Your Excellency,",
    (Honorific.HE, "undisclosed"): "Your Excellency,",
    (Honorific.DR, "male"): "Dear Dr Karimov,",
    (Honorific.DR, "female"): "Dear Dr Karimov,",
    (Honorific.DR, "undisclosed"): "Dear Dr Karimov,",
    (Honorific.PROF, "male"): "Dear Professor Karimov,",
    (Honorific.PROF, "female"): "Dear Professor Karimov,",
    (Honorific.PROF, "undisclosed"): "Dear Professor Karimov,",
    (Honorific.MR, "male"): "Dear Mr Karimov,",
    (Honorific.MR, "female"): "Dear Mr Karimov,",
    (Honorific.MR, "undisclosed"): "Dear Mr Karimov,",
    (Honorific.MS, "male"): "Dear Ms Karimov,",
    (Honorific.MS, "female"): "Dear Ms Karimov,",
    (Honorific.MS, "undisclosed"): "Dear Ms Karimov,",
    (Honorific.NONE, "male"): "Dear Mr Karimov,",
    (Honorific.NONE, "female"): "Dear Ms Karimov,",
    (Honorific.NONE, "undisclosed"): "Dear Bakhtiyor Karimov,",
}

# The message (context, English text) each combination must use: Russian agrees with the gender.
MESSAGES = {
    (Honorific.HE, "male"): ("salutation", "Your Excellency,"),
    (Honorific.HE, "female"): ("salutation", "Your Excellency,"),
    (Honorific.HE, "undisclosed"): ("salutation", "Your Excellency,"),
    (Honorific.DR, "male"): ("salutation, man", "Dear Dr %(name)s,"),
    (Honorific.DR, "female"): ("salutation, woman", "Dear Dr %(name)s,"),
    (Honorific.DR, "undisclosed"): ("salutation, gender unknown", "Dear Dr %(name)s,"),
    (Honorific.PROF, "male"): ("salutation, man", "Dear Professor %(name)s,"),
    (Honorific.PROF, "female"): ("salutation, woman", "Dear Professor %(name)s,"),
    (Honorific.PROF, "undisclosed"): ("salutation, gender unknown", "Dear Professor %(name)s,"),
    (Honorific.MR, "male"): ("salutation", "Dear Mr %(name)s,"),
    (Honorific.MR, "female"): ("salutation", "Dear Mr %(name)s,"),
    (Honorific.MR, "undisclosed"): ("salutation", "Dear Mr %(name)s,"),
    (Honorific.MS, "male"): ("salutation", "Dear Ms %(name)s,"),
    (Honorific.MS, "female"): ("salutation", "Dear Ms %(name)s,"),
    (Honorific.MS, "undisclosed"): ("salutation", "Dear Ms %(name)s,"),
    (Honorific.NONE, "male"): ("salutation", "Dear Mr %(name)s,"),
    (Honorific.NONE, "female"): ("salutation", "Dear Ms %(name)s,"),
    (Honorific.NONE, "undisclosed"): ("salutation, gender unknown", "Dear %(name)s,"),
}


def test_salutation_table_covers_every_honorific_and_gender():
    combinations = {(h, g) for h in Honorific.values for g in Application.Gender.values}
    assert set(ENGLISH) == combinations == set(MESSAGES)


@pytest.mark.parametrize(("honorific", "gender"), sorted(ENGLISH), ids=lambda v: str(v) or "none")
def test_salutation_english_for_each_honorific_and_gender(honorific, gender):
    with translation.override("en"):
        text = salutation_for(honorific=honorific, gender=gender, family_name="Karimov", full_name="Bakhtiyor Karimov")
    assert text == ENGLISH[(honorific, gender)]


@pytest.mark.parametrize("language", ["ru", "uz"])
@pytest.mark.parametrize(("honorific", "gender"), sorted(MESSAGES), ids=lambda v: str(v) or "none")
def test_salutation_uses_the_gendered_message_in_each_language(language, honorific, gender):
    context, message = MESSAGES[(honorific, gender)]
    name = "Bakhtiyor Karimov" if message == "Dear %(name)s," else "Karimov"
    with translation.override(language):
        wanted = pgettext(context, message)
        wanted = wanted % {"name": name} if "%(name)s" in message else wanted
        got = salutation_for(honorific=honorific, gender=gender, family_name="Karimov", full_name="Bakhtiyor Karimov")
    assert got == wanted
    assert "(-ая)" not in got


def test_salutation_of_a_woman_and_a_man_differ_in_context():
    """Russian needs "Уважаемая" for a woman and "Уважаемый" for a man: they are separate messages."""
    assert MESSAGES[(Honorific.DR, "female")][0] != MESSAGES[(Honorific.DR, "male")][0]
    assert MESSAGES[(Honorific.NONE, "female")] == MESSAGES[(Honorific.MS, "undisclosed")]


def test_salutation_of_an_application_reads_its_fields(event):
    application = make_application(event, honorific=Honorific.MS, family_name="Ivanova", given_names="Anna")
    with translation.override("en"):
        assert salutation(application) == "Dear Ms Ivanova,"


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_every_application_mail_starts_with_the_salutation(event, organiser, mailbox, language):
    application = reviewed(
        event,
        honorific=Honorific.HE,
        gender="male",
        family_name="Saidov",
        language=language,
        email="he@example.org",
    )
    with mailbox.commit():
        services.approve_application(application, actor=organiser)
    (message,) = mailbox.outbox
    with translation.override(language):
        wanted = pgettext("salutation", "Your Excellency,")
    assert message.body.startswith(wanted)
    assert wanted in message.alternatives[0][0]
    assert "Dear Saidov" not in message.body and "(-ая)" not in message.body


# --- Waitlist positions ------------------------------------------------------------------------------


def waitlisted(event, minutes: int, **kwargs):
    return make_application(
        event,
        status=S.WAITLISTED,
        mode="in_person",
        waitlisted_at=timezone.now() - timezone.timedelta(minutes=60 - minutes),
        **kwargs,
    )


def test_waitlist_position_follows_the_promotion_order_under_event_capacity(event):
    set_capacity(event, 0)
    third = waitlisted(event, 30)
    first = waitlisted(event, 10)
    second = waitlisted(event, 20, category="delegate")
    assert [services_participants.waitlist_position(a) for a in (first, second, third)] == [1, 2, 3]


def test_waitlist_position_skips_other_categories_whose_quota_is_full(event):
    set_capacity(event, 10)
    media = category(event, "media", in_person_quota=0)
    ahead_blocked = waitlisted(event, 5, category=media)
    ahead = waitlisted(event, 10)
    mine = waitlisted(event, 20)
    assert services_participants.waitlist_position(mine) == 2
    assert services_participants.waitlist_position(ahead_blocked) == 1
    assert queue_order(event) == [ahead_blocked.pk, ahead.pk, mine.pk]


def queue_order(event):
    from majlis.accreditation import capacity

    return list(capacity.waitlist_queue(event).values_list("pk", flat=True))


def test_waitlist_position_under_a_category_quota_counts_only_that_category(event):
    category(event, "expert", in_person_quota=0)
    waitlisted(event, 5, category="delegate")
    ahead = waitlisted(event, 10)
    mine = waitlisted(event, 20)
    assert services_participants.waitlist_position(ahead) == 1
    assert services_participants.waitlist_position(mine) == 2


def test_waitlist_position_is_none_unless_waitlisted_in_person(event):
    assert services_participants.waitlist_position(make_application(event, status=S.APPROVED)) is None
    assert services_participants.waitlist_position(make_application(event, status=S.UNDER_REVIEW)) is None


def test_waitlist_position_matches_who_is_promoted_first(event, organiser):
    set_capacity(event, 0)
    later = waitlisted(event, 30)
    sooner = waitlisted(event, 10)
    assert services_participants.waitlist_position(sooner) == 1
    services.set_capacity(event, in_person_capacity=1, actor=organiser)
    sooner.refresh_from_db()
    later.refresh_from_db()
    assert sooner.status == S.APPROVED and later.status == S.WAITLISTED
    assert services_participants.waitlist_position(later) == 1


def test_session_waitlist_position_counts_seats_asked_for_earlier(event):
    session = make_session(event, capacity=1)
    seats = []
    for minutes in (30, 10, 20):
        application = make_application(event, status=S.APPROVED)
        seats.append(
            SessionSeat.objects.create(
                application=application,
                session=session,
                status=SessionSeat.Status.WAITLISTED,
            )
        )
        SessionSeat.objects.filter(pk=seats[-1].pk).update(
            created_at=timezone.now() - timezone.timedelta(minutes=60 - minutes)
        )
        seats[-1].refresh_from_db()
    assert [services_participants.session_waitlist_position(seat) for seat in seats] == [3, 1, 2]


def test_account_page_shows_the_waitlist_position(client, event):
    set_capacity(event, 0)
    waitlisted(event, 10)
    user = make_user()
    mine = waitlisted(event, 20, user=user, email=user.email)
    client.force_login(user)
    html = client.get(reverse("applications:detail", kwargs={"pk": mine.pk})).content.decode()
    assert "Your place on the waiting list: 2" in html
    assert "1 application is ahead of yours for the same seat." in html


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_waitlisted_mail_tells_the_position(event, organiser, mailbox, language):
    set_capacity(event, 0)
    waitlisted(event, 1)
    application = reviewed(event, language=language, email="w@example.org")
    with mailbox.commit():
        services.waitlist_application(application, actor=organiser)
    (message,) = mailbox.outbox
    with translation.override(language):
        wanted = gettext("At the time of writing you are number %(position)s on the waiting list for your place.") % {
            "position": 2
        }
    assert wanted in message.body


# --- Reference numbers, desks and the organisers' address -------------------------------------------------


def test_reference_is_the_event_prefix_and_a_padded_number(event):
    application = make_application(event)
    assert application.reference == f"TASHKENT2022-{application.pk:05d}"
    OrganiserDetails.objects.create(event=event, reference_prefix="TAS22")
    fresh = Application.objects.get(pk=application.pk)
    assert fresh.reference == f"TAS22-{application.pk:05d}"
    assert re.fullmatch(r"TAS22-\d{5,}", fresh.reference)


def test_reference_is_shown_on_the_account_and_organiser_pages(client, event, organiser):
    user = make_user()
    application = make_application(event, user=user, email=user.email, status=S.SUBMITTED)
    client.force_login(user)
    assert (
        application.reference
        in client.get(reverse("applications:detail", kwargs={"pk": application.pk})).content.decode()
    )
    client.force_login(organiser)
    detail = reverse("events:accreditation-manage:detail", kwargs={"event": event.slug, "pk": application.pk})
    assert application.reference in client.get(detail).content.decode()
    listing = reverse("events:accreditation-manage:list", kwargs={"event": event.slug})
    assert application.reference in client.get(listing).content.decode()


def make_desk_and_address(event):
    AccreditationDesk.objects.create(
        event=event,
        location_en="Hotel Uzbekistan, main lobby",
        location_ru="Гостиница «Узбекистан», главный холл",
        location_uz="«Oʻzbekiston» mehmonxonasi, asosiy zal",
        address_en="45 Mustaqillik Avenue, Tashkent",
        opening_hours_en="2 March 10:00–20:00; 3 March from 07:30",
        opening_hours_ru="2 марта 10:00–20:00; 3 марта с 07:30",
    )
    OrganiserDetails.objects.create(
        event=event,
        address_en="Ministry of Foreign Affairs, 9 Uzbekistan Avenue, Tashkent 100029",
        address_ru="Министерство иностранных дел, проспект Узбекистанский, 9, Ташкент 100029",
        email="accreditation@example.uz",
        phone="+998 71 233 00 00",
    )


@pytest.mark.parametrize(
    ("language", "location", "hours"),
    [
        ("en", "Hotel Uzbekistan, main lobby", "2 March 10:00–20:00; 3 March from 07:30"),
        ("ru", "Гостиница «Узбекистан», главный холл", "2 марта 10:00–20:00; 3 марта с 07:30"),
        ("uz", "«Oʻzbekiston» mehmonxonasi, asosiy zal", "2 March 10:00–20:00; 3 March from 07:30"),
    ],
)
def test_approval_mail_has_desk_hours_reference_and_organisers_address(
    event, organiser, mailbox, language, location, hours
):
    make_desk_and_address(event)
    application = reviewed(event, language=language, email="a@example.org")
    with mailbox.commit():
        services.approve_application(application, actor=organiser)
    (message,) = mailbox.outbox
    for text in (message.body, message.alternatives[0][0]):
        assert location in text and hours in text
        assert application.reference in text
        assert "accreditation@example.uz" in text and "+998 71 233 00 00" in text
    assert ("Министерство иностранных дел" if language == "ru" else "Ministry of Foreign Affairs") in message.body


def test_promotion_mail_has_the_desk_and_reference(event, organiser, mailbox):
    make_desk_and_address(event)
    set_capacity(event, 0)
    application = waitlisted(event, 10, email="p@example.org")
    with mailbox.commit():
        services.set_capacity(event, in_person_capacity=1, actor=organiser)
    (message,) = mailbox.to("p@example.org")
    assert "Hotel Uzbekistan, main lobby" in message.body and application.reference in message.body


def test_online_participants_are_not_sent_to_a_desk(event, organiser, mailbox):
    make_desk_and_address(event)
    application = reviewed(event, mode="online", email="o@example.org")
    with mailbox.commit():
        services.approve_application(application, actor=organiser)
    (message,) = mailbox.outbox
    assert "Hotel Uzbekistan" not in message.body
    assert application.reference in message.body


@pytest.mark.parametrize(
    ("position", "honorific", "gender", "message"),
    [
        ("Minister of Foreign Affairs", Honorific.HE, "male", ("salutation, man", "Dear Minister,")),
        ("Министр иностранных дел", Honorific.HE, "female", ("salutation, woman", "Dear Minister,")),
        ("Tashqi ishlar vaziri", Honorific.MR, "undisclosed", ("salutation, man", "Dear Minister,")),
        ("Deputy Minister of Justice", Honorific.HE, "male", ("salutation", "Your Excellency,")),
        ("Заместитель министра", Honorific.MS, "female", ("salutation", "Dear Ms %(name)s,")),
        ("Prime Minister", Honorific.HE, "male", ("salutation", "Your Excellency,")),
        ("Minister-Counsellor", Honorific.HE, "male", ("salutation", "Your Excellency,")),
        ("Советник-посланник", Honorific.MR, "male", ("salutation", "Dear Mr %(name)s,")),
    ],
)
@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_salutation_addresses_a_minister_by_the_office(language, position, honorific, gender, message):
    with translation.override(language):
        context, text = message
        wanted = pgettext(context, text)
        wanted = wanted % {"name": "Karimova"} if "%(name)s" in text else wanted
        got = salutation_for(
            honorific=honorific, gender=gender, family_name="Karimova", full_name="Nodira Karimova", position=position
        )
    assert got == wanted


def test_salutation_minister_in_english():
    with translation.override("en"):
        assert (
            salutation_for(
                honorific="he", gender="male", family_name="Saidov", full_name="A Saidov", position="Minister"
            )
            == "Dear Minister,"
        )


def test_reference_is_a_column_of_the_participant_export(client, event, organiser):
    import csv
    import io

    application = make_application(event, status=S.APPROVED)
    client.force_login(organiser)
    response = client.post(
        reverse("events:accreditation-manage:export", kwargs={"event": event.slug}), {"format": "csv"}
    )
    header, *body = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert body[0][header.index("Reference number")] == application.reference == f"TASHKENT2022-{application.pk:05d}"
