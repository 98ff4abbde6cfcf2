"""A space always keeps an admin, even when two admins demote (or remove) each other at the same
moment. Proven on PostgreSQL with two real connections in two threads; a pause is injected
*after* each side has counted the admins, so without the row lock both would see two admins and
both would succeed."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from cocity.network.models import Role, SpaceMembership
from cocity.network.services import spaces as services
from tests.factories import SpaceFactory, SpaceMembershipFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks to prove (it serialises writers)",
    ),
]


def _race(monkeypatch, first, second):  # type: ignore[no-untyped-def]
    """Run two calls at once in two threads (two connections); return what each raised."""
    real = services._locked_admin_ids

    def slow_locked_admin_ids(space):  # type: ignore[no-untyped-def]
        admins = real(space)
        time.sleep(0.3)  # both threads have counted by now, unless the first holds the lock
        return admins

    monkeypatch.setattr(services, "_locked_admin_ids", slow_locked_admin_ids)
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def run(index: int, call) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=5)
            call()
            outcomes[index] = "ok"
        except ValidationError as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(0, first)),
        threading.Thread(target=run, args=(1, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return outcomes


def test_two_admins_demoting_each_other_leave_one_admin(monkeypatch):
    space = SpaceFactory()
    alice = SpaceMembershipFactory(space=space, role=Role.ADMIN)
    bob = SpaceMembershipFactory(space=space, role=Role.ADMIN)

    outcomes = _race(
        monkeypatch,
        lambda: services.membership_role_change(membership=bob, role=Role.MEMBER, actor=alice.user),
        lambda: services.membership_role_change(membership=alice, role=Role.MEMBER, actor=bob.user),
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["ValidationError", "str"], outcomes
    assert SpaceMembership.objects.filter(space=space, role=Role.ADMIN).count() == 1


def test_two_admins_removing_each_other_leave_one_admin(monkeypatch):
    space = SpaceFactory()
    alice = SpaceMembershipFactory(space=space, role=Role.ADMIN)
    bob = SpaceMembershipFactory(space=space, role=Role.ADMIN)

    outcomes = _race(
        monkeypatch,
        lambda: services.membership_remove(membership=bob, actor=alice.user),
        lambda: services.space_leave(space=space, user=alice.user),
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["ValidationError", "str"], outcomes
    assert SpaceMembership.objects.filter(space=space, role=Role.ADMIN).count() == 1
