"""Every factory in one place; ``conftest.py`` registers them as fixtures."""

import factory
from django.contrib.auth import get_user_model

from cocity.network.models import (
    Organisation,
    OrganisationMembership,
    Role,
    Space,
    SpaceMembership,
    Territory,
    Topic,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    languages = factory.LazyFunction(lambda: ["en"])
    time_zone = "Europe/Paris"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """Mark the e-mail address verified with allauth (pass verified=False to skip)."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )
        if create:
            self.save()


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Country {n}")
    code = factory.Sequence(lambda n: f"C{n}")
    kind = Territory.Kind.COUNTRY
    parent = None


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.CIVIL_SOCIETY


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    name = factory.Sequence(lambda n: f"Space {n}")
    slug = factory.Sequence(lambda n: f"space-{n}")
    kind = Space.Kind.PARTNERSHIP
    visibility = Space.Visibility.PUBLIC
    join_policy = Space.JoinPolicy.REQUEST
    summary = "A space for working together."


class SpaceMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpaceMembership

    space = factory.SubFactory(SpaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


def city_with_neighbourhoods(country_code: str = "FR", city_code: str = "FR-MRS"):  # type: ignore[no-untyped-def]
    """A small territory tree: country > city > district > two neighbourhoods."""
    country = TerritoryFactory(name="France", code=country_code, kind=Territory.Kind.COUNTRY)
    city = TerritoryFactory(
        name="Marseille", code=city_code, kind=Territory.Kind.CITY, parent=country
    )
    district = TerritoryFactory(
        name="3e arrondissement", code=f"{city_code}-03", kind=Territory.Kind.DISTRICT, parent=city
    )
    hoods = [
        TerritoryFactory(
            name=name,
            code=f"{city_code}-03-{i}",
            kind=Territory.Kind.NEIGHBOURHOOD,
            parent=district,
        )
        for i, name in enumerate(["Belle de Mai", "Saint-Lazare"], start=1)
    ]
    return country, city, district, hoods


# Events --------------------------------------------------------------------------------------


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Event"

    space = factory.SubFactory(SpaceFactory)
    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Dialogue {n}")
    summary = "A dialogue on co-production."
    status = "published"
    time_zone = "Europe/Paris"
    online_url = "https://zoom.example.org/j/secret-room"


def event_with_session(*, capacity=None, start=None, hours=2, **fields):  # type: ignore[no-untyped-def]
    """A published event with one track and one session (default: in 10 days, 15:00 UTC)."""
    from datetime import timedelta

    from django.utils import timezone

    from cocity.events.models import Session, Track

    event = EventFactory(**fields)
    track = Track.objects.create(event=event, name="Main", capacity=capacity)
    start = start or (timezone.now() + timedelta(days=10)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    Session.objects.create(
        track=track, start=start, end=start + timedelta(hours=hours), time_zone=event.time_zone
    )
    type(event).objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=hours)
    )
    event.refresh_from_db()
    return event, track


# --- pledges -----------------------------------------------------------------------------------


def european_pillar():  # type: ignore[no-untyped-def]
    """The shipped framework (loaded by the pledges data migration; loaded again here when a
    transactional test has flushed the tables since)."""
    from cocity.pledges.models import Framework

    framework = Framework.objects.filter(slug="european-pillar-of-social-rights").first()
    if framework is None:
        from cocity.pledges.frameworks_data import load_shipped_frameworks
        from cocity.pledges.models import FrameworkItem

        load_shipped_frameworks(Framework, FrameworkItem)
        framework = Framework.objects.get(slug="european-pillar-of-social-rights")
    return framework


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "pledges.Campaign"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    framework = factory.LazyFunction(european_pillar)
    name = factory.Sequence(lambda n: f"Inclusive cities {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    currency = "EUR"

    @factory.post_generation
    def totals(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            from cocity.pledges.services import summary_recompute

            summary_recompute(campaign=obj)


def pledge_with_measures(  # type: ignore[no-untyped-def]
    *,
    campaign=None,
    organisation=None,
    amounts=("1000",),
    currency="EUR",
    codes=("4",),
    publish=True,
    signed_on=None,
):
    """A pledge (published by default) with one measure per amount, through the services."""
    import datetime

    from cocity.pledges import services

    campaign = campaign or CampaignFactory()
    organisation = organisation or OrganisationFactory()
    signed_on = signed_on or datetime.date(2024, 1, 15)
    pledge = services.pledge_create(
        campaign=campaign,
        organisation=organisation,
        title=f"Pledge of {organisation.name}",
        principles=list(campaign.framework.items.filter(code__in=codes)),
        signed_by="The mayor",
        signed_on=signed_on,
    )
    for amount in amounts:
        services.measure_add(
            pledge=pledge,
            description=f"Measure of {amount}",
            amount=amount,
            currency=currency,
            starts_on=signed_on,
            ends_on=signed_on + datetime.timedelta(days=3 * 365),
            indicators=[services.IndicatorInput("People helped", "0", "100", "people")],
        )
    if publish:
        services.pledge_publish(pledge=pledge)
    pledge.refresh_from_db()
    return pledge


# Commons -------------------------------------------------------------------------------------


class CommonsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commons.Commons"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Garden {n}")
    slug = factory.Sequence(lambda n: f"garden-{n}")
    kind = "place"
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.LOCAL_GOVERNMENT)
    territory = factory.SubFactory(TerritoryFactory)
    latitude = 44.5
    longitude = 11.35
    department = "Active citizenship office"


class PactFactory(factory.django.DjangoModelFactory):
    """A bare pact row in a given state (lists, maps, exports); drive the lifecycle with the
    services (tests/commons/scenario.py) when the history matters."""

    class Meta:
        model = "commons.Pact"

    title = factory.Sequence(lambda n: f"Pact {n}")
    kind = "ordinary"
    commons = factory.SubFactory(CommonsFactory)
    state = "active"
    objectives = "Look after the garden together."
    level = "ongoing"
    starts_on = factory.LazyFunction(lambda: __import__("datetime").date(2025, 1, 1))
    ends_on = factory.LazyFunction(lambda: __import__("datetime").date(2027, 12, 31))
    created_by = factory.SubFactory(UserFactory)


# --- plans (co-production processes) ----------------------------------------------------------


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Process"

    space = factory.SubFactory(SpaceFactory)
    title = factory.Sequence(lambda n: f"Process {n}")
    slug = factory.Sequence(lambda n: f"process-{n}")


def process_in_phase(kind: str = "collect", **fields):  # type: ignore[no-untyped-def]
    """A process whose only phase (of ``kind``) is open today, with an organiser (space editor)."""
    import datetime

    from django.utils import timezone

    from cocity.plans.models import Phase

    process = ProcessFactory(**fields)
    today = timezone.localdate()
    Phase.objects.create(
        process=process,
        kind=kind,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
    )
    organiser = SpaceMembershipFactory(space=process.space, role=Role.EDITOR).user
    return process, organiser


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Idea"

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Idea {n}")
    body = "An idea worth **trying**."
    author = factory.SubFactory(UserFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Action"

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Action {n}")


# Library ---------------------------------------------------------------------------------------


class LibraryItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "library.LibraryItem"

    space = factory.SubFactory(SpaceFactory)
    kind = "case_study"
    title = factory.Sequence(lambda n: f"Practice {n}")
    summary = "What was done and what came of it."
    body = "Residents and the city worked together."
    language = "en"
    author = factory.SubFactory(UserFactory)
