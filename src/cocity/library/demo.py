# ruff: noqa: E501 - demo texts
"""Demo library: the seed pages' items (the Bologna collaborative-city case study, the EUROCITIES
manifesto, city pledges news, the Toulouse study visit on Roma access to housing, the UCLG commons
policy paper and concept note) and practices from other cities in English, French, Italian and
Spanish; needs and offers so that peer matching has something to find. Idempotent (by title)."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cocity.core.demo import at
from cocity.network.models import Organisation, Space, Territory, Topic
from cocity.search.index import reindex_all

from .models import ItemFigure, ItemTranslation, LibraryItem, PeerPost

# space, kind, language, date, title, summary, body, places, organisations, topics, figures
ITEMS = [
    (
        "eurocities-social-affairs",
        "case_study",
        "en",
        date(2019, 3, 14),
        "Bologna - Let's do it together!",
        "Bologna's collaborative city: governing with citizens, the city as commons.",
        "In the last 5 years, Bologna has successfully trialled an urban innovation model based on "
        "circular subsidiarity and civic collaboration, the *collaborative city*. Public "
        "administrations govern not only on behalf of citizens but also **with** citizens: the city "
        "as commons, and citizens as a source of energy, talent, resources and ideas for urban "
        "regeneration. Pacts of collaboration let residents care for squares, gardens and buildings.",
        ["IT-BLQ"],
        ["comune-di-bologna", "eurocities"],
        ["commons", "co-production", "culture"],
        [("Pacts of collaboration signed", "500", "pacts")],
    ),
    (
        "eurocities-social-affairs",
        "manifesto",
        "en",
        date(2019, 3, 12),
        "EUROCITIES - city leaders agenda for Europe",
        "The political manifesto of EUROCITIES ahead of the European elections.",
        "City leaders ask the next European Parliament and Commission to work with cities on social "
        "inclusion, climate, jobs and democracy, and to give cities a direct say in European policy.",
        [],
        ["eurocities"],
        ["social-inclusion", "citizen-engagement"],
        [],
    ),
    (
        "eurocities-social-affairs",
        "news",
        "en",
        date(2019, 2, 22),
        "EUROCITIES launches new initiative of city pledges at the European Parliament",
        "21 cities pledge €4.32 billion to act on the European Pillar of Social Rights.",
        "21 cities, representing more than 20 million citizens, presented their pledges to act on "
        "the principles of the European Pillar of Social Rights through dedicated investments. In "
        "total they pledge to invest €4.32 billion to fight poverty and social exclusion over the "
        "next 5 years.",
        [],
        ["eurocities"],
        ["social-inclusion", "employment"],
        [
            ("Cities pledging", "21", "cities"),
            ("Investment pledged", "4320000000", "EUR"),
            ("Citizens represented", "20000000", "people"),
        ],
    ),
    (
        "eurocities-social-affairs",
        "news",
        "en",
        date(2019, 2, 18),
        "Lyon pledges to support employment, gender equality and social inclusion",
        "Grand Lyon is the 21st city to sign a pledge to the European Pillar of Social Rights.",
        "Lyon metropole commits to measures for employment, gender equality and social inclusion.",
        ["FR-LYO"],
        ["metropole-de-lyon", "eurocities"],
        ["employment", "gender-equality", "social-inclusion"],
        [],
    ),
    (
        "eurocities-social-affairs",
        "case_study",
        "en",
        date(2019, 3, 7),
        "Toulouse: study visit on Roma access to housing",
        "How Toulouse supports Roma families to move from camps into adequate housing.",
        "How can cities support Roma to move from camps into adequate housing? During a policy "
        "transfer study visit to Toulouse on 9-10 April, cities saw how the city and its partners "
        "close informal camps only once each family has a housing solution: social workers follow "
        "every family, temporary housing leads to ordinary social housing, and children stay in "
        "school throughout. Promising city measures for Roma access to adequate housing.",
        ["FR-TLS"],
        ["ville-de-toulouse", "eurocities"],
        ["roma-inclusion", "housing"],
        [("Families rehoused", "150", "families"), ("Budget", "2400000", "EUR")],
    ),
    (
        "commoning-peer-learning",
        "publication",
        "en",
        date(2022, 10, 12),
        "The (Global) Commons Policy Paper",
        "UCLG's policy paper on the commons, presented at the World Congress in Daejeon.",
        "From remunicipalisation of basic services to co-management of services and public "
        "facilities, or inclusive public procurement to support the social and solidarity economy, "
        "there is a vast space for public-community innovation through commoning.",
        ["KR-DJN"],
        ["uclg", "gpr2c"],
        ["commons", "basic-services", "right-to-the-city"],
        [],
    ),
    (
        "commoning-peer-learning",
        "concept_note",
        "en",
        date(2024, 4, 15),
        "Commoning and public-community innovation: concept note of the peer learning",
        "How local and regional governments can engage in and benefit from commoning practices.",
        "A peer learning process by UCLG and the Global Platform for the Right to the City on "
        "co-creation and co-management agreements for basic service provision, social equality, "
        "environmental sustainability and democratic decision-making. Sessions in two time zones.",
        [],
        ["uclg", "gpr2c"],
        ["commons", "basic-services"],
        [],
    ),
    (
        "cities-of-equality",
        "news",
        "en",
        date(2024, 11, 20),
        "Cities of Equality Partnership gathers in Paris to shape actions on urban inclusion",
        "Partners refined a preliminary list of actions on spatial segregation and equality.",
        "Partners worked intensively to refine a preliminary list of actions on spatial "
        "segregation, social inclusion and equality: better data on segregation at city and "
        "neighbourhood level, and actionable solutions.",
        ["FR-PAR"],
        ["anct", "eukn"],
        ["spatial-segregation", "social-inclusion"],
        [],
    ),
    (
        "cities-of-equality",
        "policy_example",
        "fr",
        date(2023, 6, 1),
        "Marseille : résorber les bidonvilles par l'accompagnement vers le logement",
        "Un diagnostic social de chaque famille avant toute évacuation de bidonville.",
        "À Marseille, la ville et les associations accompagnent les familles roms vivant en "
        "bidonville vers un logement durable : diagnostic social, domiciliation, scolarisation des "
        "enfants et accès à l'emploi avant toute évacuation.",
        ["FR-MRS"],
        ["ville-de-marseille", "belle-de-mai-collectif"],
        ["roma-inclusion", "housing"],
        [("Familles accompagnées", "80", "familles")],
    ),
    (
        "commoning-peer-learning",
        "case_study",
        "es",
        date(2021, 5, 10),
        "Barcelona: patrimonio ciudadano y gestión comunitaria",
        "Equipamientos públicos gestionados por la comunidad en Barcelona.",
        "El programa de patrimonio ciudadano de Barcelona cede la gestión de equipamientos y "
        "espacios públicos a entidades vecinales mediante acuerdos de gestión comunitaria, con "
        "un balance comunitario que mide el retorno social.",
        ["ES-BCN"],
        [],
        ["commons", "citizen-engagement"],
        [("Equipamientos cedidos", "70", "")],
    ),
    (
        "eurocities-social-affairs",
        "policy_example",
        "es",
        date(2020, 2, 3),
        "Barcelona: vivienda social para familias gitanas",
        "Acompañamiento de familias gitanas de asentamientos hacia la vivienda.",
        "Barcelona acompaña a familias gitanas que viven en asentamientos irregulares hacia una "
        "vivienda digna, con mediadores, alquiler social y escolarización de los niños.",
        ["ES-BCN"],
        [],
        ["roma-inclusion", "housing"],
        [],
    ),
    (
        "commoning-peer-learning",
        "toolkit",
        "it",
        date(2020, 9, 21),
        "Bologna: il regolamento sulla collaborazione tra cittadini e amministrazione",
        "Il regolamento per la cura e la rigenerazione dei beni comuni urbani.",
        "Il regolamento di Bologna permette a cittadini e associazioni di firmare patti di "
        "collaborazione con il comune per la cura di piazze, giardini ed edifici: beni comuni "
        "urbani gestiti insieme.",
        ["IT-BLQ"],
        ["comune-di-bologna"],
        ["commons", "co-production"],
        [("Patti firmati", "500", "patti")],
    ),
    (
        "fairville",
        "publication",
        "en",
        date(2025, 1, 30),
        "Defending meaningful urban co-production at scale",
        "What it takes to secure co-production practices when they grow.",
        "Hard to establish yet quick to unravel, openings for co-produced city making must be "
        "actively maintained and defended. Case material from across Europe on securing "
        "co-production at scale.",
        [],
        ["fairville"],
        ["co-production"],
        [],
    ),
    (
        "fairville-lab-marseille",
        "case_study",
        "fr",
        date(2024, 9, 12),
        "Belle de Mai : un lab citoyen sur le logement indigne",
        "Habitants et chercheurs documentent ensemble le logement indigne.",
        "Dans le quartier de la Belle de Mai, le collectif d'habitants et les chercheurs du lab "
        "Fairville cartographient le logement indigne et co-construisent des propositions avec la "
        "ville.",
        ["FR-MRS"],
        ["belle-de-mai-collectif", "fairville"],
        ["housing", "co-production"],
        [],
    ),
    (
        "fairville-lab-dakar",
        "case_study",
        "fr",
        date(2025, 10, 2),
        "Pikine : cartographier les inondations avec les habitants",
        "À Thiaroye et Guinaw Rail, les habitants relèvent eux-mêmes les rues inondées.",
        "Chaque saison des pluies, des rues entières de Pikine restent sous l'eau pendant des "
        "semaines. Avec le lab Fairville de Dakar, les habitants relèvent les rues inondées, la "
        "hauteur de l'eau et les maisons abandonnées. La carte sert à discuter avec la mairie "
        "des travaux d'assainissement, et à défendre le droit de rester face aux projets de "
        "déguerpissement.",
        ["SN-DKR"],
        ["fairville"],
        ["co-production", "basic-services", "right-to-the-city"],
        [("Rues relevées", "64", "rues"), ("Habitants mobilisés", "120", "personnes")],
    ),
    (
        "fairville-lab-brussels",
        "policy_example",
        "fr",
        date(2025, 6, 16),
        "Molenbeek : une permanence logement tenue avec les habitants",
        "Une permanence hebdomadaire où habitants, juristes et chercheurs répondent ensemble.",
        "Chaque mardi, une permanence logement accueille les locataires du quartier Maritime : "
        "un juriste, un traducteur et des habitants formés répondent aux questions sur les "
        "loyers, l'insalubrité et les expulsions. Les chercheurs du lab Fairville de Bruxelles "
        "en tirent des propositions pour la commune.",
        ["BE-BRU"],
        ["fairville"],
        ["housing", "citizen-engagement"],
        [("Ménages reçus en un an", "310", "ménages")],
    ),
    (
        "wg-inclusion-through-education",
        "news",
        "en",
        date(2019, 3, 8),
        "Study visit to the education authorities in Barcelona",
        "A study visit of the working group inclusion through education, 24-26 April.",
        "EUROCITIES organises a study visit to Barcelona's education authorities on how schools "
        "fight segregation and early school leaving.",
        ["ES-BCN"],
        ["eurocities"],
        ["education", "spatial-segregation"],
        [],
    ),
    (
        "wg-creative-citizenship",
        "news",
        "en",
        date(2019, 3, 6),
        "WG creative citizenship met in Ostend",
        "“Cherish your angry citizens”: engaging with conflict in co-creation.",
        "To have meaningful citizens' participation and co-creation of local policies, engage with "
        "conflict, said professor Wouter Van Dooren in a public lecture in Ostend.",
        ["BE-OST"],
        ["eurocities"],
        ["citizen-engagement"],
        [],
    ),
    (
        "eurocities-social-affairs",
        "case_study",
        "en",
        date(2019, 5, 21),
        "Antwerp: integration of migrants and refugees",
        "What the Urban Academy in Antwerp showed about integrating newcomers.",
        "Antwerp's one-stop shop for newcomers combines language courses, housing advice and "
        "employment support; the Urban Academy on integration shared it with other cities.",
        ["BE-ANR"],
        ["stad-antwerpen", "eurocities"],
        ["migration", "employment"],
        [],
    ),
    (
        "wg-smart-social-inclusion",
        "toolkit",
        "en",
        date(2019, 3, 27),
        "Glasgow: digital inclusion toolkit",
        "How Glasgow helps residents get online and use public services.",
        "Glasgow's toolkit for digital inclusion: free wifi in libraries, volunteers who help "
        "residents use online public services, and devices lent to families.",
        ["GB-GLA"],
        ["glasgow-city-council"],
        ["digital-inclusion"],
        [("People reached", "12000", "people")],
    ),
]

NEEDS = [
    (
        "ville-de-marseille",
        "need",
        "How do other cities help Roma families move from camps into housing?",
        ["roma-inclusion", "housing"],
        ["FR-MRS"],
    ),
    (
        "ville-de-toulouse",
        "offer",
        "We can host a study visit on closing camps with a housing solution for every family.",
        ["roma-inclusion", "housing"],
        ["FR-TLS"],
    ),
    (
        "comune-di-bologna",
        "offer",
        "Our officers can explain pacts of collaboration and the regulation on urban commons.",
        ["commons", "co-production"],
        ["IT-BLQ"],
    ),
    (
        "daejeon",
        "need",
        "How can a city co-manage basic services with communities?",
        ["commons", "basic-services"],
        ["KR-DJN"],
    ),
]

TRANSLATIONS = {
    "Toulouse: study visit on Roma access to housing": (
        "fr",
        "Toulouse : visite d'étude sur l'accès des Roms au logement",
        "Comment Toulouse accompagne les familles roms des campements vers le logement.",
        "Comment les villes peuvent-elles aider les Roms à quitter les campements pour un "
        "logement adéquat ? À Toulouse, chaque famille a une solution de logement avant la "
        "fermeture d'un campement ; les enfants restent scolarisés.",
    ),
}


def _author(organisation_slugs: list[str]):
    user = (
        get_user_model()
        .objects.filter(organisation_memberships__organisation__slug__in=organisation_slugs)
        .first()
    )
    return user or get_user_model().objects.filter(is_staff=True).first()


@transaction.atomic
def build() -> dict[str, int]:
    spaces = {s.slug: s for s in Space.objects.all()}
    places = {t.code: t for t in Territory.objects.all()}
    orgs = {o.slug: o for o in Organisation.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    now = timezone.now()
    count = 0
    for (space, kind, language, day, title, summary, body, codes, org_slugs, topic_slugs,
         figures) in ITEMS:  # fmt: skip
        if space not in spaces:
            continue
        item, _created = LibraryItem.objects.update_or_create(
            space=spaces[space],
            title=title,
            defaults={
                "kind": kind,
                "language": language,
                "published_on": day,
                "summary": summary,
                "body": body,
                "status": LibraryItem.Status.PUBLISHED,
                # Published on the day it carries (never after now), not when the demo ran.
                "published_at": min(now, at(day, 10)),
                "author": _author(org_slugs),
            },
        )
        item.territories.set([places[c] for c in codes if c in places])
        item.organisations.set([orgs[o] for o in org_slugs if o in orgs])
        item.topics.set([topics[t] for t in topic_slugs if t in topics])
        item.figures.all().delete()
        ItemFigure.objects.bulk_create(
            [
                ItemFigure(item=item, label=label, value=Decimal(value), unit=unit, position=i)
                for i, (label, value, unit) in enumerate(figures)
            ]
        )
        if title in TRANSLATIONS:
            lang, tr_title, tr_summary, tr_body = TRANSLATIONS[title]
            ItemTranslation.objects.update_or_create(
                item=item,
                language=lang,
                defaults={"title": tr_title, "summary": tr_summary, "body": tr_body},
            )
        count += 1
    posts = 0
    for org, kind, text, topic_slugs, codes in NEEDS:
        if org not in orgs:
            continue
        post, _created = PeerPost.objects.update_or_create(
            organisation=orgs[org], kind=kind, text=text, defaults={"author": _author([org])}
        )
        post.topics.set([topics[t] for t in topic_slugs if t in topics])
        post.territories.set([places[c] for c in codes if c in places])
        posts += 1
    indexed = reindex_all()
    return {"library items": count, "needs and offers": posts, "search documents": indexed}
