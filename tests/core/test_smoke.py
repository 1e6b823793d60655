import pytest

from tests.factories import make_event


@pytest.mark.django_db
def test_event_factory_makes_a_public_event():
    event = make_event()
    assert event.is_public
    assert len(event.days) == 2
