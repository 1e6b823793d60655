"""Organisers create a conference from the site's own pages, optionally from an earlier event of the series."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from majlis.accreditation import services as accreditation_services
from majlis.accreditation.defaults import DEFAULT_CATEGORIES
from majlis.accreditation.models import AccreditationSettings, Category, EventCapacity, PrivacyNotice
from majlis.core.models import AuditEntry
from majlis.events import services, views_manage
from majlis.events.models import Event, EventRole
from tests.factories import (
    make_accreditation_event,
    make_event,
    make_role,
    make_room,
    make_series,
    make_user,
    make_venue,
)

pytestmark = [pytest.mark.django_db]


def create_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("event-create")


@pytest.fixture
def series():
    return make_series(slug="jpoa-central-asia", name_en="Regional JPoA conferences")


@pytest.fixture
def earlier(series):
    """Tashkent 2022 with changed categories, a privacy notice of its own, a venue and settings."""
    venue = make_venue()
    make_room(venue, name_en="Plenary hall", capacity=600)
    event = make_accreditation_event(
        series=series,
        slug="tashkent-2022",
        title_en="Tashkent conference 2022",
        title_ru="Ташкентская конференция 2022",
        venue=venue,
    )
    expert = Category.objects.get(event=event, code="expert")
    expert.colour, expert.in_person_quota, expert.needs_approval = "#123456", 40, True
    expert.save()
    Category.objects.filter(event=event, code="donor").delete()
    AccreditationSettings.objects.filter(event=event).update(retention_days=90, registration_open=False)
    EventCapacity.objects.filter(event=event).update(in_person_capacity=450)
    return event


@pytest.fixture
def organiser(earlier):
    return make_role(earlier, EventRole.Role.ORGANISER_ADMIN).user


def form_data(series, **overrides):
    data = {
        "series": series.pk if series else "",
        "slug": "dushanbe-2024",
        "title_en": "Dushanbe conference 2024",
        "title_ru": "Душанбинская конференция 2024",
        "title_uz": "Dushanbe konferensiyasi 2024",
        "short_title_en": "Dushanbe 2024",
        "summary_en": "The next regional conference.",
        "start_date": "2030-05-14",
        "end_date": "2030-05-15",
        "time_zone": "Asia/Dushanbe",
        "city_en": "Dushanbe",
        "city_ru": "Душанбе",
        "country": "TJ",
        "format": "hybrid",
    }
    data.update(overrides)
    return data


# --- Access --------------------------------------------------------------------------------------


def test_event_create_view_declares_its_access():
    assert views_manage.event_create.majlis_access == "authenticated"  # then services.may_create_event


def test_event_create_anonymous_is_sent_to_log_in(client):
    response = client.get(create_url())
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("role", [EventRole.Role.PARTICIPANT, EventRole.Role.FOCAL_POINT, EventRole.Role.JOURNALIST])
def test_event_create_forbidden_to_non_organisers(client, earlier, series, role):
    user = make_role(earlier, role).user
    client.force_login(user)
    assert client.get(create_url()).status_code == 403
    assert client.post(create_url(), form_data(series)).status_code == 403
    assert not Event.objects.filter(slug="dushanbe-2024").exists()


def test_event_create_organiser_of_another_series_cannot_create_in_this_one(client, earlier, series):
    other = make_event(series=make_series())
    outsider = make_role(other, EventRole.Role.ORGANISER_ADMIN).user
    client.force_login(outsider)
    assert client.get(create_url()).status_code == 200  # may create in their own series
    response = client.post(create_url(), form_data(series))
    assert response.status_code == 200 and "series" in response.context["form"].errors
    assert not Event.objects.filter(slug="dushanbe-2024").exists()


def test_event_create_organiser_of_an_event_without_series_is_refused(client):
    lonely = make_event(series=None)
    client.force_login(make_role(lonely, EventRole.Role.ORGANISER_ADMIN).user)
    assert client.get(create_url()).status_code == 403


def test_event_create_holder_of_add_event_permission_may_create_without_series(client):
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="add_event"))
    client.force_login(user)
    response = client.post(create_url(), form_data(None))
    assert response.status_code == 302
    event = Event.objects.get(slug="dushanbe-2024")
    assert event.series is None and EventRole.objects.filter(event=event, user=user).exists()


# --- Creating ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_event_create_page_in_every_language(client, organiser, language):
    client.force_login(organiser)
    response = client.get(create_url(language))
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


def test_event_create_from_scratch_gets_defaults_and_its_creator_as_organiser(client, organiser, series):
    client.force_login(organiser)
    response = client.post(create_url(), form_data(series))
    event = Event.objects.get(slug="dushanbe-2024")
    assert response.status_code == 302
    assert response["Location"] == reverse("events:accreditation-setup:registration", kwargs={"event": event.slug})
    assert event.status == Event.Status.DRAFT and event.series == series and event.venue is None
    assert (event.title_ru, event.city_ru, event.time_zone) == (
        "Душанбинская конференция 2024",
        "Душанбе",
        "Asia/Dushanbe",
    )
    assert EventRole.objects.filter(event=event, user=organiser, role=EventRole.Role.ORGANISER_ADMIN).exists()
    codes = list(Category.objects.filter(event=event).order_by("position").values_list("code", flat=True))
    assert codes == [default.code for default in DEFAULT_CATEGORIES]
    notice = PrivacyNotice.objects.get(event=event)
    assert "Dushanbe conference 2024" in notice.text_en and "Душанбинская конференция 2024" in notice.text_ru
    assert AccreditationSettings.objects.get(event=event).retention_days == 180
    assert AuditEntry.objects.filter(action="event.created", event_slug=event.slug, actor=organiser).exists()


def test_event_create_copies_the_chosen_parts_of_an_earlier_event(client, organiser, series, earlier):
    client.force_login(organiser)
    data = form_data(
        series, copy_from=earlier.pk, copy=["categories", "privacy_notice", "venue", "accreditation_settings"]
    )
    assert client.post(create_url(), data).status_code == 302
    event = Event.objects.get(slug="dushanbe-2024")
    codes = set(Category.objects.filter(event=event).values_list("code", flat=True))
    assert codes == set(Category.objects.filter(event=earlier).values_list("code", flat=True))
    assert "donor" not in codes  # deleted in the earlier event: not brought back by the defaults
    expert = Category.objects.get(event=event, code="expert")
    assert (expert.colour, expert.in_person_quota, expert.name_ru) == ("#123456", 40, "Эксперт / аналитический центр")
    assert expert.registration_opens_at is None
    notice = PrivacyNotice.objects.get(event=event)
    assert "Dushanbe conference 2024" in notice.text_en and "Tashkent conference 2022" not in notice.text_en
    assert "Душанбинская конференция 2024" in notice.text_ru
    assert event.venue == earlier.venue and event.venue.rooms.filter(name_en="Plenary hall").exists()
    settings_row = AccreditationSettings.objects.get(event=event)
    assert (settings_row.retention_days, settings_row.registration_open) == (90, False)
    assert EventCapacity.objects.get(event=event).in_person_capacity == 450
    entry = AuditEntry.objects.get(action="accreditation.event_set_up", event_slug=event.slug)
    assert entry.data["source"] == "tashkent-2022" and entry.data["copied"]["categories"] == len(codes)


def test_event_create_copying_nothing_but_the_venue_keeps_default_categories(client, organiser, series, earlier):
    client.force_login(organiser)
    assert client.post(create_url(), form_data(series, copy_from=earlier.pk, copy=["venue"])).status_code == 302
    event = Event.objects.get(slug="dushanbe-2024")
    assert Category.objects.filter(event=event, code="donor").exists()
    assert Category.objects.get(event=event, code="expert").colour != "#123456"
    assert EventCapacity.objects.get(event=event).in_person_capacity is None
    assert event.venue == earlier.venue


def test_event_create_get_from_an_earlier_event_prefills_the_form(client, organiser, earlier):
    client.force_login(organiser)
    form = client.get(create_url() + f"?from={earlier.pk}").context["form"]
    assert form.initial["series"] == earlier.series_id and form.initial["time_zone"] == "Asia/Tashkent"


def test_event_create_errors_keep_what_was_typed(client, organiser, series):
    client.force_login(organiser)
    response = client.post(create_url(), form_data(series, end_date="2030-05-01", slug="manage"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Душанбинская конференция 2024" in html and "Dushanbe 2024" in html
    errors = response.context["form"].errors
    assert "slug" in errors and "end_date" in errors
    assert not Event.objects.filter(title_en="Dushanbe conference 2024").exists()


def test_event_create_refuses_a_taken_short_name_in_russian(client, organiser, series, earlier):
    client.force_login(organiser)
    response = client.post(create_url("ru"), form_data(series, slug="tashkent-2022"))
    assert response.status_code == 200 and 'lang="ru"' in response.content.decode()
    assert "slug" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()


def test_event_create_refuses_copying_an_event_of_another_series(organiser, series):
    foreign = make_accreditation_event(series=make_series())
    data = {key: value for key, value in form_data(series).items() if key not in {"series"}}
    data["series"] = series
    from datetime import date

    data["start_date"], data["end_date"] = date(2030, 5, 14), date(2030, 5, 15)
    with pytest.raises(ValidationError) as error:
        services.create_event(data=data, actor=organiser, copy_from=foreign, copy=["categories"])
    assert "copy_from" in error.value.message_dict
    assert not Event.objects.filter(slug="dushanbe-2024").exists()


def test_create_event_service_gives_every_new_event_its_accreditation_defaults(organiser, series):
    from datetime import date

    data = {k: v for k, v in form_data(series).items() if k not in {"series", "start_date", "end_date"}}
    event = services.create_event(
        data={**data, "series": series, "start_date": date(2030, 5, 14), "end_date": date(2030, 5, 15)},
        actor=organiser,
    )
    assert Category.objects.filter(event=event).count() == len(DEFAULT_CATEGORIES)
    assert accreditation_services.current_privacy_notice(event).version == 1
    assert AccreditationSettings.objects.filter(event=event).exists()
    assert EventCapacity.objects.filter(event=event).exists()


def test_event_added_in_the_back_office_gets_its_accreditation_defaults_too(admin_client):
    from tests.core.test_admin import _admin_url, _event_form_data

    assert admin_client.post(_admin_url(Event, "add"), _event_form_data()).status_code == 302
    event = Event.objects.get(slug="dushanbe-2024")
    assert Category.objects.filter(event=event).count() == len(DEFAULT_CATEGORIES)
    assert PrivacyNotice.objects.filter(event=event, version=1).exists()
    assert AccreditationSettings.objects.filter(event=event).exists()
