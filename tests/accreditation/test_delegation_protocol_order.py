"""The organisers' list of delegations and its export, in protocol order."""

import csv
import io

import pytest
from openpyxl import load_workbook

from majlis.accreditation.delegation_order import in_protocol_order
from majlis.accreditation.models import Delegation
from majlis.core.models import AuditEntry
from majlis.events.models import EventOrganisation, Organisation
from majlis.programme.protocol import delegation_protocol_key
from tests.accreditation.delegation_helpers import *  # noqa: F403 - the fixtures
from tests.accreditation.delegation_helpers import url
from tests.factories import make_delegation, make_organisation

pytestmark = [pytest.mark.django_db]

K = Delegation.Kind


@pytest.fixture
def delegations(event):
    """Created in a scrambled order; names in Russian would sort differently from English."""

    def state(name, code, kind=K.MEMBER_STATE, **extra):
        organisation = make_organisation(name_en=name, name_ru=f"Государство {code}", kind="government", country=code)
        return make_delegation(event, organisation=organisation, kind=kind, **extra)

    def body(name, acronym):
        organisation = make_organisation(name_en=name, acronym_en=acronym, kind="igo", country="")
        return make_delegation(event, organisation=organisation, kind=K.ORGANISATION, country="")

    made = {
        "osce": body("Organization for Security and Co-operation in Europe", "OSCE"),
        "tj": state("Republic of Tajikistan", "TJ"),
        "af": state("Islamic Republic of Afghanistan", "AF", kind=K.OBSERVER),
        "cis": body("Commonwealth of Independent States", "CIS"),
        "uz": state("Republic of Uzbekistan", "UZ"),
        "kz": state("Republic of Kazakhstan", "KZ"),
        "kg": state("Kyrgyz Republic", "KG"),
        "tm": state("Turkmenistan", "TM"),
    }
    return made


def host(event, code="UZ"):
    organisation = Organisation.objects.filter(country=code, kind="government").first()
    EventOrganisation.objects.create(event=event, organisation=organisation, role=EventOrganisation.Role.HOST)


def names(delegations_list):
    return [d.organisation.name_en for d in delegations_list]


def test_member_states_by_english_short_name_then_observers_then_organisations(event, delegations):
    ordered = in_protocol_order(Delegation.objects.filter(event=event).select_related("organisation"), event)
    # Member states sort by the English short name of the country (Kazakhstan, Kyrgyzstan, Tajikistan, …),
    # not by the organisation's formal name ("Republic of …").
    assert [d.country for d in ordered[:5]] == ["KZ", "KG", "TJ", "TM", "UZ"]
    assert ordered[5].country == "AF"  # the observer
    assert [d.organisation.acronym_en for d in ordered[6:]] == ["CIS", "OSCE"]


def test_the_host_country_comes_first(event, delegations):
    host(event, "UZ")
    ordered = in_protocol_order(Delegation.objects.filter(event=event).select_related("organisation"), event)
    assert [d.country for d in ordered[:3]] == ["UZ", "KZ", "KG"]


def test_protocol_key_reuses_states_before_organisations():
    keys = sorted(
        [
            ("organisation", "Aardvark Union"),
            ("observer", "Afghanistan"),
            ("member_state", "Zimbabwe"),
            ("member_state", "Côte d'Ivoire"),
        ],
        key=lambda item: delegation_protocol_key(*item),
    )
    assert keys == [
        ("member_state", "Côte d'Ivoire"),
        ("member_state", "Zimbabwe"),
        ("observer", "Afghanistan"),
        ("organisation", "Aardvark Union"),
    ]


def test_organiser_list_is_in_protocol_order(client, organiser, event, delegations):
    host(event, "UZ")
    client.force_login(organiser)
    response = client.get(url("list", event))
    shown = [d.pk for d in response.context["delegations"]]
    expected = ["uz", "kz", "kg", "tj", "tm", "af", "cis", "osce"]
    assert shown == [delegations[key].pk for key in expected]
    assert "In protocol order" in response.content.decode()


def test_export_csv_and_xlsx_in_protocol_order(client, organiser, event, delegations):
    client.force_login(organiser)
    response = client.get(url("export", event, fmt="csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Order", "State or organisation", "Kind"]
    assert [row[3] for row in rows[1:6]] == ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"]
    assert rows[1][0] == "1" and rows[-1][1].startswith("Organization for Security")
    response = client.get(url("export", event, fmt="xlsx") + "?status=open")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1 + Delegation.objects.filter(event=event, status="open").count()
    entry = AuditEntry.objects.filter(action="accreditation.delegations_exported").order_by("pk").last()
    assert entry.actor == organiser and entry.data["format"] == "xlsx" and entry.data["status"] == "open"


def test_export_guards_against_formula_injection(client, organiser, event):
    organisation = make_organisation(name_en='=HYPERLINK("https://evil.example","x")', kind="igo", country="")
    make_delegation(event, organisation=organisation, kind=K.ORGANISATION, country="")
    client.force_login(organiser)
    text = client.get(url("export", event, fmt="csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    sheet = load_workbook(io.BytesIO(client.get(url("export", event, fmt="xlsx")).content)).active
    assert sheet.cell(row=2, column=2).value.startswith("'=")
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_export_unknown_format_is_404(client, organiser, event):
    client.force_login(organiser)
    assert client.get(url("export", event, fmt="pdf")).status_code == 404
