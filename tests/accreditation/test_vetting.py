"""Security vetting of delegation members: set by the host country's services, seen by organisers only."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from majlis.accreditation import services
from majlis.accreditation.models import Application, Delegation, Vetting
from majlis.accreditation.services import delegation_tools as tools
from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from tests.accreditation.delegation_helpers import *  # noqa: F403 - the fixtures
from tests.accreditation.delegation_helpers import url
from tests.factories import make_application, make_event, make_role, make_user

pytestmark = [pytest.mark.django_db]
S = Application.Status
SECRET_NOTE = "Listed in the regional watch list, ref. 4471."


@pytest.fixture
def officer(event):
    user = make_user(email="vetting@sgb.example.uz")
    make_role(event, EventRole.Role.SECURITY_OFFICER, user=user)
    return user


@pytest.fixture
def member(event, delegation):
    Delegation.objects.filter(pk=delegation.pk).update(status=Delegation.Status.APPROVED)
    return make_application(
        event,
        delegation=delegation,
        category="delegate",
        status=S.SUBMITTED,
        family_name="Tokayev",
        given_names="Nurlan",
        email="nurlan@example.org",
    )


def vetting_post(member, status, note=""):
    return {"member": member.pk, f"v{member.pk}-status": status, f"v{member.pk}-note": note}


def test_security_officers_vet_in_their_event_only(officer, event):
    assert tools.may_set_vetting(officer, event)
    other_event = make_event()
    assert not tools.may_set_vetting(officer, other_event)
    assert not tools.may_view_vetting(officer, other_event)


def test_officer_sets_a_status_with_who_and_when(client, officer, event, member):
    client.force_login(officer)
    page = client.get(url("vetting", event))
    assert page.status_code == 200 and "Tokayev".upper() in page.content.decode()
    response = client.post(url("vetting", event), vetting_post(member, "refused", SECRET_NOTE))
    assert response.status_code == 302
    vetting = Vetting.objects.get(application=member)
    assert (vetting.status, vetting.note, vetting.set_by) == ("refused", SECRET_NOTE, officer)
    assert vetting.set_at is not None
    entry = AuditEntry.objects.get(action="accreditation.vetting_set")
    assert (
        entry.actor == officer and entry.data["status"] == "refused" and entry.data["previous_status"] == "not_vetted"
    )
    assert SECRET_NOTE not in str(entry.data)
    assert AuditEntry.objects.filter(action="accreditation.vetting_listed", actor=officer).exists()


def test_refusal_needs_a_note_and_keeps_the_choice(client, officer, event, member):
    client.force_login(officer)
    response = client.post(url("vetting", event), vetting_post(member, "refused"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the reason for the refusal in the note" in html
    assert 'value="refused" selected' in html
    assert not Vetting.objects.exists()


def test_vetting_list_filters(client, officer, event, member, delegation):
    other = make_application(event, delegation=delegation, category="delegate", family_name="Bekova", status=S.DRAFT)
    tools.set_vetting_status(other, status="cleared", actor=officer)
    client.force_login(officer)
    response = client.get(url("vetting", event), {"vetting": "not_vetted"})
    assert [row["member"].pk for row in response.context["rows"]] == [member.pk]
    response = client.get(url("vetting", event), {"vetting": "cleared", "delegation": delegation.pk})
    assert [row["member"].pk for row in response.context["rows"]] == [other.pk]
    response = client.get(url("vetting", event), {"q": "toka"})
    assert [row["member"].pk for row in response.context["rows"]] == [member.pk]


def test_organiser_sees_the_page_read_only(client, organiser, event, member):
    tools.set_vetting_status(member, status="pending", note="Waiting for the ministry.", actor=organiser)
    client.force_login(organiser)
    response = client.get(url("vetting", event))
    html = response.content.decode()
    assert response.status_code == 200 and "Waiting for the ministry." in html
    assert "only the security services can change them" in html
    assert 'name="member"' not in html
    assert client.post(url("vetting", event), vetting_post(member, "cleared")).status_code == 403
    assert Vetting.objects.get(application=member).status == "pending"


@pytest.mark.parametrize("role", [EventRole.Role.PARTICIPANT, EventRole.Role.FOCAL_POINT, EventRole.Role.JOURNALIST])
def test_vetting_page_is_refused_to_other_roles(client, event, member, role):
    client.force_login(make_role(event, role).user)
    assert client.get(url("vetting", event)).status_code == 403
    assert client.post(url("vetting", event), vetting_post(member, "cleared")).status_code == 403
    assert not Vetting.objects.exists()


def test_vetting_page_anonymous_is_sent_to_log_in(client, event):
    response = client.get(url("vetting", event))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_focal_point_and_member_never_see_the_vetting(client, officer, event, member, delegation, focal_point):
    tools.set_vetting_status(member, status="refused", note=SECRET_NOTE, actor=officer)
    client.force_login(focal_point)
    for page in (
        url("focal", event, pk=delegation.pk),
        url("focal-member-edit", event, pk=delegation.pk, member=member.pk),
    ):
        html = client.get(page).content.decode()
        assert SECRET_NOTE not in html and "vetting" not in html.lower() and "Refused" not in html
    assert client.get(url("vetting", event)).status_code == 403


def test_organiser_pages_and_export_show_the_vetting(client, organiser, officer, event, member, delegation):
    tools.set_vetting_status(member, status="refused", note=SECRET_NOTE, actor=officer)
    client.force_login(organiser)
    detail = client.get(url("detail", event, pk=delegation.pk)).content.decode()
    assert "Security vetting" in detail and "Refused" in detail
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        manage = reverse("events:accreditation-manage:list", kwargs={"event": event.slug})
        participant = reverse("events:accreditation-manage:detail", kwargs={"event": event.slug, "pk": member.pk})
        export = reverse("events:accreditation-manage:export", kwargs={"event": event.slug})
    assert "Vetting: refused" in client.get(manage).content.decode()
    assert SECRET_NOTE in client.get(participant).content.decode()
    response = client.post(export, {"format": "xlsx", "query": ""})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = [cell.value for cell in sheet[2]]
    assert row[header.index("Security vetting")] == "refused"
    assert row[header.index("Vetting note")] == SECRET_NOTE


def test_refused_member_cannot_be_approved(officer, organiser, member):
    tools.set_vetting_status(member, status="refused", note=SECRET_NOTE, actor=officer)
    with pytest.raises(ValidationError) as error:
        services.approve_application(member, actor=organiser)
    assert error.value.code == "vetting_refused"
    member.refresh_from_db()
    assert member.status == S.SUBMITTED
    tools.set_vetting_status(member, status="cleared", actor=officer)
    services.approve_application(member, actor=organiser)
    assert member.status == S.APPROVED


def test_approving_an_unvetted_member_warns_the_organiser(client, organiser, event, member, delegation):
    client.force_login(organiser)
    response = client.post(
        url("member-decide", event, pk=delegation.pk, member=member.pk),
        {f"m{member.pk}-decision": "approve", f"m{member.pk}-reason": ""},
        follow=True,
    )
    member.refresh_from_db()
    assert member.status == S.APPROVED
    assert "was approved without security clearance (vetting: not vetted)" in response.content.decode()


def test_approving_a_refused_member_on_the_delegation_page_is_blocked(
    client, organiser, officer, event, member, delegation
):
    tools.set_vetting_status(member, status="refused", note=SECRET_NOTE, actor=officer)
    client.force_login(organiser)
    response = client.post(
        url("member-decide", event, pk=delegation.pk, member=member.pk),
        {f"m{member.pk}-decision": "approve", f"m{member.pk}-reason": ""},
    )
    assert response.status_code == 400
    assert "security services refused Nurlan Tokayev" in response.content.decode()
    member.refresh_from_db()
    assert member.status == S.SUBMITTED


def test_bulk_approval_warns_about_members_without_clearance(client, organiser, event, member):
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        bulk = reverse("events:accreditation-manage:bulk", kwargs={"event": event.slug})
    client.force_login(organiser)
    response = client.post(bulk, {"applications": [member.pk], "action": "approve", "reason": "", "query": ""})
    member.refresh_from_db()
    assert member.status == S.APPROVED
    assert "1 approved delegation member has no security clearance yet." in response.content.decode()


def test_purging_personal_data_removes_the_vetting(officer, member):
    from django.utils import timezone

    from majlis.accreditation import personal_data

    tools.set_vetting_status(member, status="refused", note=SECRET_NOTE, actor=officer)
    personal_data.purge_application(member, now=timezone.now(), reason="retention period over")
    assert not Vetting.objects.filter(application=member).exists()
