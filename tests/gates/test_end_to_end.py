"""From the printed badge to the gate: render the PDF, rasterise it as a printer would, read the QR
code back with zxing-cpp, and check the person in — then prove a forged, a revoked and a repeated
scan are handled."""

from __future__ import annotations

import base64
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from majlis.accreditation.models import Application, Category
from majlis.accreditation.services import approve_application, withdraw_application
from majlis.badges import services as badge_services
from majlis.badges.models import Badge
from majlis.badges.pdf import BadgeFormat, render_badges
from majlis.badges.queries import faces_for
from majlis.events.models import EventRole
from majlis.gates.models import Presence, Scan, Zone
from majlis.gates.services import record_scan
from tests.conftest import require
from tests.factories import make_accreditation_event, make_application, make_role, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def read_codes(pdf: bytes, tmp_path: Path) -> list[str]:
    import zxingcpp
    from PIL import Image

    require(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils) is needed")
    source = tmp_path / "badges.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(source), str(tmp_path / "page")], check=True)
    codes = []
    for page in sorted(tmp_path.glob("page*.png")):
        codes += [result.text for result in zxingcpp.read_barcodes(Image.open(page))]
    return codes


@pytest.fixture
def event():
    today = timezone.localdate()
    return make_accreditation_event(
        slug="e2e", start_date=today, end_date=today + timedelta(days=1), time_zone="Asia/Tashkent"
    )


def test_printed_badge_is_read_back_and_checked_in(event, tmp_path):
    officer = make_user(username="desk")
    make_role(event, EventRole.Role.ACCREDITATION_OFFICER, officer)
    names = [("Zhang", "Ming", "张明"), ("Karimov", "Jasur", "Жасур Каримов"), ("Oʻrinboyev", "Gʻayrat", "")]
    applications = []
    for family, given, native in names:
        application = make_application(
            event, status=Application.Status.SUBMITTED, family_name=family, given_names=given, name_native=native
        )
        approve_application(application, actor=officer)
        applications.append(application)
    badges = list(Badge.objects.filter(event=event).order_by("serial"))
    assert len(badges) == 3

    pdf = render_badges(faces_for(badges, "en"), BadgeFormat.A4_SHEET, title="Badges")
    codes = read_codes(pdf, tmp_path)
    assert sorted(codes) == sorted(badge_services.token_for(badge) for badge in badges)

    zone = Zone.objects.create(event=event, name_en="Venue", kind=Zone.Kind.PERIMETER, entry_once=True)
    zone.categories.set(Category.objects.filter(event=event))
    gate_officer = make_user(username="gate")
    make_role(event, EventRole.Role.GATE_OFFICER, gate_officer)

    first = record_scan(event, zone=zone, text=codes[0], nonce="scan-1", officer=gate_officer)
    assert first.accepted and first.scan.badge is not None
    # The same scan sent again (a retry after a timeout): one entry, not two.
    again = record_scan(event, zone=zone, text=codes[0], nonce="scan-1", officer=gate_officer)
    assert again.repeated and again.scan.pk == first.scan.pk
    assert Scan.objects.filter(event=event).count() == 1
    assert Presence.objects.get(badge=first.scan.badge, zone=zone).entries == 1
    # A second entry into a one-entry zone is refused.
    second = record_scan(event, zone=zone, text=codes[0], nonce="scan-2", officer=gate_officer)
    assert not second.accepted and second.scan.reason == "already_entered"

    # One altered byte: forged.
    raw = bytearray(base64.urlsafe_b64decode(codes[1] + "="))
    raw[12] ^= 0x04
    forged = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    result = record_scan(event, zone=zone, text=forged, nonce="scan-3", officer=gate_officer)
    assert not result.accepted and result.scan.reason == "forged" and result.scan.badge is None

    # A withdrawn participant's printed badge is refused.
    withdrawn_code = badge_services.token_for(Badge.objects.get(application=applications[2]))
    withdraw_application(applications[2], actor=officer, reason="Did not travel")
    result = record_scan(event, zone=zone, text=withdrawn_code, nonce="scan-4", officer=gate_officer)
    assert not result.accepted and result.scan.reason == "revoked"
