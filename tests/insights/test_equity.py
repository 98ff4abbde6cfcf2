"""Participation equity on a small hand-made case: exact numbers, suppression below the
minimum cell, members-only activity never counted."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cocity.insights import equity
from cocity.participation.models import Support
from tests.factories import IdeaFactory, ProcessFactory, SpaceFactory, UserFactory

from .platform_helpers import grid_city

pytestmark = pytest.mark.django_db


def _hand_made(settings):  # type: ignore[no-untyped-def]
    settings.COCITY_INSIGHTS_MIN_CELL = 2
    city, hoods = grid_city(3, 1)
    population = {hoods[0].pk: 100, hoods[1].pk: 300, hoods[2].pk: 600}
    when = datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)
    later = datetime.datetime(2025, 8, 1, tzinfo=datetime.UTC)
    # hood 0: 3 people; hood 1: 1 person (suppressed at min 2); hood 2: 6 people
    activity = [(u, hoods[0].pk, 1, when) for u in (1, 2, 3)]
    activity += [(4, hoods[1].pk, 1, when)]
    activity += [(u, hoods[2].pk, 1, later) for u in range(10, 16)]
    activity += [(1, hoods[0].pk, 1, later)]  # the same person again: counted once
    return city, hoods, population, activity


def test_exact_shares_ratio_and_dissimilarity(settings):
    city, hoods, population, activity = _hand_made(settings)
    report = equity.report(city, hoods, population, activity)
    first, _second, third = report.rows
    assert first.participants == 3 and first.participation_share == pytest.approx(0.3)
    assert first.population_share == pytest.approx(0.1)
    assert first.ratio == pytest.approx(3.0)
    assert third.participants == 6 and third.ratio == pytest.approx(1.0)
    # D = 1/2 (|0.3-0.1| + |0.1-0.3| + |0.6-0.6|) = 0.2
    assert report.dissimilarity == pytest.approx(0.2)
    assert report.participants_total == 10


def test_suppression_below_minimum_cell(settings):
    city, hoods, population, activity = _hand_made(settings)
    report = equity.report(city, hoods, population, activity)
    second = report.rows[1]
    assert second.suppressed and second.participants is None and second.ratio is None
    assert second.participation_share is None
    assert report.suppressed_cells == 1
    assert [r.code for r in report.left_out] == [hoods[1].code]
    # by quarter: Q1 has 4 people (3 + 1), Q3 has 7; both above 2
    assert [(q.label, q.participants) for q in report.by_quarter] == [
        ("2025-Q1", 4),
        ("2025-Q3", 7),
    ]
    settings.COCITY_INSIGHTS_MIN_CELL = 5
    report = equity.report(city, hoods, population, activity)
    assert [q.suppressed for q in report.by_quarter] == [True, False]
    assert report.rows[0].participants is None  # 3 < 5


def test_members_only_space_activity_is_never_counted(settings):
    settings.COCITY_INSIGHTS_MIN_CELL = 1
    city, hoods = grid_city(2, 1)
    public = SpaceFactory(name="Open lab", visibility="public")
    secret = SpaceFactory(name="Secret circle", visibility="members", join_policy="request")
    idea_public = IdeaFactory(process=ProcessFactory(space=public))
    idea_secret = IdeaFactory(process=ProcessFactory(space=secret))
    idea_type = ContentType.objects.get_for_model(idea_public)
    resident = UserFactory(home_city=city, home_neighbourhood=hoods[0])
    insider = UserFactory(home_city=city, home_neighbourhood=hoods[1])
    Support.objects.create(content_type=idea_type, object_id=idea_public.pk, user=resident)
    Support.objects.create(content_type=idea_type, object_id=idea_secret.pk, user=insider)
    IdeaFactory(process=idea_secret.process, author=insider)
    rows = equity.activities(city)
    assert {(r[0], r[2]) for r in rows} == {(resident.pk, public.pk)}
    report = equity.report(city, hoods, {hoods[0].pk: 10, hoods[1].pk: 10})
    assert [s.label for s in report.by_space] == ["Open lab"]
    assert report.rows[1].left_out and report.rows[1].participants is None


def test_registrations_and_comments_count(settings):
    settings.COCITY_INSIGHTS_MIN_CELL = 1
    from cocity.participation.models import Comment

    city, hoods = grid_city(2, 1)
    idea = IdeaFactory(process=ProcessFactory(space=SpaceFactory(visibility="public")))
    person = UserFactory(home_city=city, home_neighbourhood=hoods[1])
    Comment.objects.create(
        content_type=ContentType.objects.get_for_model(idea),
        object_id=idea.pk,
        author=person,
        body="Yes",
        created_at=timezone.now(),
    )
    assert [(r[0], r[1]) for r in equity.activities(city)] == [(person.pk, hoods[1].pk)]
