"""The registration switch and the retention period move from EventCapacity to AccreditationSettings (issue 8)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db(transaction=True)]

BEFORE = [("accreditation", "0005_session_invitations")]
AFTER = [("accreditation", "0006_accreditation_settings")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def make_old_event(apps, slug):
    Event = apps.get_model("events", "Event")
    return Event.objects.create(
        slug=slug,
        title_en=slug,
        short_title_en=slug,
        summary_en="",
        start_date=date(2022, 3, 3),
        end_date=date(2022, 3, 4),
        city_en="Tashkent",
        country="UZ",
    )


def test_settings_migration_keeps_each_event_switch_and_retention_period():
    try:
        old = migrate(BEFORE)
        EventCapacity = old.get_model("accreditation", "EventCapacity")
        closed = make_old_event(old, "closed-event")
        kept = make_old_event(old, "kept-longer")
        EventCapacity.objects.create(event=closed, registration_open=False, retention_days=180, in_person_capacity=50)
        EventCapacity.objects.create(event=kept, registration_open=True, retention_days=365)

        new = migrate(AFTER)
        Settings = new.get_model("accreditation", "AccreditationSettings")
        rows = {s.event_id: (s.registration_open, s.retention_days) for s in Settings.objects.all()}
        assert rows == {closed.pk: (False, 180), kept.pk: (True, 365)}
        capacity = new.get_model("accreditation", "EventCapacity").objects.get(event_id=closed.pk)
        assert capacity.in_person_capacity == 50  # the lock row stays, with its capacity

        back = migrate(BEFORE)  # and back again, nothing lost
        restored = back.get_model("accreditation", "EventCapacity").objects.get(event_id=kept.pk)
        assert (restored.registration_open, restored.retention_days) == (True, 365)
    finally:
        latest()
