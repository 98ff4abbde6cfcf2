import pytest
from django.core.management import call_command

from cocity.network.models import Organisation, Space, SpaceMembership, Territory

pytestmark = pytest.mark.django_db


def test_demo_data_builds_the_seed_network_and_is_idempotent() -> None:
    call_command("demo_data", verbosity=0)
    counts = (Territory.objects.count(), Space.objects.count(), SpaceMembership.objects.count())
    call_command("demo_data", verbosity=0)
    assert (
        Territory.objects.count(),
        Space.objects.count(),
        SpaceMembership.objects.count(),
    ) == counts

    labs = Space.objects.filter(kind=Space.Kind.LAB, parent__slug="fairville")
    assert sorted(lab.territory.name for lab in labs) == [
        "Athens",
        "Berlin",
        "Brussels",
        "Cairo",
        "Dakar",
        "London",
        "Marseille",
    ]
    assert Space.objects.get(slug="enabler-series").parent.slug == "dialogues-in-coproduction"
    assert Space.objects.get(slug="cities-of-equality-drafting").visibility == "members"
    working_groups = Space.objects.filter(parent__slug="eurocities-social-affairs")
    assert working_groups.count() == 3
    assert Organisation.objects.filter(kind=Organisation.Kind.LOCAL_GOVERNMENT).count() >= 5
    marseille = Territory.objects.get(code="FR-MRS")
    assert (
        Territory.objects.filter(path__startswith=marseille.path, kind="neighbourhood").count() >= 3
    )
    # Every space keeps at least one admin.
    for space in Space.objects.all():
        assert space.memberships.filter(role="admin").exists(), space.slug


def test_demo_maps_say_what_is_approximate_and_place_the_venues() -> None:
    """Issue 17: every outline the demo draws is flagged approximate (the maps say so), and its
    in-person events with an address have a map point that their own checks accept (inside
    their space's territory when it has a boundary)."""
    from cocity.events.models import Event

    call_command("demo_data", verbosity=0)
    drawn = Territory.objects.filter(boundary__isnull=False)
    assert drawn.exists() and not drawn.filter(boundary_approximate=False).exists()
    placed = Event.objects.filter(latitude__isnull=False).select_related("space__territory")
    assert {e.venue_name for e in placed} >= {
        "Friche la Belle de Mai",
        "Agence nationale de la cohésion des territoires",
    }
    for event in placed:
        assert event.format in (Event.Format.IN_PERSON, Event.Format.HYBRID), event.slug
        event.full_clean()  # in range, and inside the space's territory
