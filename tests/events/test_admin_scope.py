"""The admin shows a person only the events in which they hold the model's capability (issue 8)."""

from __future__ import annotations

import pytest

from majlis.accreditation.models import Application, Category
from majlis.events.models import EventRole, NewsItem
from tests.factories import make_accreditation_event, make_application, make_news, make_role, make_user

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def event_a():
    return make_accreditation_event(slug="event-a")


@pytest.fixture
def event_b():
    return make_accreditation_event(slug="event-b")


@pytest.fixture
def coorganiser(event_a):
    user = make_user(username="co-a", is_staff=True)
    make_role(event_a, EventRole.Role.CO_ORGANISER, user=user)
    return user


def change_url(obj) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def list_url(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def test_coorganiser_lists_and_opens_only_their_events_rows(client, coorganiser, event_a, event_b):
    own_news, other_news = make_news(event_a, title_en="News of A"), make_news(event_b, title_en="News of B")
    own, other = make_application(event_a, family_name="Alpha"), make_application(event_b, family_name="Bravo")
    client.force_login(coorganiser)

    events_page = client.get(list_url(type(event_a)))
    assert events_page.status_code == 200
    assert list(events_page.context["cl"].queryset) == [event_a]

    news_page = client.get(list_url(NewsItem))
    assert [item.pk for item in news_page.context["cl"].queryset] == [own_news.pk]
    applications = client.get(list_url(Application))
    assert [item.pk for item in applications.context["cl"].queryset] == [own.pk]

    assert client.get(change_url(own_news)).status_code == 200
    assert client.get(change_url(own)).status_code == 200
    for row in (other_news, other, event_b):
        # Another event's row is not found: the admin redirects to its index with a message.
        response = client.get(change_url(row))
        assert response.status_code == 302 and "exist" in str(list(response.wsgi_request._messages))
        assert client.post(change_url(row).replace("change/", "delete/"), {"post": "yes"}).status_code in (302, 403)
    assert NewsItem.objects.filter(pk=other_news.pk).exists() and Application.objects.filter(pk=other.pk).exists()


def test_foreign_key_choices_offer_only_their_events(client, coorganiser, event_a, event_b):
    client.force_login(coorganiser)
    page = client.get(list_url(NewsItem) + "add/")
    assert page.status_code == 200
    assert list(page.context["adminform"].form.fields["event"].queryset) == [event_a]
    page = client.get(list_url(Category) + "add/")
    assert list(page.context["adminform"].form.fields["event"].queryset) == [event_a]
    invitation_page = client.get("/admin/accreditation/invitationcode/add/")
    categories = invitation_page.context["adminform"].form.fields["category"].queryset
    assert categories.exists() and set(categories.values_list("event_id", flat=True)) == {event_a.pk}


def test_a_news_item_cannot_be_added_to_another_event(client, coorganiser, event_a, event_b):
    client.force_login(coorganiser)
    response = client.post(
        list_url(NewsItem) + "add/",
        {"event": event_b.pk, "slug": "smuggled", "title_en": "Smuggled", "body_en": "Text"},
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors["event"]
    assert not NewsItem.objects.filter(slug="smuggled").exists()


def test_roles_see_only_the_models_their_capabilities_cover(client, event_a):
    officer = make_user(username="acc-officer", is_staff=True)
    make_role(event_a, EventRole.Role.ACCREDITATION_OFFICER, user=officer)
    application = make_application(event_a)
    client.force_login(officer)
    assert client.get(list_url(Application)).status_code == 200
    assert client.get(change_url(application)).status_code == 200
    assert client.get(list_url(NewsItem)).status_code == 403  # event settings are not theirs
    assert client.get(list_url(Category)).status_code == 403  # nor is the accreditation set-up
    index = client.get("/admin/")
    assert "Applications" in index.content.decode() and "News" not in index.content.decode()


def test_without_any_capability_the_admin_shows_nothing(client, event_a):
    journalist = make_user(username="press", is_staff=True)
    make_role(event_a, EventRole.Role.JOURNALIST, user=journalist)
    client.force_login(journalist)
    for model in (type(event_a), NewsItem, Application, Category):
        assert client.get(list_url(model)).status_code == 403


def test_superusers_see_every_event(client, event_a, event_b):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    page = client.get(list_url(type(event_a)))
    assert set(page.context["cl"].queryset) == {event_a, event_b}
