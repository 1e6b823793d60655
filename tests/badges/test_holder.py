"""A participant downloads their own badge, and nobody else's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from majlis.accreditation.models import Application
from majlis.badges import services
from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from tests.badges.desk_helpers import issued_badge, upcoming_event
from tests.badges.test_desk import pdf_pages, pdf_text
from tests.factories import make_application, make_role, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return upcoming_event(slug="holder-test")


@pytest.fixture
def officer(event):
    return make_role(event, EventRole.Role.ACCREDITATION_OFFICER).user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def mine(event, pdf=False):
    return reverse("badges:mine-pdf" if pdf else "badges:mine", kwargs={"event": event.slug})


def test_the_holder_sees_and_downloads_their_own_badge(event, officer):
    alice = make_user(username="alice")
    badge = issued_badge(event, officer, user=alice, family_name="Karimova", name_native="Каримова")
    client = client_for(alice)
    page = client.get(mine(event))
    assert page.status_code == 200
    html = page.content.decode()
    assert badge.number in html and "Bring an identity document to collect your printed badge at the desk" in html
    download = client.get(mine(event, pdf=True))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert pdf_pages(download.content) == 1 and "KARIMOVA" in pdf_text(download.content)
    entry = AuditEntry.objects.get(action="badges.printed")
    assert entry.data["purpose"] == "holder_download" and entry.data["numbers"] == [badge.number]
    account = client.get(reverse("account:home"))
    assert badge.number in account.content.decode() and mine(event) in account.content.decode()


def test_participant_a_cannot_download_participant_bs_badge(event, officer):
    alice, bob = make_user(username="alice"), make_user(username="bob")
    issued_badge(event, officer, user=alice)
    # Bob has applied but is not approved yet: a page that says so, and no PDF.
    make_application(event, user=bob, status=Application.Status.SUBMITTED)
    bob_client = client_for(bob)
    page = bob_client.get(mine(event))
    assert page.status_code == 200 and "no badge for this conference yet" in page.content.decode()
    assert bob_client.get(mine(event, pdf=True)).status_code == 404
    # Carol never applied: nothing to see at all.
    carol = client_for(make_user(username="carol"))
    assert carol.get(mine(event)).status_code == 404
    assert carol.get(mine(event, pdf=True)).status_code == 404
    # The desk's own download needs badges.issue: a participant is refused it.
    alice_badge = alice.applications.get().badges.get()
    desk_pdf = reverse("badges:pdf", kwargs={"event": event.slug, "pk": alice_badge.pk})
    assert bob_client.get(desk_pdf).status_code == 403
    assert not AuditEntry.objects.filter(action="badges.printed").exists()
    anonymous = Client().get(mine(event, pdf=True))
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]


def test_a_revoked_badge_is_no_longer_downloadable(event, officer):
    alice = make_user(username="alice")
    badge = issued_badge(event, officer, user=alice)
    services.revoke_badge(badge, actor=officer, note="Security")
    client = client_for(alice)
    page = client.get(mine(event))
    assert page.status_code == 200 and "Your badge was revoked" in page.content.decode()
    assert client.get(mine(event, pdf=True)).status_code == 404


def test_a_reissued_badge_downloads_the_new_one(event, officer):
    alice = make_user(username="alice")
    badge = issued_badge(event, officer, user=alice)
    new = services.reissue_lost(badge, actor=officer, note="Lost")
    client = client_for(alice)
    assert new.number in client.get(mine(event)).content.decode()
    client.get(mine(event, pdf=True))
    assert AuditEntry.objects.get(action="badges.printed").data["numbers"] == [new.number]
