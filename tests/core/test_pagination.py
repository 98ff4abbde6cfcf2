"""The one paginator: nearest valid page for bad numbers, an optional cap reported by
``paginator.capped``, open-ended caps that keep deep pages, and ids-first pages."""

import pytest

from cocity.core import pagination
from cocity.core.pagination import CappedPaginator, paginate
from cocity.network.models import Topic
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("asked", "number"),
    [(None, 1), ("", 1), ("abc", 1), ("0", 1), ("-3", 1), ("2", 2), (2, 2), ("99", 4), ("1e9", 1)],
)
def test_a_bad_or_out_of_range_page_number_gives_the_nearest_page(asked, number):
    page = paginate(list(range(10)), asked, per_page=3)
    assert page.number == number
    assert list(page) == list(range(10))[(number - 1) * 3 : number * 3]


def test_without_a_cap_every_row_is_counted_and_nothing_is_capped(settings):
    settings.COCITY_PAGE_SIZE = 4
    page = paginate(list(range(10)), "1")
    assert page.paginator.per_page == 4  # the setting is the default page size
    assert (page.paginator.count, page.paginator.capped, page.paginator.num_pages) == (10, False, 3)


def test_a_cap_counts_at_most_that_many_rows_and_says_so():
    rows = list(range(10))
    page = paginate(rows, "1", per_page=3, cap=7)
    assert (page.paginator.count, page.paginator.capped) == (7, True)
    assert page.paginator.num_pages == 3
    last = paginate(rows, "9", per_page=3, cap=7)  # past the cap: the last page it reaches
    assert last.number == 3 and list(last) == [6]
    exact = paginate(rows, "1", per_page=3, cap=10)
    assert (exact.paginator.count, exact.paginator.capped) == (10, False)


def test_a_capped_count_of_a_queryset_does_not_read_past_the_cap(django_assert_num_queries):
    for _ in range(5):
        TopicFactory()
    with django_assert_num_queries(2):  # the bounded count, then the page
        page = paginate(Topic.objects.order_by("pk"), "1", per_page=2, cap=3)
        rows = list(page)
    assert (page.paginator.count, page.paginator.capped, len(rows)) == (3, True, 2)


def test_an_open_ended_cap_follows_the_page_asked_for(monkeypatch):
    monkeypatch.setattr(pagination, "PAGES_AHEAD", 1)
    rows = list(range(12))
    first = paginate(rows, "1", per_page=2, cap=2, open_ended=True)
    assert first.paginator.limit == 4  # the page asked for and one after it
    assert (first.paginator.count, first.paginator.capped, first.has_next()) == (4, True, True)
    deep = paginate(rows, "4", per_page=2, cap=2, open_ended=True)
    assert deep.number == 4 and list(deep) == [6, 7]
    assert deep.paginator.capped and deep.has_next()
    end = paginate(rows, "bad", per_page=2, cap=20, open_ended=True)
    assert end.number == 1 and (end.paginator.count, end.paginator.capped) == (12, False)


def test_ids_first_gives_the_same_rows_in_the_same_order(django_assert_num_queries):
    topics = [TopicFactory() for _ in range(5)]
    ordered = Topic.objects.order_by("-pk")
    with django_assert_num_queries(3):  # count, the page's ids, those rows
        page = paginate(ordered, "2", per_page=2, cap=10, ids_first=True)
        rows = list(page)
    assert rows == [topics[2], topics[1]]
    assert rows == list(paginate(ordered, "2", per_page=2).object_list)


def test_the_paginator_class_without_a_cap_is_djangos():
    paginator = CappedPaginator(list(range(5)), 2)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, False, 3)
