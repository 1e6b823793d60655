"""Passport numbers are decrypted in one module only, where every reading by a person is audited."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import majlis
from majlis.accreditation.personal_data import export_personal_data
from majlis.core.models import AuditEntry
from tests.accreditation.personal_data_helpers import application
from tests.factories import make_event, make_user

ROOT = Path(majlis.__file__).parent
# Core's own crypto and its key-rotation command decrypt every encrypted column, whatever it holds.
# Badges decrypt only their own signing keys (never a passport column).
ALLOWED = {
    "accreditation/services/passports.py",
    "badges/services.py",
    "core/crypto.py",
    "core/management/commands/rotate_data_keys.py",
}


def decrypting_modules() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "decrypt":
                found.add(str(path.relative_to(ROOT)))
    return found


def test_only_the_passport_service_decrypts_passport_numbers():
    found = decrypting_modules()
    assert "accreditation/services/passports.py" in found  # the check sees a call where there is one
    assert found <= ALLOWED, found - ALLOWED


@pytest.mark.django_db
def test_the_persons_own_data_export_is_an_audited_reading():
    user = make_user()
    app = application(make_event(), user=user, passport="FA1234567")
    data = export_personal_data(user)
    assert "FA1234567" in str(data)
    entry = AuditEntry.objects.get(action="accreditation.passport_viewed")
    assert entry.object_id == str(app.pk) and entry.data["purpose"] == "personal data export"
    assert "FA1234567" not in str(entry.data)
