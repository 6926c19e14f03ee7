"""Shipped reference objects are read once and read again whenever a library changes, in this
process (signals) or in another (the libraries' stamp)."""

from __future__ import annotations

import pytest

from stoa.catalogue.entries import catalogue_for
from stoa.library import cached as shipped
from stoa.library.loader import load_shipped
from stoa.library.models import Library, ReferenceObject

pytestmark = pytest.mark.django_db


@pytest.fixture
def libraries():
    load_shipped()


def test_a_second_read_in_a_request_reuses_the_objects(libraries, django_assert_num_queries):
    shipped._request_starts()
    try:
        first = shipped.shipped_measures()
        with django_assert_num_queries(0):
            assert shipped.shipped_measures() is first
    finally:
        shipped._request_ends()


def test_outside_a_request_each_read_checks_the_stamp_only(libraries, django_assert_num_queries):
    first = shipped.shipped_measures()
    with django_assert_num_queries(1):
        assert shipped.shipped_measures() is first


def test_a_change_saved_here_is_seen_at_once(libraries):
    measure = shipped.shipped_measures()[0]
    row = ReferenceObject.objects.get(pk=measure.pk)
    row.name = "Renamed here"
    row.save()
    assert catalogue_for(None).get(row.urn).shipped.name == "Renamed here"


def test_a_library_changed_by_another_process_is_seen_through_its_stamp(libraries):
    measure = shipped.shipped_measures()[0]
    # What another worker's load does, without this process's signals: new rows and a new stamp.
    ReferenceObject.objects.filter(pk=measure.pk).update(name="Renamed elsewhere")
    Library.objects.filter(pk=measure.library_id).update(sha256="0" * 64)
    assert catalogue_for(None).get(measure.urn).shipped.name == "Renamed elsewhere"


def test_a_removed_library_takes_its_objects_with_it(libraries):
    measure = shipped.shipped_measures()[0]
    Library.objects.filter(pk=measure.library_id).delete()
    assert catalogue_for(None).get(measure.urn) is None
