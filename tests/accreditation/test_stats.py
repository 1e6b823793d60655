"""Accreditation statistics: the numbers, gender only as totals, seats per session, accessible charts."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from majlis.accreditation import stats
from majlis.accreditation.models import Application, Category, EventCapacity, SessionSeat
from majlis.events.models import EventRole
from tests.factories import make_accreditation_event, make_application, make_role, make_session

pytestmark = [pytest.mark.django_db]

S = Application.Status


@pytest.fixture
def event():
    return make_accreditation_event()


@pytest.fixture
def figures(event):
    EventCapacity.objects.filter(event=event).update(in_person_capacity=100)
    Category.objects.filter(event=event, code="media").update(in_person_quota=5)
    rows = [
        # (category, nationality, mode, gender, status)
        ("delegate", "KZ", "in_person", "male", S.APPROVED),
        ("delegate", "KZ", "in_person", "female", S.APPROVED),
        ("delegate", "KG", "online", "female", S.SUBMITTED),
        ("expert", "UZ", "in_person", "undisclosed", S.UNDER_REVIEW),
        ("expert", "UZ", "online", "female", S.WAITLISTED),
        ("media", "UZ", "in_person", "male", S.APPROVED),
        ("media", "CN", "in_person", "undisclosed", S.REJECTED),  # not counted in the breakdowns
        ("expert", "TJ", "in_person", "male", S.DRAFT),  # not counted either
        ("expert", "TM", "in_person", "female", S.WITHDRAWN),
    ]
    made = [make_application(event, category=c, nationality=n, mode=m, gender=g, status=s) for c, n, m, g, s in rows]
    side = make_session(event, kind="side_event", capacity=2, title_en="Side event on financing")
    SessionSeat.objects.create(application=made[0], session=side, status=SessionSeat.Status.CONFIRMED)
    SessionSeat.objects.create(application=made[1], session=side, status=SessionSeat.Status.CONFIRMED)
    SessionSeat.objects.create(application=made[3], session=side, status=SessionSeat.Status.REQUESTED)
    SessionSeat.objects.create(application=made[4], session=side, status=SessionSeat.Status.WAITLISTED)
    SessionSeat.objects.create(application=made[6], session=side, status=SessionSeat.Status.WAITLISTED)  # rejected
    make_session(event, title_en="Plenary without own capacity")
    return {"side": side}


def by_key(breakdown):
    return {row.key: (row.total, row.approved) for row in breakdown.rows}


def test_stats_counts_by_status_category_nationality_mode(event, figures):
    result = stats.statistics(event)
    assert result.total == 9
    assert result.active == 6
    assert result.approved == 3
    status = {row.key: row.total for row in result.by_status.rows}
    assert status == {
        "draft": 1,
        "submitted": 1,
        "under_review": 1,
        "approved": 3,
        "waitlisted": 1,
        "rejected": 1,
        "cancelled": 0,
        "withdrawn": 1,
    }
    categories = by_key(result.by_category)
    assert categories["delegate"] == (3, 2)
    assert categories["expert"] == (2, 0)
    assert categories["media"] == (1, 1)
    assert categories["donor"] == (0, 0)
    assert by_key(result.by_nationality) == {"KZ": (2, 2), "UZ": (3, 1), "KG": (1, 0)}
    assert [row.key for row in result.by_nationality.rows][0] == "UZ"  # most frequent first
    assert by_key(result.by_mode) == {"in_person": (4, 3), "online": (2, 0)}


def test_stats_gender_only_as_totals_with_prefer_not_to_say_separately(event, figures):
    gender = stats.statistics(event).by_gender
    assert by_key(gender) == {"female": (3, 1), "male": (2, 2), "undisclosed": (1, 0)}
    assert [row.label for row in gender.rows][-1] == "Prefer not to say"
    assert gender.total == 6
    shares = {row.key: share for row, share in gender.rows_with_share}
    assert shares == {"female": 50.0, "male": 33.3, "undisclosed": 16.7}


def test_stats_capacity_quotas_and_sessions(event, figures):
    result = stats.statistics(event)
    assert result.in_person_capacity == 100
    assert result.in_person_approved == 3
    quotas = {row.category.code: (row.in_person_approved, row.quota) for row in result.quotas}
    assert quotas["media"] == (1, 5)
    assert quotas["delegate"] == (2, None)
    (side,) = result.sessions
    assert (side.title, side.capacity, side.requested, side.confirmed, side.waitlisted, side.free) == (
        "Side event on financing",
        2,
        1,
        2,
        1,
        0,
    )


def test_stats_of_an_empty_event(event):
    result = stats.statistics(event)
    assert result.total == result.active == result.approved == 0
    assert result.by_nationality.rows == []
    assert "No data yet." in str(result.by_nationality.chart())


def test_stats_query_count_does_not_grow_with_applications(event, figures, django_assert_max_num_queries):
    for _ in range(30):
        make_application(event, status=S.APPROVED, nationality="AF")
    with django_assert_max_num_queries(12):
        stats.statistics(event)


def test_stats_chart_is_accessible_svg(event, figures):
    chart = str(stats.statistics(event).by_category.chart())
    root = ElementTree.fromstring(chart)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    ns = {"svg": "http://www.w3.org/2000/svg"}
    title = root.find("svg:title", ns)
    desc = root.find("svg:desc", ns)
    assert [title.get("id"), desc.get("id")] == ids
    assert title.text == "Participants by category"
    bars = root.findall(".//svg:rect", ns)
    assert len(bars) == Category.objects.filter(event=event).count()
    widths = [int(bar.get("width")) for bar in bars]
    assert max(widths) > 0 and "style" not in chart


def test_stats_chart_escapes_labels(event):
    chart = str(stats.bar_chart("c", "T <x>", "D & d", [('<script>alert("x")</script>', 3)]))
    assert "<script>" not in chart
    ElementTree.fromstring(chart)  # well-formed


def test_stats_page_shows_charts_and_data_tables(client, event, figures):
    client.force_login(make_role(event, EventRole.Role.CO_ORGANISER).user)
    with translation.override("en"):
        address = reverse("events:accreditation-manage:statistics", kwargs={"event": event.slug})
    html = client.get(address).content.decode()
    assert html.count('<svg class="chart"') == 5
    assert html.count('class="table stats-table"') >= 7
    assert "Gender balance" in html and "Prefer not to say" in html
    assert "Side event on financing" in html
    assert "Plenary without own capacity" not in html
    assert re.search(r"3 of 100", html)


def test_stats_page_labels_are_translated(client, event, figures):
    client.force_login(make_role(event, EventRole.Role.ORGANISER_ADMIN).user)
    with translation.override("ru"):
        address = reverse("events:accreditation-manage:statistics", kwargs={"event": event.slug})
    html = client.get(address).content.decode()
    # Category names come from the event's own translations (default categories are in three languages).
    assert "Делегат государства-члена" in html
