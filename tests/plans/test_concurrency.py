"""Supports are counted exactly under concurrency: many people supporting (and the same person
twice, and one person past the limit from several tabs) at the same moment, on PostgreSQL with
real connections in threads."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from cocity.participation.models import Support
from cocity.plans import services
from cocity.plans.models import Idea
from tests.factories import IdeaFactory, UserFactory, process_in_phase

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers, there is no race to prove",
    ),
]


def _all_at_once(calls):  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index, call):  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[index] = "ok"
        except ValidationError as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_forty_people_support_at_once_and_the_count_is_exact():
    process, _ = process_in_phase("collect")
    idea = IdeaFactory(process=process)
    people = UserFactory.create_batch(40)
    outcomes = _all_at_once(
        [
            lambda u=u: services.idea_support(idea=Idea.objects.get(pk=idea.pk), user=u)
            for u in people
        ]
    )
    assert outcomes == ["ok"] * 40
    idea.refresh_from_db()
    assert idea.support_count == 40 == Support.objects.count()


def test_same_person_twice_at_once_counts_once():
    process, _ = process_in_phase("collect")
    idea = IdeaFactory(process=process)
    person = UserFactory()
    outcomes = _all_at_once(
        [lambda: services.idea_support(idea=Idea.objects.get(pk=idea.pk), user=person)] * 6
    )
    assert outcomes.count("ok") == 1
    idea.refresh_from_db()
    assert idea.support_count == 1 == Support.objects.count()


def test_limit_holds_from_several_tabs():
    process, _ = process_in_phase("collect", support_limit=2)
    ideas = IdeaFactory.create_batch(6, process=process)
    person = UserFactory()
    outcomes = _all_at_once(
        [
            lambda i=i: services.idea_support(idea=Idea.objects.get(pk=i.pk), user=person)
            for i in ideas
        ]
    )
    assert outcomes.count("ok") == 2
    assert Support.objects.filter(user=person).count() == 2
    assert sum(Idea.objects.values_list("support_count", flat=True)) == 2
