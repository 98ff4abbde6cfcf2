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
