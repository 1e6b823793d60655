"""Who may use the delegation tools: organisers, the delegation's own focal point, vetting officers."""

import pytest

from majlis.accreditation import views_delegation_tools as views
from majlis.events.models import EventRole
from tests.accreditation.delegation_helpers import *  # noqa: F403 - the fixtures
from tests.accreditation.delegation_helpers import url
from tests.factories import make_application, make_role, make_user

pytestmark = [pytest.mark.django_db]

OTHER_ROLES = [
    EventRole.Role.PARTICIPANT,
    EventRole.Role.FOCAL_POINT,
    EventRole.Role.SIDE_EVENT_ORGANISER,
    EventRole.Role.JOURNALIST,
]


def organiser_pages(event, delegation):
    member = make_application(event, delegation=delegation, category="delegate", user=make_user())
    return [
        ("get", url("export", event, fmt="csv")),
        ("get", url("organiser-bulk", event, pk=delegation.pk)),
        ("get", url("organiser-bulk-template", event, pk=delegation.pk, fmt="xlsx")),
        ("post", url("resend", event, pk=delegation.pk)),
        ("post", url("member-resend", event, pk=delegation.pk, member=member.pk)),
    ]


def focal_pages(event, delegation):
    return [
        ("get", url("focal-bulk", event, pk=delegation.pk)),
        ("get", url("focal-bulk-template", event, pk=delegation.pk, fmt="csv")),
    ]


def test_every_view_declares_who_may_use_it():
    assert views.resend_invitation.majlis_access == "accreditation.mail"
    assert views.resend_member_invitation.majlis_access == "accreditation.mail"
    assert views.delegation_export.majlis_access == "accreditation.view"
    assert views.organiser_bulk.majlis_access == "accreditation.manage"
    assert views.organiser_bulk_template.majlis_access == "accreditation.manage"
    for view in (views.focal_bulk, views.focal_bulk_template):
        assert view.majlis_access == "authenticated"
    assert views.vetting_list.majlis_access == "accreditation.view"


def test_organiser_pages_anonymous_is_sent_to_log_in(client, event, delegation):
    for method, path in organiser_pages(event, delegation):
        response = getattr(client, method)(path)
        assert response.status_code == 302 and "/account/login/" in response["Location"], path


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_organiser_pages_other_roles_are_forbidden(client, event, delegation, role):
    client.force_login(make_role(event, role).user)
    for method, path in organiser_pages(event, delegation):
        assert getattr(client, method)(path).status_code == 403, path


def test_organiser_pages_focal_point_of_the_delegation_is_forbidden(client, event, delegation, focal_point):
    client.force_login(focal_point)
    for method, path in organiser_pages(event, delegation):
        assert getattr(client, method)(path).status_code == 403, path


def test_organiser_pages_organiser_of_another_event_is_forbidden(client, event, delegation):
    from tests.factories import make_accreditation_event

    other = make_accreditation_event()
    client.force_login(make_role(other, EventRole.Role.ORGANISER_ADMIN).user)
    for method, path in organiser_pages(event, delegation):
        assert getattr(client, method)(path).status_code == 403, path


def test_organiser_pages_organiser_gets_in(client, event, delegation, organiser):
    client.force_login(organiser)
    for method, path in organiser_pages(event, delegation):
        assert getattr(client, method)(path).status_code in (200, 302), path


def test_focal_pages_anonymous_is_sent_to_log_in(client, event, delegation):
    for _method, path in focal_pages(event, delegation):
        response = client.get(path)
        assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_focal_pages_other_focal_point_and_officers_get_404(
    client, event, delegation, other_delegation, other_focal_point
):
    # An organiser holding accreditation.manage may prepare the delegation (``delegation.manage``);
    # an accreditation officer (who only decides) may not.
    others = (
        other_focal_point,
        make_role(event, EventRole.Role.ACCREDITATION_OFFICER).user,
        make_role(event, EventRole.Role.PARTICIPANT).user,
    )
    for user in others:
        client.force_login(user)
        for _method, path in focal_pages(event, delegation):
            assert client.get(path).status_code == 404, (user, path)
        assert client.post(url("focal-bulk", event, pk=delegation.pk), {}).status_code == 404


def test_focal_pages_own_focal_point_gets_in(client, event, delegation, focal_point):
    client.force_login(focal_point)
    for _method, path in focal_pages(event, delegation):
        assert client.get(path).status_code == 200, path
