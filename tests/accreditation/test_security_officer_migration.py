"""The passport and vetting permissions become the security officer role in every event (issue 8)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db(transaction=True)]

BEFORE = [
    ("accreditation", "0009_notifications_to_core_outbox"),
    ("events", "0002_event_roles_accreditation_security_officers"),
]
AFTER = [("accreditation", "0010_security_officers_replace_permissions")]


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
    return apps.get_model("events", "Event").objects.create(
        slug=slug,
        title_en=slug,
        short_title_en=slug,
        summary_en="",
        start_date=date(2022, 3, 3),
        end_date=date(2022, 3, 4),
        city_en="Tashkent",
        country="UZ",
    )


def old_permission(apps, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="accreditation", model=model)
    permission, _created = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename}
    )
    return permission


def test_permission_holders_become_security_officers_in_every_event_and_the_permissions_go():
    try:
        old = migrate(BEFORE)
        User = old.get_model("auth", "User")
        Group = old.get_model("auth", "Group")
        first = make_old_event(old, "first-event")
        make_old_event(old, "second-event")
        passports = old_permission(old, "application", "view_passport_number")
        vetting = old_permission(old, "vetting", "set_vetting_status")
        group, _created = Group.objects.get_or_create(name="Security services")
        group.permissions.add(vetting)
        direct = User.objects.create(username="passports-reader")
        direct.user_permissions.add(passports)
        through_group = User.objects.create(username="vetting-officer")
        through_group.groups.add(group)
        bystander = User.objects.create(username="bystander")
        old.get_model("events", "EventRole").objects.create(user=direct, event=first, role="security_officer")

        new = migrate(AFTER)
        roles = set(new.get_model("events", "EventRole").objects.values_list("user__username", "event__slug", "role"))
        assert roles == {
            (name, slug, "security_officer")
            for name in ("passports-reader", "vetting-officer")
            for slug in ("first-event", "second-event")
        }
        assert not new.get_model("auth", "Group").objects.filter(name="Security services").exists()
        remaining = new.get_model("auth", "Permission").objects.filter(
            codename__in=["view_passport_number", "set_vetting_status"]
        )
        assert not remaining.exists()
        assert new.get_model("auth", "User").objects.filter(pk=bystander.pk).exists()
    finally:
        latest()
