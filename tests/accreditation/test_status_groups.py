"""The status groups on ``Application.Status`` / ``Delegation.Status`` and the queryset methods built on them."""

from __future__ import annotations

import pytest

from majlis.accreditation.models import Application, Delegation
from tests.factories import make_accreditation_event, make_application

S = Application.Status


def test_status_groups_live_and_closed_partition_every_status():
    assert S.live() | S.closed() == set(S.values)
    assert not S.live() & S.closed()


def test_status_groups_counted_is_live_without_drafts():
    assert S.counted() == S.live() - {S.DRAFT}


def test_status_groups_subsets_are_consistent():
    assert S.gone() < S.closed()
    assert S.pending() < S.counted()
    assert S.decided() < S.counted()
    assert S.undecided() == S.pending() | {S.DRAFT}
    assert S.decidable() == S.pending() | {S.WAITLISTED}
    assert S.accredited() == {S.APPROVED}
    assert not S.pending() & S.decided()


def test_delegation_status_groups_follow_the_focal_point_workflow():
    D = Delegation.Status
    assert D.in_preparation() == {D.INVITED, D.OPEN}
    assert D.submission_open() < D.documents_open()
    # While the credentials are being decided, nothing changes; after a rejection, everything may again.
    for group in (D.documents_open(), D.submission_open(), D.nomination_open()):
        assert D.SUBMITTED not in group
        assert D.REJECTED in group
    assert D.nomination_open() == set(D.values) - {D.SUBMITTED}


def test_status_group_members_are_choices_members():
    for name in ("live", "closed", "gone", "counted", "pending", "undecided", "decided", "decidable", "accredited"):
        group = getattr(S, name)()
        assert group <= set(S.values), name
    assert len(S.choices) == 8  # the classmethods are not members


@pytest.mark.django_db
def test_application_queryset_filters_by_group():
    event = make_accreditation_event()
    by_status = {status: make_application(event, status=status).pk for status in S.values}
    applications = Application.objects.filter(event=event)

    def pks(queryset) -> set[int]:
        return set(queryset.values_list("pk", flat=True))

    assert pks(applications.live()) == {by_status[s] for s in S.live()}
    assert pks(applications.closed()) == {by_status[s] for s in S.closed()}
    assert pks(applications.not_gone()) == {by_status[s] for s in set(S.values) - S.gone()}
    assert pks(applications.counted()) == {by_status[s] for s in S.counted()}
    assert pks(applications.pending()) == {by_status[s] for s in S.pending()}
    assert pks(applications.decided()) == {by_status[s] for s in S.decided()}
    assert pks(applications.accredited()) == {by_status[S.APPROVED]}
    # The manager's methods reach related managers too (delegation.members.live()).
    assert pks(event.applications.live()) == pks(applications.live())
