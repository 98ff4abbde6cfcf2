"""A removal from a members-only space and a registration for one of its events at the same
moment, each on its own PostgreSQL connection, never leave a live registration behind (issue 15).

Registering locks the person's membership row before the track; a removal locks the space's
membership rows before cancelling seats. Whichever comes second waits for the first to commit:
a registration that waited sees the membership gone and is refused; a removal that waited finds
the registration and cancels it (the seat freed). Each test holds the first transaction open
until the second is seen to wait, so the order is forced, not hoped for."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from cocity.events import services
from cocity.events.models import Registration, Track
from cocity.network.models import Role, Space, SpaceMembership
from cocity.network.services import spaces as space_services
from tests.factories import SpaceFactory, SpaceMembershipFactory, UserFactory, event_with_session

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks to prove (it serialises writers)",
    ),
]

WAIT = 30


def _setup():  # type: ignore[no-untyped-def]
    space = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    admin = UserFactory()
    SpaceMembershipFactory(space=space, user=admin, role=Role.ADMIN)
    person = UserFactory()
    SpaceMembershipFactory(space=space, user=person)
    _event, track = event_with_session(space=space, capacity=5)
    return space, admin, person, track


def _in_thread(target, results, name):  # type: ignore[no-untyped-def]
    def run() -> None:
        try:
            results[name] = target()
        except Exception as error:  # the assertion reads it
            results[name] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_registration_waiting_on_a_removal_is_refused():
    space, admin, person, track = _setup()
    removed, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def remove() -> None:
        with transaction.atomic():
            membership = SpaceMembership.objects.get(space=space, user=person)
            space_services.membership_remove(membership=membership, actor=admin)
            removed.set()
            assert release.wait(WAIT)

    def register() -> object:
        return services.registration_create(track=track, user=person)

    remover = _in_thread(remove, results, "remove")
    assert removed.wait(WAIT), results
    registrar = _in_thread(register, results, "register")
    registrar.join(1.0)
    assert registrar.is_alive(), "the registration should wait for the removal's lock"
    release.set()
    remover.join(WAIT)
    registrar.join(WAIT)
    assert results["remove"] is None
    assert isinstance(results["register"], ValidationError)
    assert not Registration.objects.filter(user=person).exists()


def test_a_removal_waiting_on_a_registration_cancels_it():
    space, admin, person, track = _setup()
    registered, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def register() -> None:
        with transaction.atomic():
            services.registration_create(track=track, user=person)
            registered.set()
            assert release.wait(WAIT)

    def remove() -> None:
        membership = SpaceMembership.objects.get(space=space, user=person)
        space_services.membership_remove(membership=membership, actor=admin)

    registrar = _in_thread(register, results, "register")
    assert registered.wait(WAIT), results
    remover = _in_thread(remove, results, "remove")
    remover.join(1.0)
    assert remover.is_alive(), "the removal should wait for the registration's lock"
    release.set()
    registrar.join(WAIT)
    remover.join(WAIT)
    assert results == {"register": None, "remove": None}
    assert Registration.objects.get(user=person).status == "cancelled"
    assert Track.objects.get(pk=track.pk).confirmed_count == 0
    assert not SpaceMembership.objects.filter(space=space, user=person).exists()
