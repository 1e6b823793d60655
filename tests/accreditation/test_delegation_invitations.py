"""Invitation links that last across time zones (still single use), and resending an invitation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from majlis.accreditation import login_links, services
from majlis.accreditation.models import Application, LoginLink
from majlis.core.models import AuditEntry, OutboxMessage
from tests.accreditation.delegation_helpers import *  # noqa: F403 - the fixtures
from tests.accreditation.delegation_helpers import url
from tests.accreditation.services_helpers import Mailbox
from tests.factories import make_organisation, make_user

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def mailbox(settings, django_capture_on_commit_callbacks):
    return Mailbox(settings, django_capture_on_commit_callbacks)


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def token_of(message) -> str:
    line = next(line for line in message.body.splitlines() if "/login/link/" in line)
    return line.strip().split("/login/link/")[1].split("/")[0]


def invite(event, organiser, mailbox, email="focal@mfa.example.kz"):
    with mailbox.commit():
        return services.invite_delegation(
            event,
            make_organisation(name_en="Kazakhstan", kind="government", country="KZ"),
            kind="member_state",
            focal_point_email=email,
            language="en",
            actor=organiser,
        )


def test_invitation_link_lasts_72_hours_and_works_once(event, organiser, mailbox, client):
    invite(event, organiser, mailbox)
    (message,) = mailbox.outbox
    token = token_of(message)
    link = LoginLink.objects.get(token_hash=login_links.hash_token(token))
    assert link.purpose == LoginLink.Purpose.INVITATION
    assert timedelta(hours=71, minutes=59) < link.expires_at - link.created_at <= timedelta(hours=72)
    later = timezone.now() + timedelta(hours=30)  # a focal point in another time zone, the next day
    assert login_links.inspect_login_link(token, now=later).valid
    assert login_links.inspect_login_link(token, now=timezone.now() + timedelta(hours=73)).problem == "expired"
    assert "for 72 hours" in message.body
    with translation.override("en"):
        confirm = reverse("login-link:confirm", kwargs={"token": token})
    assert client.post(confirm).status_code == 302
    assert client.session.get("_auth_user_id")
    client.logout()
    client.post(confirm)
    assert not client.session.get("_auth_user_id")  # single use
    assert login_links.inspect_login_link(token).problem == "used"


def test_invitation_lifetime_is_a_setting(event, organiser, mailbox, settings):
    settings.MAJLIS_INVITATION_LINK_HOURS = 96
    invite(event, organiser, mailbox)
    token = token_of(mailbox.outbox[0])
    link = LoginLink.objects.get(token_hash=login_links.hash_token(token))
    assert link.expires_at - link.created_at > timedelta(hours=95)
    assert "for 96 hours" in mailbox.outbox[0].body


def test_ordinary_login_link_keeps_20_minutes():
    user = make_user(email="participant@example.org")
    path = login_links.issue_login_link(user)
    token = path.split("/login/link/")[1].split("/")[0]
    link = LoginLink.objects.get(token_hash=login_links.hash_token(token))
    assert link.purpose == LoginLink.Purpose.LOGIN
    assert link.expires_at - link.created_at <= timedelta(minutes=20)
    assert login_links.inspect_login_link(token, now=timezone.now() + timedelta(minutes=21)).problem == "expired"


def test_resend_invitation_mails_a_new_link_and_invalidates_the_old_one(event, organiser, mailbox, organiser_client):
    delegation = invite(event, organiser, mailbox)
    first = token_of(mailbox.outbox[0])
    with mailbox.commit():
        response = organiser_client.post(url("resend", event, pk=delegation.pk))
    assert response.status_code == 302 and response["Location"] == url("detail", event, pk=delegation.pk)
    assert len(mailbox.outbox) == 2
    second = token_of(mailbox.outbox[1])
    assert second != first
    assert login_links.inspect_login_link(first).problem == "expired"
    assert login_links.inspect_login_link(second).valid
    assert OutboxMessage.objects.filter(template="delegation_invitation").count() == 2
    entry = AuditEntry.objects.get(action="accreditation.delegation_invitation_resent")
    assert entry.actor == organiser and entry.data["revoked"] == 1
    page = organiser_client.get(url("detail", event, pk=delegation.pk)).content.decode()
    assert "Invitation last sent:" in page and "Resend the invitation" in page


def test_resend_keeps_ordinary_login_links_of_the_person(event, organiser, mailbox, organiser_client):
    delegation = invite(event, organiser, mailbox)
    focal = services.user_for_email(delegation.focal_point_email)
    ordinary = login_links.issue_login_link(focal).split("/login/link/")[1].split("/")[0]
    with mailbox.commit():
        organiser_client.post(url("resend", event, pk=delegation.pk))
    assert login_links.inspect_login_link(ordinary).valid


def test_resend_is_refused_once_the_credentials_are_approved(organiser_client, event, delegation):
    delegation.status = "approved"
    delegation.save()
    response = organiser_client.post(url("resend", event, pk=delegation.pk), follow=True)
    assert "its focal point can log in with a log-in link" in response.content.decode()
    assert not OutboxMessage.objects.filter(template="delegation_invitation").exists()


def test_resend_member_invitation_invalidates_earlier_links(event, organiser, mailbox, organiser_client, delegation):
    with mailbox.commit():
        member = services.nominate_member(
            delegation,
            data={
                "given_names": "Aigerim",
                "family_name": "Suleimenova",
                "email": "aigerim@example.org",
                "language": "ru",
            },
            actor=delegation.focal_points().get(),
            invite=True,
        )
    first = token_of(mailbox.to("aigerim@example.org")[0])
    assert LoginLink.objects.get(token_hash=login_links.hash_token(first)).purpose == LoginLink.Purpose.INVITATION
    page = organiser_client.get(url("detail", event, pk=delegation.pk)).content.decode()
    assert "Resend the invitation to Aigerim Suleimenova" in page
    with mailbox.commit():
        response = organiser_client.post(url("member-resend", event, pk=delegation.pk, member=member.pk))
    assert response.status_code == 302
    (_first, again) = mailbox.to("aigerim@example.org")
    assert login_links.inspect_login_link(first).problem == "expired"
    assert login_links.inspect_login_link(token_of(again)).valid
    assert AuditEntry.objects.filter(action="accreditation.member_invitation_resent", actor=organiser).exists()


def test_resend_member_invitation_refused_when_not_invited(organiser_client, event, delegation):
    from tests.factories import make_application

    member = make_application(event, delegation=delegation, category="delegate", status=Application.Status.DRAFT)
    response = organiser_client.post(url("member-resend", event, pk=delegation.pk, member=member.pk), follow=True)
    assert "was not invited to complete their own data" in response.content.decode()


def test_resend_needs_post(organiser_client, event, delegation):
    assert organiser_client.get(url("resend", event, pk=delegation.pk)).status_code == 405


def test_a_replaced_invitation_link_says_so(event, organiser, mailbox, organiser_client, client):
    delegation = invite(event, organiser, mailbox)
    first = token_of(mailbox.outbox[0])
    with mailbox.commit():
        organiser_client.post(url("resend", event, pk=delegation.pk))
    client.logout()
    with translation.override("en"):
        confirm = reverse("login-link:confirm", kwargs={"token": first})
    response = client.get(confirm)
    assert response.status_code == 410
    assert "has been replaced by a newer invitation" in response.content.decode()
