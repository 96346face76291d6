"""Issue 9 fix: long lists count through selectors.counting, exact and fresh while short, the
exact count cached (with an explicit expiry) once long; rows are always current."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.paginator import Paginator

from apps.proposals.selectors import counting
from apps.proposals.selectors.office import OfficeListFilter, proposal_office_list

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _short_threshold(monkeypatch):
    """Two rows count as "long" here, so the tests need a handful of proposals, not 1,000."""
    monkeypatch.setattr(counting, "EXACT_UP_TO", 2)
    cache.clear()
    yield
    cache.clear()


def _office_list(user):
    return proposal_office_list(user=user, filters=OfficeListFilter())


def test_a_short_list_is_counted_exactly_every_time(build, proposal_staff_user):
    build.accepted()
    assert _office_list(proposal_staff_user).count() == 1
    build.accepted()
    assert _office_list(proposal_staff_user).count() == 2
    assert not any(key.startswith(counting.CACHE_PREFIX) for key in _cached_keys())


def test_a_long_list_reuses_its_cached_count_until_it_expires(build, proposal_staff_user):
    for _ in range(3):
        build.accepted()
    listing = _office_list(proposal_staff_user)
    assert Paginator(listing, 2).count == 3
    key = counting.count_cache_key(listing.order_by())
    assert cache.get(key) == 3
    build.accepted()
    # the total may lag (for COUNT_CACHE_SECONDS); the rows do not
    assert _office_list(proposal_staff_user).count() == 3
    assert len(list(_office_list(proposal_staff_user))) == 4
    cache.delete(key)  # what the expiry does
    assert _office_list(proposal_staff_user).count() == 4
    assert cache.get(key) == 4


def test_filters_and_users_count_separately(build, proposal_staff_user, leader_user):
    for _ in range(3):
        build.accepted(title="关于加快普惠托育服务体系建设的建议")
    build.accepted(title="关于完善社区嵌入式养老服务的建议")
    assert _office_list(proposal_staff_user).count() == 4
    childcare = _office_list(proposal_staff_user).filter(title__contains="托育")
    assert childcare.count() == 3
    assert _office_list(leader_user).count() == 4
    keys = {
        counting.count_cache_key(_office_list(proposal_staff_user).order_by()),
        counting.count_cache_key(childcare.order_by()),
        counting.count_cache_key(_office_list(leader_user).order_by()),
    }
    assert len(keys) == 3
    assert all(cache.get(key) is not None for key in keys)


def test_an_evaluated_or_sliced_list_counts_what_it_holds(build, proposal_staff_user):
    for _ in range(4):
        build.accepted()
    listing = _office_list(proposal_staff_user)
    rows = list(listing)
    assert listing.count() == len(rows) == 4
    assert _office_list(proposal_staff_user)[:3].count() == 3


def _cached_keys() -> list[str]:
    return [key.split(":", 2)[-1] for key in getattr(cache, "_cache", {})]
