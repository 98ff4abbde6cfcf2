# ruff: noqa: E501  (a data table: one city a line)
"""Demo: EUROCITIES' "Inclusive Cities for All: Social Rights in My City" (shared/seeds/003):
21 member cities pledging EUR 4.32 billion over five years to the European Pillar of Social
Rights, Lyon (Grand Lyon) the 21st, on employment, gender equality and social inclusion.

The total, the number of cities, Lyon's place and themes come from the seed; which 21 cities
and how the total splits between them is illustrative (all are real EUROCITIES members).
Glasgow's pledge is in GBP, converted with a stated demo rate so the campaign adds up exactly.
Idempotent: keyed by slugs, codes, e-mail addresses and pledge titles.

Lyon's measures link to a demo event (the Toulouse study visit on Roma access to housing), a
library item (the news of Lyon's pledge) and an action of the Cities of Equality action plan.
The demo command runs the apps' demos in the order of ``INSTALLED_APPS`` (pledges before plans
and library), so this module builds those apps' demos first when their items are missing (they
are idempotent too), and adds each link once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cocity.core.demo import DEMO_DOMAIN, DEMO_PASSWORD
from cocity.network.models import Organisation, OrganisationMembership, Role, Territory

from . import services
from .models import Campaign, ExchangeRate, Framework, MeasureLink, Pledge

CAMPAIGN_SLUG = "inclusive-cities-for-all"
TOTAL_EUR = Decimal("4320000000")
GBP_RATE = Decimal("0.88")  # 1 EUR = 0.88 GBP on 2019-02-19 (rounded for the demo)
GLASGOW_GBP = Decimal("220000000")  # = EUR 250,000,000 at that rate

NEW_COUNTRIES = [
    ("NL", "Netherlands"),
    ("AT", "Austria"),
    ("PT", "Portugal"),
    ("SI", "Slovenia"),
    ("SE", "Sweden"),
    ("CZ", "Czechia"),
    ("PL", "Poland"),
]

# org slug, name, city code, city name, country code (created if missing), EUR amount, principles
CITIES: list[tuple[str, str, str, str, str, Decimal, list[str]]] = [
    ("city-of-athens", "City of Athens", "GR-ATH", "Athens", "GR", Decimal("150000000"), ["19", "20"]),
    ("land-berlin", "Land Berlin", "DE-BER", "Berlin", "DE", Decimal("380000000"), ["4", "19"]),
    ("ajuntament-de-barcelona", "Ajuntament de Barcelona", "ES-BCN", "Barcelona", "ES", Decimal("330000000"), ["11", "19", "20"]),
    ("comune-di-bologna", "Comune di Bologna", "IT-BLQ", "Bologna", "IT", Decimal("95000000"), ["3", "11"]),
    ("stad-antwerpen", "Stad Antwerpen", "BE-ANR", "Antwerp", "BE", Decimal("120000000"), ["1", "4"]),
    ("stad-gent", "Stad Gent", "BE-GNT", "Ghent", "BE", Decimal("90000000"), ["4", "19"]),
    ("ville-de-toulouse", "Mairie de Toulouse", "FR-TLS", "Toulouse", "FR", Decimal("110000000"), ["19", "3"]),
    ("ville-de-marseille", "Ville de Marseille", "FR-MRS", "Marseille", "FR", Decimal("140000000"), ["11", "19"]),
    ("nantes-metropole", "Nantes Métropole", "FR-NTE", "Nantes", "FR", Decimal("85000000"), ["3", "17"]),
    ("gemeente-rotterdam", "Gemeente Rotterdam", "NL-RTM", "Rotterdam", "NL", Decimal("310000000"), ["1", "4", "14"]),
    ("gemeente-utrecht", "Gemeente Utrecht", "NL-UTC", "Utrecht", "NL", Decimal("120000000"), ["19", "17"]),
    ("stadt-wien", "Stadt Wien", "AT-VIE", "Vienna", "AT", Decimal("600000000"), ["19", "11", "18"]),
    ("comune-di-milano", "Comune di Milano", "IT-MIL", "Milan", "IT", Decimal("260000000"), ["11", "19"]),
    ("ayuntamiento-de-madrid", "Ayuntamiento de Madrid", "ES-MAD", "Madrid", "ES", Decimal("290000000"), ["14", "19"]),
    ("camara-municipal-de-lisboa", "Câmara Municipal de Lisboa", "PT-LIS", "Lisbon", "PT", Decimal("140000000"), ["19", "20"]),
    ("mestna-obcina-ljubljana", "Mestna občina Ljubljana", "SI-LJU", "Ljubljana", "SI", Decimal("45000000"), ["17", "18"]),
    ("goteborgs-stad", "Göteborgs Stad", "SE-GOT", "Gothenburg", "SE", Decimal("70000000"), ["3", "1"]),
    ("statutarni-mesto-brno", "Statutární město Brno", "CZ-BRQ", "Brno", "CZ", Decimal("35000000"), ["19"]),
    ("miasto-gdansk", "Miasto Gdańsk", "PL-GDN", "Gdańsk", "PL", Decimal("50000000"), ["3", "17"]),
]  # fmt: skip
GLASGOW = ("glasgow-city-council", ["14", "4", "11"])
LYON = "metropole-de-lyon"
LYON_EUR = TOTAL_EUR - sum(c[5] for c in CITIES) - GLASGOW_GBP / GBP_RATE  # the remainder
OVERDUE = "ville-de-marseille"
SIGNED = datetime.date(2019, 2, 19)


def _organisations() -> dict[str, Organisation]:
    countries = {t.code: t for t in Territory.objects.filter(kind=Territory.Kind.COUNTRY)}
    for code, name in NEW_COUNTRIES:
        if code not in countries:
            country = Territory(code=code, name=name, kind=Territory.Kind.COUNTRY)
            country.full_clean()
            country.save()
            countries[code] = country
    orgs = {}
    for slug, name, city_code, city_name, country_code, _amount, _p in CITIES:
        city = Territory.objects.filter(code=city_code).first()
        if city is None:
            city = Territory(
                code=city_code,
                name=city_name,
                kind=Territory.Kind.CITY,
                parent=countries[country_code],
            )
            city.full_clean()
            city.save()
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            org = Organisation.objects.create(
                slug=slug,
                name=name,
                kind=Organisation.Kind.LOCAL_GOVERNMENT,
                home_territory=city,
                description=f"{city_name}, a EUROCITIES member city.",
            )
        orgs[slug] = org
    for slug in (LYON, GLASGOW[0], "eurocities"):
        orgs[slug] = Organisation.objects.get(slug=slug)
    return orgs


def _officer(lyon: Organisation) -> None:
    User = get_user_model()
    email = f"camille@{DEMO_DOMAIN}"
    person = User.objects.filter(email=email).first()
    if person is None:
        person = User.objects.create_user(email=email, password=DEMO_PASSWORD)
        person.display_name = "Camille Bernard"
        person.languages = ["fr", "en"]
        person.time_zone = "Europe/Paris"
        person.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=person, email=email, defaults={"verified": True, "primary": True}
        )
    OrganisationMembership.objects.get_or_create(
        organisation=lyon, user=person, defaults={"role": Role.EDITOR}
    )


def _simple_pledge(
    campaign: Campaign, org: Organisation, amount: Decimal, currency: str, codes: list[str], n: int
) -> Pledge:
    items = list(campaign.framework.items.filter(code__in=codes))
    city = org.home_territory.name if org.home_territory else org.name
    signed = SIGNED - datetime.timedelta(days=30 * (n % 4))
    pledge = services.pledge_create(
        campaign=campaign,
        organisation=org,
        title=f"{city}: social rights in my city",
        statement=(
            f"{city} commits to invest in the principles of the European Pillar of Social Rights "
            "listed below over the next five years."
        ),
        principles=items,
        signed_by=f"The mayor of {city}",
        signed_on=signed,
    )
    first = (amount * Decimal("0.6")).quantize(Decimal("1"))
    overdue = org.slug == OVERDUE
    end = datetime.date(2027, 12, 31) if overdue else datetime.date(2024, 2, 18)
    for index, (part, label) in enumerate(
        [(first, items[0].name if items else "social rights"), (amount - first, "outreach")]
    ):
        services.measure_add(
            pledge=pledge,
            description=f"{label}: city programme ({city})"
            if index == 0
            else f"Reaching people who do not claim their rights ({city})",
            amount=part,
            currency=currency,
            starts_on=signed,
            ends_on=end,
            department="Social affairs",
        )
    for measure in pledge.measures.all():
        services.report_file(
            measure=measure,
            reported_on=datetime.date(2025, 3, 31) if overdue else datetime.date(2024, 3, 31),
            spent=(measure.amount * Decimal("0.55" if overdue else "0.97")).quantize(Decimal("1")),
            status="delayed" if overdue else "completed",
            narrative="Final report." if not overdue else "Works delayed by procurement.",
        )
    services.pledge_publish(pledge=pledge)
    return pledge


def _lyon(campaign: Campaign, lyon: Organisation) -> Pledge:
    items = list(campaign.framework.items.filter(code__in=["2", "3", "4", "14"]))
    pledge = services.pledge_create(
        campaign=campaign,
        organisation=lyon,
        title="Lyon: employment, gender equality and social inclusion",
        statement=(
            "Grand Lyon is the **21st city** to sign a pledge to the European Pillar of Social "
            "Rights. The Métropole commits to support **employment**, **gender equality** and "
            "**social inclusion**, with three measures and public progress reports."
        ),
        principles=items,
        signed_by="President of the Métropole de Lyon",
        signed_on=datetime.date(2019, 2, 18),
    )
    third = (LYON_EUR / 3).quantize(Decimal("1"))
    plans = [
        (
            "Back to work: a job coach for every long-term jobseeker on minimum income, "
            "with employers of the Lyon area committed to hire",
            third,
            "Direction de l'insertion et de l'emploi",
            ("People on minimum income back in work", "people", "0", "5000"),
        ),
        (
            "Gender equality at work: equal pay audits, childcare places for parents in "
            "training and mentoring for women entrepreneurs",
            third,
            "Mission égalité femmes-hommes",
            ("Childcare places for parents in training", "places", "120", "600"),
        ),
        (
            "Social inclusion: a single front door for social rights in every district, "
            "with outreach to people who do not claim them",
            LYON_EUR - 2 * third,
            "Direction de l'action sociale",
            ("Districts with a social rights front door", "districts", "2", "14"),
        ),
    ]
    for description, amount, department, (name, unit, baseline, target) in plans:
        services.measure_add(
            pledge=pledge,
            description=description,
            amount=amount,
            currency="EUR",
            starts_on=datetime.date(2019, 3, 1),
            ends_on=datetime.date(2027, 12, 31),
            department=department,
            indicators=[services.IndicatorInput(name, baseline, target, unit)],
            links=[
                services.LinkInput(
                    title="Inclusive Cities for All (EUROCITIES)",
                    url="https://eurocities.eu",
                    kind="other",
                )
            ]
            if department.startswith("Direction de l'insertion")
            else [],
        )
    services.pledge_publish(pledge=pledge)
    first, second, _third = list(pledge.measures.order_by("position"))
    services.report_file(
        measure=first,
        reported_on=datetime.date(2023, 6, 30),
        spent=(first.amount * Decimal("0.45")).quantize(Decimal("1")),
        status="on_track",
        narrative="2,100 people back in work since 2019; 180 employers signed the charter.",
        indicator_values={first.indicators.get().pk: "2100"},
    )
    # Reported a little under one reporting period ago: the next report is due in three weeks.
    recent = services.add_months(
        timezone.localdate(), -campaign.report_every_months
    ) + datetime.timedelta(days=21)
    services.report_file(
        measure=second,
        reported_on=recent,
        spent=(second.amount * Decimal("0.62")).quantize(Decimal("1")),
        status="on_track",
        narrative="410 childcare places open to parents in training; pay audits in 60 firms.",
        indicator_values={second.indicators.get().pk: "410"},
    )
    return pledge


# Lyon's measure (by position) -> (kind, how to find the item, the app whose demo makes it)
LYON_LINKS = [
    (0, "library", "Lyon pledges to support employment, gender equality and social inclusion"),
    (2, "event", "study-visit-toulouse-roma-housing-2019"),
    (2, "action", "Co-governance with vulnerable communities"),
]


def _demo_item(kind: str, key: str) -> Any:
    """The demo item, building its app's demo first if it is not there yet (None if the app's
    demo does not make it)."""
    query: Any
    build_app: Callable[[], dict[str, int]]
    if kind == "event":
        from cocity.events import demo as events_demo
        from cocity.events.models import Event

        query, build_app = Event.objects.filter(slug=key), events_demo.build
    elif kind == "library":
        from cocity.library import demo as library_demo
        from cocity.library.models import LibraryItem

        query, build_app = LibraryItem.objects.filter(title=key), library_demo.build
    else:
        from cocity.plans import demo as plans_demo
        from cocity.plans.models import Action

        query = Action.objects.filter(title=key, process__slug=plans_demo.SLUG)
        build_app = plans_demo.build
    item = query.first()
    if item is None:
        build_app()
        item = query.first()
    return item


def _lyon_links(pledge: Pledge) -> int:
    measures = list(pledge.measures.order_by("position", "id"))
    for position, kind, key in LYON_LINKS:
        item = _demo_item(kind, key)
        if item is None or position >= len(measures):
            continue
        field_name = MeasureLink.TARGET_FIELDS[kind]
        if MeasureLink.objects.filter(measure=measures[position], **{field_name: item}).exists():
            continue
        services.link_add(measure=measures[position], kind=kind, url=item.get_absolute_url())
    return MeasureLink.objects.filter(measure__pledge=pledge).count()


@transaction.atomic
def build() -> dict[str, int]:
    orgs = _organisations()
    _officer(orgs[LYON])
    for quote, rate, day, source in [
        ("GBP", GBP_RATE, SIGNED, "Demo rate, rounded (ECB reference rate of the week)"),
        ("GBP", Decimal("0.83"), datetime.date(2025, 1, 2), "Demo rate, rounded"),
        ("SEK", Decimal("10.50"), SIGNED, "Demo rate, rounded"),
        ("USD", Decimal("1.13"), SIGNED, "Demo rate, rounded"),
    ]:
        if not ExchangeRate.objects.filter(base="EUR", quote=quote, valid_on=day).exists():
            services.exchange_rate_set(
                base="EUR", quote=quote, rate=rate, valid_on=day, source=source
            )
    framework = Framework.objects.get(slug="european-pillar-of-social-rights")
    campaign = Campaign.objects.filter(slug=CAMPAIGN_SLUG).first()
    if campaign is None:
        campaign = services.campaign_create(
            organisation=orgs["eurocities"],
            framework=framework,
            name="Inclusive Cities for All: Social Rights in My City",
            slug=CAMPAIGN_SLUG,
            summary=(
                "21 cities, representing more than 20 million citizens, pledge EUR 4.32 billion "
                "over five years to act on the European Pillar of Social Rights."
            ),
            description=(
                "Launched by EUROCITIES at the European Parliament in February 2019. Each city "
                "pledges dedicated investments for city measures to fight poverty and social "
                "exclusion, and reports on their progress."
            ),
            currency="EUR",
            starts_on=SIGNED,
        )
    existing = set(campaign.pledges.values_list("organisation__slug", flat=True))
    for n, (slug, _name, _c, _cn, _cc, amount, codes) in enumerate(CITIES):
        if slug not in existing:
            _simple_pledge(campaign, orgs[slug], amount, "EUR", codes, n)
    if GLASGOW[0] not in existing:
        _simple_pledge(campaign, orgs[GLASGOW[0]], GLASGOW_GBP, "GBP", GLASGOW[1], 3)
    if LYON not in existing:
        _lyon(campaign, orgs[LYON])
    links = _lyon_links(campaign.pledges.get(organisation=orgs[LYON]))
    # People's translations: the pledging cities' names in every language, the campaign, the
    # pledges and their measures in French (pledges/demo_translations.py).
    from cocity.network.demo_translations import name_places

    from .demo_translations import translate_campaign

    name_places()
    translate_campaign(campaign)
    return {"pledge campaigns": 1, "pledges": campaign.pledges.count(), "measure links": links}
