"""Demo network built from the public pages in shared/seeds: a research programme with labs in
seven cities, a cities-of-equality partnership, a peer-learning programme on commoning, a city
network with working groups, and the people who take part. Idempotent: keyed by code, slug, e-mail.

`cocity demo-data` runs it first (network comes before the apps that hang content on it in
``INSTALLED_APPS``); the other apps' demos find its spaces, places and people by slug or e-mail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from cocity.core.demo import DEMO_DOMAIN, DEMO_PASSWORD
from cocity.network.models import (
    Invitation,
    JoinRequest,
    Organisation,
    OrganisationMembership,
    Role,
    Space,
    SpaceMembership,
    Territory,
    Topic,
)

# country code, country, [(city code, city, lon, lat, time zone, {district: [neighbourhoods]})]
PLACES: list[tuple[str, str, list[tuple[str, str, float, float, dict[str, list[str]]]]]] = [
    (
        "GR",
        "Greece",
        [
            (
                "GR-ATH",
                "Athens",
                23.72,
                37.98,
                {
                    "Central Athens": ["Exarcheia", "Kypseli", "Patisia"],
                    "Piraeus": ["Keratsini", "Nikaia"],
                },
            )
        ],
    ),
    (
        "DE",
        "Germany",
        [
            (
                "DE-BER",
                "Berlin",
                13.40,
                52.52,
                {
                    "Neukölln": ["Rollberg", "Schillerkiez", "Gropiusstadt"],
                    "Mitte": ["Wedding", "Moabit"],
                },
            )
        ],
    ),
    (
        "BE",
        "Belgium",
        [
            (
                "BE-BRU",
                "Brussels",
                4.35,
                50.85,
                {
                    "Molenbeek-Saint-Jean": ["Historic Molenbeek", "Maritime"],
                    "Anderlecht": ["Cureghem", "Peterbos"],
                },
            ),
            ("BE-ANR", "Antwerp", 4.40, 51.22, {"Antwerpen": ["Seefhoek", "Kiel"]}),
            ("BE-OST", "Ostend", 2.92, 51.22, {}),
        ],
    ),
    (
        "EG",
        "Egypt",
        [
            (
                "EG-CAI",
                "Cairo",
                31.24,
                30.04,
                {
                    "Giza": ["Ard al-Liwa", "Boulaq al-Dakrour"],
                    "Old Cairo": ["Fustat", "Ezbet Khairallah"],
                },
            )
        ],
    ),
    (
        "SN",
        "Senegal",
        [
            (
                "SN-DKR",
                "Dakar",
                -17.45,
                14.69,
                {
                    "Pikine": ["Thiaroye", "Guinaw Rail"],
                    "Dakar Plateau": ["Médina", "Gueule Tapée"],
                },
            )
        ],
    ),
    (
        "GB",
        "United Kingdom",
        [
            (
                "GB-LND",
                "London",
                -0.12,
                51.51,
                {
                    "Tower Hamlets": ["Bethnal Green", "Poplar"],
                    "Southwark": ["Peckham", "Elephant and Castle"],
                },
            ),
            ("GB-GLA", "Glasgow", -4.25, 55.86, {}),
        ],
    ),
    (
        "FR",
        "France",
        [
            (
                "FR-MRS",
                "Marseille",
                5.37,
                43.30,
                {
                    "3e arrondissement": ["Belle de Mai", "Saint-Lazare", "Saint-Mauront"],
                    "15e arrondissement": ["La Cabucelle", "Les Aygalades"],
                },
            ),
            (
                "FR-PAR",
                "Paris",
                2.35,
                48.86,
                {"18e arrondissement": ["La Chapelle", "Goutte d'Or"]},
            ),
            (
                "FR-LYO",
                "Lyon",
                4.84,
                45.76,
                {"Vaulx-en-Velin": ["Mas du Taureau", "La Grappinière"]},
            ),
            ("FR-TLS", "Toulouse", 1.44, 43.60, {}),
        ],
    ),
    (
        "IT",
        "Italy",
        [
            (
                "IT-BLQ",
                "Bologna",
                11.34,
                44.49,
                {
                    "Navile": ["Bolognina", "Corticella"],
                    "San Donato-San Vitale": ["Pilastro"],
                },
            )
        ],
    ),
    ("ES", "Spain", [("ES-BCN", "Barcelona", 2.17, 41.39, {"Nou Barris": ["Trinitat Nova"]})]),
    ("KR", "South Korea", [("KR-DJN", "Daejeon", 127.38, 36.35, {})]),
    ("BR", "Brazil", [("BR-SAO", "São Paulo", -46.63, -23.55, {})]),
]

TOPICS = [
    ("co-production", "Co-production", "Coproduction", None),
    ("spatial-segregation", "Spatial segregation", "Ségrégation spatiale", None),
    ("social-inclusion", "Social inclusion", "Inclusion sociale", None),
    ("housing", "Housing", "Logement", "social-inclusion"),
    ("roma-inclusion", "Roma inclusion", "Inclusion des Roms", "social-inclusion"),
    ("commons", "Urban commons", "Communs urbains", None),
    ("basic-services", "Basic services", "Services de base", "commons"),
    ("citizen-engagement", "Citizen engagement", "Participation citoyenne", "co-production"),
    ("education", "Education", "Éducation", "social-inclusion"),
    ("migration", "Migration and integration", "Migration et intégration", "social-inclusion"),
    ("digital-inclusion", "Digital inclusion", "Inclusion numérique", "social-inclusion"),
    ("culture", "Culture", "Culture", None),
    ("employment", "Employment", "Emploi", None),
    ("gender-equality", "Gender equality", "Égalité femmes-hommes", None),
    ("right-to-the-city", "Right to the city", "Droit à la ville", "co-production"),
]


@dataclass(frozen=True)
class Org:
    slug: str
    name: str
    kind: str
    city: str | None
    website: str
    description: str


K = Organisation.Kind
ORGANISATIONS = [
    Org(
        "fairville",
        "Fairville consortium",
        K.RESEARCH,
        "BE-BRU",
        "https://fairville-eu.org",
        "An international research project (Horizon Europe, 2023-2026) on urban inequalities "
        "and democracy, working through **co-production** with citizens' collectives in "
        "low-income neighbourhoods. Eight Fairville Labs in Athens, Berlin, Brussels, Cairo, "
        "Dakar, London and Marseille.",
    ),
    Org(
        "observatoire-libertes-associatives",
        "Observatoire des libertés associatives",
        K.CIVIL_SOCIETY,
        "FR-PAR",
        "https://www.lacoalition.fr",
        "Documents restrictions on the freedom of association in France.",
    ),
    Org(
        "public-interest-law-centre",
        "Public Interest Law Centre",
        K.CIVIL_SOCIETY,
        "GB-LND",
        "https://www.pilc.org.uk",
        "Legal support for communities resisting displacement.",
    ),
    Org(
        "autonomy",
        "Autonomy",
        K.RESEARCH,
        "GB-LND",
        "https://autonomy.work",
        "An independent think tank on the future of work and the economy.",
    ),
    Org(
        "cnrs-paris-8",
        "CNRS / Université Paris 8",
        K.RESEARCH,
        "FR-PAR",
        "https://www.cnrs.fr",
        "Urban sociology and the right to the city.",
    ),
    Org(
        "anct",
        "Agence nationale de la cohésion des territoires",
        K.PUBLIC_SERVICE,
        "FR-PAR",
        "https://agence-cohesion-territoires.gouv.fr",
        "The French national agency for territorial cohesion, coordinator of the Cities of "
        "Equality partnership.",
    ),
    Org(
        "eukn",
        "European Urban Knowledge Network",
        K.NETWORK,
        None,
        "https://www.eukn.eu",
        "Supports cities and governments with knowledge on urban policy.",
    ),
    Org(
        "uclg",
        "United Cities and Local Governments",
        K.NETWORK,
        "ES-BCN",
        "https://www.uclg.org",
        "The world organisation of local and regional governments.",
    ),
    Org(
        "gpr2c",
        "Global Platform for the Right to the City",
        K.CIVIL_SOCIETY,
        "BR-SAO",
        "https://www.right2city.org",
        "A network of organisations for the right to the city.",
    ),
    Org(
        "eurocities",
        "EUROCITIES",
        K.NETWORK,
        "BE-BRU",
        "https://eurocities.eu",
        "The network of major European cities, with working groups on social affairs.",
    ),
    Org(
        "civic-city",
        "Civic City",
        K.CIVIL_SOCIETY,
        "FR-PAR",
        "https://civic-city.org",
        "Architecture, urbanism and social inclusion.",
    ),
    Org(
        "comune-di-bologna",
        "Comune di Bologna",
        K.LOCAL_GOVERNMENT,
        "IT-BLQ",
        "https://www.comune.bologna.it",
        "Bologna's 'collaborative city': more than five hundred collaboration pacts for urban "
        "commons under its regulation on civic collaboration.",
    ),
    Org(
        "ville-de-marseille",
        "Ville de Marseille",
        K.LOCAL_GOVERNMENT,
        "FR-MRS",
        "https://www.marseille.fr",
        "The city of Marseille.",
    ),
    Org(
        "metropole-de-lyon",
        "Métropole de Lyon",
        K.LOCAL_GOVERNMENT,
        "FR-LYO",
        "https://www.grandlyon.com",
        "Grand Lyon, the 21st city to pledge to the European Pillar of Social Rights.",
    ),
    Org(
        "stad-antwerpen",
        "Stad Antwerpen",
        K.LOCAL_GOVERNMENT,
        "BE-ANR",
        "https://www.antwerpen.be",
        "The city of Antwerp.",
    ),
    Org(
        "ville-de-toulouse",
        "Mairie de Toulouse",
        K.LOCAL_GOVERNMENT,
        "FR-TLS",
        "https://www.toulouse.fr",
        "Toulouse: Roma access to adequate housing.",
    ),
    Org(
        "glasgow-city-council",
        "Glasgow City Council",
        K.LOCAL_GOVERNMENT,
        "GB-GLA",
        "https://www.glasgow.gov.uk",
        "The city of Glasgow.",
    ),
    Org(
        "daejeon",
        "Daejeon Metropolitan City",
        K.LOCAL_GOVERNMENT,
        "KR-DJN",
        "https://www.daejeon.go.kr",
        "Host of the UCLG World Congress.",
    ),
    Org(
        "belle-de-mai-collectif",
        "Collectif Belle de Mai",
        K.CIVIL_SOCIETY,
        "FR-MRS-03-1",
        "",
        "Residents of la Belle de Mai working on housing and public space.",
    ),
]

# The labs of French-speaking cities write in French (summary, then description).
LAB_SUMMARIES_FR = {
    "Brussels": "Le lab Fairville de Bruxelles : habitants, associations et chercheurs de "
    "Molenbeek et d'Anderlecht travaillent ensemble.",
    "Dakar": "Le lab Fairville de Dakar : habitants de Pikine, associations et chercheurs face "
    "aux inondations et au déguerpissement.",
    "Marseille": "Le lab Fairville de Marseille : habitants, collectifs et chercheurs de la "
    "Belle de Mai contre le logement indigne.",
}
DESCRIPTIONS_FR = {
    "fairville-lab-brussels": "Le lab réunit des habitants de Molenbeek et d'Anderlecht, des "
    "associations de quartier et des chercheurs. Ensemble, ils documentent l'accès au logement "
    "et aux services publics et préparent des propositions pour les communes.",
    "fairville-lab-dakar": "À Pikine, les quartiers de Thiaroye et de Guinaw Rail sont inondés "
    "chaque saison des pluies. Le lab cartographie les inondations avec les habitants et "
    "défend leur droit de rester, face aux projets de déguerpissement.",
    "fairville-lab-marseille": "Dans le 3e arrondissement, le collectif Belle de Mai et les "
    "chercheurs du lab cartographient le logement indigne, accompagnent les locataires et "
    "co-construisent des propositions avec la ville.",
}

# slug, name, kind, visibility, join policy, parent, territory, owners, topics, summary
S, V, J = Space.Kind, Space.Visibility, Space.JoinPolicy
SPACES = [
    (
        "fairville",
        "Fairville",
        S.PROGRAMME,
        V.PUBLIC,
        J.REQUEST,
        None,
        None,
        ["fairville"],
        ["co-production", "spatial-segregation", "right-to-the-city"],
        (
            "Research programme on co-production in low-income "
            "neighbourhoods, with labs in seven cities."
        ),
    ),
    *[
        (
            f"fairville-lab-{city.lower()}",
            f"Fairville Lab {city}",
            S.LAB,
            V.PUBLIC,
            J.REQUEST,
            "fairville",
            code,
            ["fairville"],
            ["co-production", "citizen-engagement"],
            LAB_SUMMARIES_FR.get(
                city,
                f"The Fairville Lab in {city}: residents, activists and researchers working "
                "together.",
            ),
        )
        for city, code in [
            ("Athens", "GR-ATH"),
            ("Berlin", "DE-BER"),
            ("Brussels", "BE-BRU"),
            ("Cairo", "EG-CAI"),
            ("Dakar", "SN-DKR"),
            ("London", "GB-LND"),
            ("Marseille", "FR-MRS"),
        ]
    ],
    (
        "dialogues-in-coproduction",
        "Dialogues in Coproduction",
        S.SERIES,
        V.PUBLIC,
        J.OPEN,
        "fairville",
        None,
        ["fairville"],
        ["co-production"],
        "An online public seminar series on the co-production of just cities.",
    ),
    (
        "enabler-series",
        "Enabler Series",
        S.SERIES,
        V.PUBLIC,
        J.OPEN,
        "dialogues-in-coproduction",
        None,
        ["fairville"],
        ["co-production", "citizen-engagement"],
        "The conditions that enable meaningful co-production to develop.",
    ),
    (
        "cities-of-equality",
        "Cities of Equality Partnership",
        S.PARTNERSHIP,
        V.PUBLIC,
        J.REQUEST,
        None,
        None,
        ["anct", "eukn"],
        ["spatial-segregation", "social-inclusion", "citizen-engagement"],
        (
            "Cities and partners refining actions on "
            "spatial segregation, social inclusion and equality."
        ),
    ),
    (
        "cities-of-equality-drafting",
        "Cities of Equality: action plan drafting room",
        S.WORKING_GROUP,
        V.MEMBERS,
        J.INVITATION,
        "cities-of-equality",
        None,
        ["anct"],
        ["spatial-segregation"],
        "Where partners draft the action plan before it is published.",
    ),
    (
        "commoning-peer-learning",
        "Commoning and public-community innovation: peer learning",
        S.PROGRAMME,
        V.PUBLIC,
        J.OPEN,
        None,
        None,
        ["uclg", "gpr2c"],
        ["commons", "basic-services"],
        (
            "A peer-learning process for local and "
            "regional governments on commoning and basic services."
        ),
    ),
    (
        "eurocities-social-affairs",
        "EUROCITIES Social Affairs Forum",
        S.PROGRAMME,
        V.PUBLIC,
        J.REQUEST,
        None,
        None,
        ["eurocities"],
        ["social-inclusion"],
        "The city network's forum on social affairs and its working groups.",
    ),
    (
        "wg-creative-citizenship",
        "WG Creative Citizenship",
        S.WORKING_GROUP,
        V.PUBLIC,
        J.REQUEST,
        "eurocities-social-affairs",
        "BE-OST",
        ["eurocities"],
        ["citizen-engagement", "culture"],
        "Meaningful citizens' participation and co-creation of local policies.",
    ),
    (
        "wg-smart-social-inclusion",
        "WG Smart Social Inclusion",
        S.WORKING_GROUP,
        V.PUBLIC,
        J.REQUEST,
        "eurocities-social-affairs",
        "GB-GLA",
        ["eurocities"],
        ["digital-inclusion", "social-inclusion"],
        "Digital tools for social inclusion.",
    ),
    (
        "wg-inclusion-through-education",
        "WG Inclusion through Education",
        S.WORKING_GROUP,
        V.PUBLIC,
        J.REQUEST,
        "eurocities-social-affairs",
        "ES-BCN",
        ["eurocities"],
        ["education"],
        "Education authorities learning from each other.",
    ),
]

# e-mail local part, name, languages, time zone, home city, neighbourhood, staff
PEOPLE = [
    ("amina", "Amina Diallo", ["fr", "wo", "en"], "Africa/Dakar", "SN-DKR", "SN-DKR-01-1", False),
    ("nikos", "Nikos Papadopoulos", ["el", "en"], "Europe/Athens", "GR-ATH", "GR-ATH-01-2", False),
    ("lena", "Lena Schmidt", ["de", "en", "tr"], "Europe/Berlin", "DE-BER", "DE-BER-01-1", False),
    ("sophie", "Sophie Martin", ["fr", "en"], "Europe/Paris", "FR-MRS", "FR-MRS-01-1", False),
    (
        "youssef",
        "Youssef Hassan",
        ["ar", "en", "fr"],
        "Africa/Cairo",
        "EG-CAI",
        "EG-CAI-01-1",
        False,
    ),
    ("james", "James Okafor", ["en"], "Europe/London", "GB-LND", "GB-LND-01-1", False),
    ("giulia", "Giulia Rossi", ["it", "en"], "Europe/Rome", "IT-BLQ", "IT-BLQ-01-1", False),
    ("ana", "Ana Souza", ["pt", "es", "en"], "America/Sao_Paulo", "BR-SAO", None, False),
    ("claire", "Claire Dubois", ["fr", "en"], "Europe/Paris", "FR-PAR", "FR-PAR-01-2", False),
    (
        "pieter",
        "Pieter Janssens",
        ["nl", "fr", "en"],
        "Europe/Brussels",
        "BE-BRU",
        "BE-BRU-01-1",
        False,
    ),
    ("minjun", "Min-jun Park", ["ko", "en"], "Asia/Seoul", "KR-DJN", None, False),
    ("admin", "Platform admin", ["en", "fr"], "Europe/Brussels", "BE-BRU", None, True),
]

ORG_ROLES = [
    ("amina", "fairville", Role.EDITOR),
    ("nikos", "fairville", Role.MEMBER),
    ("lena", "fairville", Role.ADMIN),
    ("james", "public-interest-law-centre", Role.ADMIN),
    ("sophie", "ville-de-marseille", Role.ADMIN),
    ("sophie", "belle-de-mai-collectif", Role.MEMBER),
    ("claire", "anct", Role.ADMIN),
    ("pieter", "eukn", Role.ADMIN),
    ("ana", "gpr2c", Role.ADMIN),
    ("minjun", "uclg", Role.EDITOR),
    ("admin", "uclg", Role.ADMIN),
    ("giulia", "comune-di-bologna", Role.ADMIN),
    ("pieter", "eurocities", Role.ADMIN),
    ("youssef", "fairville", Role.MEMBER),
    ("amina", "belle-de-mai-collectif", Role.ADMIN),
]

SPACE_ROLES = [
    ("lena", "fairville", Role.ADMIN),
    ("amina", "fairville", Role.EDITOR),
    ("nikos", "fairville", Role.MEMBER),
    ("youssef", "fairville", Role.MEMBER),
    ("amina", "fairville-lab-dakar", Role.ADMIN),
    ("nikos", "fairville-lab-athens", Role.ADMIN),
    ("lena", "fairville-lab-berlin", Role.ADMIN),
    ("pieter", "fairville-lab-brussels", Role.ADMIN),
    ("youssef", "fairville-lab-cairo", Role.ADMIN),
    ("james", "fairville-lab-london", Role.ADMIN),
    ("sophie", "fairville-lab-marseille", Role.ADMIN),
    ("amina", "fairville-lab-marseille", Role.MEMBER),
    ("lena", "dialogues-in-coproduction", Role.ADMIN),
    ("james", "dialogues-in-coproduction", Role.EDITOR),
    ("lena", "enabler-series", Role.ADMIN),
    ("claire", "dialogues-in-coproduction", Role.MEMBER),
    ("claire", "cities-of-equality", Role.ADMIN),
    ("pieter", "cities-of-equality", Role.EDITOR),
    ("sophie", "cities-of-equality", Role.MEMBER),
    ("claire", "cities-of-equality-drafting", Role.ADMIN),
    ("pieter", "cities-of-equality-drafting", Role.EDITOR),
    ("ana", "commoning-peer-learning", Role.ADMIN),
    ("minjun", "commoning-peer-learning", Role.EDITOR),
    ("giulia", "commoning-peer-learning", Role.MEMBER),
    ("amina", "commoning-peer-learning", Role.MEMBER),
    ("pieter", "eurocities-social-affairs", Role.ADMIN),
    ("giulia", "eurocities-social-affairs", Role.MEMBER),
    ("pieter", "wg-creative-citizenship", Role.ADMIN),
    ("sophie", "wg-creative-citizenship", Role.MEMBER),
    ("james", "wg-smart-social-inclusion", Role.ADMIN),
    ("pieter", "wg-inclusion-through-education", Role.ADMIN),
]


def _square(lon: float, lat: float, half: float) -> dict:
    ring = [
        [round(lon - half, 5), round(lat - half, 5)],
        [round(lon + half, 5), round(lat - half, 5)],
        [round(lon + half, 5), round(lat + half, 5)],
        [round(lon - half, 5), round(lat + half, 5)],
        [round(lon - half, 5), round(lat - half, 5)],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _spread(centre: float, index: int, count: int, width: float) -> float:
    """Centre of the index-th of count boxes laid side by side across width."""
    if count <= 1:
        return centre
    return centre - width / 2 + width * (index - 1) / (count - 1)


def _territory(
    code: str, name: str, kind: str, parent: Territory | None, boundary=None
) -> Territory:
    territory = Territory.objects.filter(code=code).first() or Territory(code=code)
    territory.name, territory.kind, territory.parent, territory.boundary = (
        name,
        kind,
        parent,
        boundary,
    )
    # Every demo outline is drawn for the demo (SHAPES, squares): the maps say so.
    territory.boundary_approximate = boundary is not None
    territory.full_clean()
    territory.save()
    return territory


# Marseille's, Brussels', Berlin's and Bologna's districts and neighbourhoods as polygons that
# touch their neighbours: APPROXIMATIONS of the real ones, drawn for the demo
# (tools/demo_shapes.py writes the file); the other places are squares.
SHAPES: dict[str, dict] = json.loads(
    (Path(__file__).parent / "data" / "demo_shapes.json").read_text(encoding="utf-8")
)["shapes"]


def build_places() -> dict[str, Territory]:
    T = Territory.Kind
    made: dict[str, Territory] = {}
    for country_code, country_name, cities in PLACES:
        country = _territory(country_code, country_name, T.COUNTRY, None)
        made[country_code] = country
        for city_code, city_name, lon, lat, districts in cities:
            shape = SHAPES.get(city_code) or _square(lon, lat, 0.08)
            city = _territory(city_code, city_name, T.CITY, country, shape)
            made[city_code] = city
            for d, (district_name, hoods) in enumerate(districts.items(), start=1):
                d_lon = _spread(lon, d, len(districts), 0.08)
                district = _territory(
                    f"{city_code}-{d:02d}",
                    district_name,
                    T.DISTRICT,
                    city,
                    SHAPES.get(f"{city_code}-{d:02d}") or _square(d_lon, lat, 0.035),
                )
                made[district.code] = district
                for n, hood_name in enumerate(hoods, start=1):
                    offset = _spread(0.0, n, len(hoods), 0.04)
                    hood = _territory(
                        f"{district.code}-{n}",
                        hood_name,
                        T.NEIGHBOURHOOD,
                        district,
                        SHAPES.get(f"{district.code}-{n}")
                        or _square(d_lon + offset, lat + offset / 2, 0.009),
                    )
                    made[hood.code] = hood
    return made


def build_topics() -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for slug, name, name_fr, parent in TOPICS:
        topic, _created = Topic.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "translations": {"fr": {"name": name_fr}},
                "parent": topics.get(parent) if parent else None,
            },
        )
        topics[slug] = topic
    return topics


@transaction.atomic
def build() -> dict[str, int]:
    places = build_places()
    topics = build_topics()
    User = get_user_model()

    orgs: dict[str, Organisation] = {}
    for org in ORGANISATIONS:
        orgs[org.slug], _ = Organisation.objects.update_or_create(
            slug=org.slug,
            defaults={
                "name": org.name,
                "kind": org.kind,
                "website": org.website,
                "description": org.description,
                "home_territory": places.get(org.city) if org.city else None,
            },
        )

    people = {}
    for local, name, languages, zone, city, hood, staff in PEOPLE:
        email = f"{local}@{DEMO_DOMAIN}"
        person = User.objects.filter(email=email).first()
        if person is None:
            person = User.objects.create_user(email=email, password=DEMO_PASSWORD)
        person.display_name, person.languages, person.time_zone = name, languages, zone
        person.home_city = places.get(city) if city else None
        person.home_neighbourhood = places.get(hood) if hood else None
        person.is_staff = person.is_superuser = staff
        person.full_clean()
        person.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=person, email=email, defaults={"verified": True, "primary": True}
        )
        people[local] = person

    spaces: dict[str, Space] = {}
    for slug, name, kind, visibility, policy, parent, place, owners, topic_slugs, summary in SPACES:
        space = Space.objects.filter(slug=slug).first() or Space(slug=slug)
        space.name, space.kind, space.visibility, space.join_policy = name, kind, visibility, policy
        space.parent = spaces.get(parent) if parent else None
        space.territory = places.get(place) if place else None
        space.summary = summary
        space.description = (
            DESCRIPTIONS_FR.get(slug)
            or space.description
            or (
                f"{summary}\n\nThis space gathers the people and organisations who take part. "
                "Members share news, prepare meetings and keep track of what was decided."
            )
        )
        space.full_clean()
        space.save()
        space.organisations.set([orgs[o] for o in owners])
        space.topics.set([topics[t] for t in topic_slugs])
        spaces[slug] = space
    # Demo spaces are created by the people who run them.
    for person_key, space_slug, role in SPACE_ROLES:
        SpaceMembership.objects.update_or_create(
            space=spaces[space_slug], user=people[person_key], defaults={"role": role}
        )
        if role == Role.ADMIN and spaces[space_slug].created_by_id is None:
            Space.objects.filter(pk=spaces[space_slug].pk).update(created_by=people[person_key])
    for person_key, org_slug, role in ORG_ROLES:
        OrganisationMembership.objects.update_or_create(
            organisation=orgs[org_slug], user=people[person_key], defaults={"role": role}
        )

    JoinRequest.objects.get_or_create(
        space=spaces["cities-of-equality"],
        user=people["amina"],
        status=JoinRequest.Status.PENDING,
        defaults={
            "message": "Our lab in Dakar works on the same questions; we would like to "
            "share data collection methods on segregation."
        },
    )
    JoinRequest.objects.get_or_create(
        space=spaces["fairville-lab-london"],
        user=people["ana"],
        status=JoinRequest.Status.PENDING,
        defaults={"message": "I follow housing struggles in São Paulo and London."},
    )
    Invitation.objects.get_or_create(
        space=spaces["cities-of-equality-drafting"],
        email=people["sophie"].email,
        status=Invitation.Status.PENDING,
        defaults={"role": Role.EDITOR, "invited_by": people["claire"]},
    )
    from cocity.core.demo.images import attach_cover  # drawn covers (decorative), once per space

    for space in spaces.values():
        attach_cover(space)
    # People's translations: every place's name in every language, the spaces in English and
    # French, the organisations in French (network/demo_translations.py).
    from cocity.network.demo_translations import name_places, translate_spaces_and_organisations

    name_places()
    translate_spaces_and_organisations()
    return {
        "territories": len(places),
        "topics": len(topics),
        "organisations": len(orgs),
        "people": len(people),
        "spaces": len(spaces),
    }
