"""`majlis purge-personal-data`: personal data goes after the retention period; anonymous figures stay."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from majlis.accreditation import personal_data, stats
from majlis.accreditation.models import (
    AccreditationSettings,
    Application,
    Delegation,
    DelegationDocument,
    SessionSeat,
)
from majlis.core import audit, outbox
from majlis.core.models import AuditEntry, OutboxMessage
from tests.accreditation.personal_data_helpers import (
    JPEG_BYTES,
    PASSPORT,
    PDF_BYTES,
    application,
    category,
    delegation,
    delegation_document,
)
from tests.factories import make_event, make_session, make_user

pytestmark = [pytest.mark.django_db]

S = Application.Status


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


@pytest.fixture
def tashkent():
    """Tashkent 2022 (3–4 March), 90 days of retention: data goes on 3 June 2022."""
    event = make_event(slug="tashkent-2022", start_date=date(2022, 3, 3), end_date=date(2022, 3, 4))
    AccreditationSettings.objects.create(event=event, retention_days=90)
    delegates = category(event, code="delegate", name="Delegate of a Member State")
    media = category(event, code="media", name="Media")
    focal = make_user(password=None)
    own = delegation(event, focal_point=focal, country="KZ")
    session = make_session(event)
    people = [
        application(
            event,
            user=make_user(password=None),
            category=delegates,
            delegation=own,
            nationality="KZ",
            gender="male",
            status=S.APPROVED,
            passport=PASSPORT,
            photo=JPEG_BYTES,
        ),
        application(
            event,
            category=delegates,
            delegation=own,
            nationality="KZ",
            gender="female",
            status=S.APPROVED,
            passport="KZ7654321",
            photo=JPEG_BYTES,
        ),
        application(
            event,
            category=media,
            nationality="UZ",
            gender="undisclosed",
            status=S.REJECTED,
            mode="online",
            document=PDF_BYTES,
            decision_reason="No press card from Karimova's outlet.",
        ),
        application(event, category=media, nationality="TJ", gender="female", status=S.WAITLISTED),
    ]
    for person in people[:2]:
        SessionSeat.objects.create(application=person, session=session, status=SessionSeat.Status.CONFIRMED)
    OutboxMessage.objects.create(
        key=f"application:{people[0].pk}:approved:1",
        event_id=event.pk,
        related=outbox.related_key(people[0]),
        recipient=people[0].email,
        language="en",
        template="approved",
        subject="Approved",
        status=OutboxMessage.Status.SENT,
        sent_at=at(date(2022, 2, 1)),
    )
    audit.record("accreditation.approved", actor="organiser", obj=people[0], event_slug=event.slug)
    document = delegation_document(own)
    return {"event": event, "people": people, "delegation": own, "document": document, "session": session}


def files_of(people):
    return [(f.storage, f.name) for p in people for f in (p.photo, p.supporting_document) if f]


def test_purge_before_the_end_of_retention_changes_nothing(tashkent):
    result = personal_data.purge_event(tashkent["event"], now=at(date(2022, 6, 2)))
    assert not result.retention_passed
    assert result.retention_ends == date(2022, 6, 2)
    assert result.applications == 0
    assert Application.objects.filter(personal_data_purged_at__isnull=False).count() == 0
    assert Application.objects.get(pk=tashkent["people"][0].pk).passport_number_encrypted is not None


def test_purge_after_retention_removes_personal_data_and_counts(tashkent):
    people = tashkent["people"]
    stored = files_of(people) + [(tashkent["document"].file.storage, tashkent["document"].file.name)]
    assert all(storage.exists(name) for storage, name in stored)

    result = personal_data.purge_event(tashkent["event"], now=at(date(2022, 6, 3)))

    assert result.retention_passed
    assert (result.applications, result.deletion_requests, result.files) == (4, 0, 3 + 1)
    assert (result.delegation_documents, result.delegations) == (1, 1)
    assert not any(storage.exists(name) for storage, name in stored)
    for app in Application.objects.filter(event=tashkent["event"]):
        assert app.personal_data_purged_at == at(date(2022, 6, 3))
        for field in (
            "family_name",
            "given_names",
            "name_native",
            "email",
            "phone",
            "organisation_name",
            "position",
            "passport_number_digest",
            "passport_country",
            "decision_reason",
        ):
            assert getattr(app, field) == "", field
        assert app.passport_number_encrypted is None and app.passport_expiry is None
        assert not app.photo and not app.supporting_document
        assert app.user_id is None
    assert not DelegationDocument.objects.exists()
    own = Delegation.objects.get(pk=tashkent["delegation"].pk)
    assert own.focal_point_email == "" and not own.memberships.exists()
    assert OutboxMessage.objects.get().recipient == ""
    # Audit entries no longer name the person.
    names = [p.family_name.upper() for p in people]
    assert not AuditEntry.objects.filter(object_repr__iregex="|".join(names)).exists()
    assert AuditEntry.objects.filter(action="accreditation.personal_data_purged").count() == 4 + 1


def test_purge_keeps_what_the_statistics_need(tashkent):
    event = tashkent["event"]
    before = stats.statistics(event).as_dict()
    personal_data.purge_event(event, now=at(date(2023, 1, 1)))
    after = stats.statistics(event).as_dict()
    assert after == before
    assert after["by_status"]["total"] == 4
    kept = sorted(
        Application.objects.filter(event=event).values_list("category__code", "status", "nationality", "gender", "mode")
    )
    assert kept == sorted(
        [
            ("delegate", S.APPROVED, "KZ", "male", "in_person"),
            ("delegate", S.APPROVED, "KZ", "female", "in_person"),
            ("media", S.REJECTED, "UZ", "undisclosed", "online"),
            ("media", S.WAITLISTED, "TJ", "female", "in_person"),
        ]
    )
    assert SessionSeat.objects.filter(session=tashkent["session"], status="confirmed").count() == 2
    assert Application.objects.filter(delegation=tashkent["delegation"]).count() == 2


def test_purge_twice_does_nothing_the_second_time(tashkent):
    personal_data.purge_event(tashkent["event"], now=at(date(2022, 7, 1)))
    again = personal_data.purge_event(tashkent["event"], now=at(date(2022, 7, 2)))
    assert (again.applications, again.files, again.delegation_documents, again.delegations) == (0, 0, 0, 0)


def test_purge_dry_run_counts_without_changing(tashkent):
    result = personal_data.purge_event(tashkent["event"], now=at(date(2022, 7, 1)), dry_run=True)
    assert (result.applications, result.files, result.delegation_documents, result.delegations) == (4, 4, 1, 1)
    assert not Application.objects.filter(personal_data_purged_at__isnull=False).exists()
    assert all(storage.exists(name) for storage, name in files_of(tashkent["people"]))
    assert DelegationDocument.objects.count() == 1


def test_purge_honours_deletion_requests_before_retention_ends(tashkent):
    rejected, waitlisted = tashkent["people"][2], tashkent["people"][3]
    Application.objects.filter(pk__in=[rejected.pk, waitlisted.pk]).update(deletion_requested_at=at(date(2022, 3, 10)))
    result = personal_data.purge_event(tashkent["event"], now=at(date(2022, 3, 11)))
    assert (result.applications, result.deletion_requests, result.delegation_documents) == (2, 2, 0)
    assert set(Application.objects.filter(personal_data_purged_at__isnull=False).values_list("pk", flat=True)) == {
        rejected.pk,
        waitlisted.pk,
    }
    assert DelegationDocument.objects.count() == 1


def test_purge_waits_for_the_end_of_the_event_when_the_requester_is_approved():
    event = make_event(start_date=date(2022, 3, 3), end_date=date(2022, 3, 4))
    approved = application(event, status=S.APPROVED, deletion_requested_at=at(date(2022, 2, 1)))
    submitted = application(event, status=S.CANCELLED, deletion_requested_at=at(date(2022, 2, 1)))
    during = personal_data.purge_event(event, now=at(date(2022, 3, 4)))
    assert during.application_ids == [submitted.pk]
    after = personal_data.purge_event(event, now=at(date(2022, 3, 5)))
    assert after.application_ids == [approved.pk]
    assert not after.retention_passed


def test_purge_uses_the_default_retention_without_settings():
    event = make_event(start_date=date(2022, 3, 3), end_date=date(2022, 3, 4))
    assert personal_data.retention_ends(event) == date(2022, 3, 4) + timedelta(days=180)


def test_purge_command_prints_counts(tashkent):
    out = io.StringIO()
    call_command("purge_personal_data", "--event", "tashkent-2022", "--dry-run", "--now", "2026-01-01", stdout=out)
    text = out.getvalue()
    assert "tashkent-2022: retention period ended on 2022-06-02" in text
    assert "would remove personal data of 4 application(s)" in text
    assert "4 file(s), 1 delegation document(s)" in text
    assert not Application.objects.filter(personal_data_purged_at__isnull=False).exists()

    out = io.StringIO()
    call_command("purge_personal_data", "--event", "tashkent-2022", "--now", "2026-01-01", stdout=out)
    assert "removed personal data of 4 application(s)" in out.getvalue()
    assert Application.objects.filter(personal_data_purged_at__isnull=False).count() == 4


def test_purge_command_before_retention_says_so(tashkent):
    out = io.StringIO()
    call_command("purge_personal_data", "--event", "tashkent-2022", "--now", "2022-05-01", stdout=out)
    assert "retention period runs until 2022-06-02" in out.getvalue()
    assert "of 0 application(s)" in out.getvalue()


def test_purge_command_refuses_an_unknown_event_or_date(tashkent):
    with pytest.raises(CommandError, match="No event"):
        call_command("purge_personal_data", "--event", "nowhere-2030")
    with pytest.raises(CommandError, match="--now"):
        call_command("purge_personal_data", "--event", "tashkent-2022", "--now", "first of May")
