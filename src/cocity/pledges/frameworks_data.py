"""The frameworks every installation ships with, in English and French (official names).

Loaded by the data migration ``0002_shipped_frameworks`` (so a fresh install and the demo both
have them) through :func:`load_shipped_frameworks`, which is idempotent (keyed by slug and code).
"""

from __future__ import annotations

from typing import Any

# (code, kind, parent code, en name, fr name, en description, fr description)
Item = tuple[str, str, str | None, str, str, str, str]

EPSR: list[Item] = [
    ("I", "chapter", None, "Equal opportunities and access to the labour market",
     "Égalité des chances et accès au marché du travail", "", ""),
    ("1", "principle", "I", "Education, training and life-long learning",
     "Éducation, formation et apprentissage tout au long de la vie",
     "Everyone has the right to quality and inclusive education, training and life-long "
     "learning in order to maintain and acquire skills that enable them to participate fully "
     "in society and manage successfully transitions in the labour market.",
     "Toute personne a droit à une éducation, une formation et un apprentissage tout au long de "
     "la vie inclusifs et de qualité, afin de maintenir ou d'acquérir des compétences lui "
     "permettant de participer pleinement à la société et de gérer avec succès les transitions "
     "sur le marché du travail."),
    ("2", "principle", "I", "Gender equality", "Égalité entre les femmes et les hommes",
     "Equality of treatment and opportunities between women and men must be ensured and "
     "fostered in all areas, including regarding participation in the labour market, terms "
     "and conditions of employment and career progression.",
     "L'égalité de traitement et l'égalité des chances entre les femmes et les hommes doivent "
     "être garanties et encouragées dans tous les domaines, y compris en ce qui concerne la "
     "participation au marché du travail, les conditions d'emploi et la progression de carrière."),
    ("3", "principle", "I", "Equal opportunities", "Égalité des chances",
     "Regardless of gender, racial or ethnic origin, religion or belief, disability, age or "
     "sexual orientation, everyone has the right to equal treatment and opportunities regarding "
     "employment, social protection, education, and access to goods and services available to "
     "the public.",
     "Indépendamment du sexe, de l'origine raciale ou ethnique, de la religion ou des "
     "convictions, du handicap, de l'âge ou de l'orientation sexuelle, toute personne a droit à "
     "l'égalité de traitement et des chances en matière d'emploi, de protection sociale, "
     "d'éducation et d'accès aux biens et services à la disposition du public."),
    ("4", "principle", "I", "Active support to employment", "Soutien actif à l'emploi",
     "Everyone has the right to timely and tailor-made assistance to improve employment or "
     "self-employment prospects.",
     "Toute personne a le droit de bénéficier, en temps utile, d'une aide adaptée à ses besoins "
     "afin d'améliorer ses perspectives d'emploi salarié ou non salarié."),
    ("II", "chapter", None, "Fair working conditions", "Conditions de travail équitables", "", ""),
    ("5", "principle", "II", "Secure and adaptable employment", "Emplois sûrs et adaptables",
     "Regardless of the type and duration of the employment relationship, workers have the "
     "right to fair and equal treatment regarding working conditions, access to social "
     "protection and training.",
     "Indépendamment du type et de la durée de la relation de travail, les travailleurs ont "
     "droit à un traitement égal et équitable en ce qui concerne les conditions de travail, "
     "l'accès à la protection sociale et la formation."),
    ("6", "principle", "II", "Wages", "Salaires",
     "Workers have the right to fair wages that provide for a decent standard of living.",
     "Les travailleurs ont droit à un salaire juste permettant un niveau de vie décent."),
    ("7", "principle", "II",
     "Information about employment conditions and protection in case of dismissals",
     "Informations concernant les conditions d'emploi et protection en cas de licenciement",
     "Workers have the right to be informed in writing at the start of employment about their "
     "rights and obligations resulting from the employment relationship, including on "
     "probation period.",
     "Les travailleurs ont le droit d'être informés par écrit, au début de leur emploi, des "
     "droits et obligations qui découlent de la relation de travail, y compris pendant la "
     "période d'essai."),
    ("8", "principle", "II", "Social dialogue and involvement of workers",
     "Dialogue social et participation des travailleurs",
     "The social partners shall be consulted on the design and implementation of economic, "
     "employment and social policies according to national practices.",
     "Les partenaires sociaux sont consultés sur l'élaboration et la mise en œuvre des "
     "politiques économiques, sociales et de l'emploi, conformément aux pratiques nationales."),
    ("9", "principle", "II", "Work-life balance",
     "Équilibre entre vie professionnelle et vie privée",
     "Parents and people with caring responsibilities have the right to suitable leave, "
     "flexible working arrangements and access to care services.",
     "Les parents et les personnes ayant des responsabilités familiales ont droit à des congés "
     "appropriés, à des formules de travail flexibles et à l'accès à des services de garde."),
    ("10", "principle", "II",
     "Healthy, safe and well-adapted work environment and data protection",
     "Environnement de travail sain, sûr et adapté, et protection des données",
     "Workers have the right to a high level of protection of their health and safety at work.",
     "Les travailleurs ont droit à un niveau élevé de protection de leur santé et de leur "
     "sécurité au travail."),
    ("III", "chapter", None, "Social protection and inclusion",
     "Protection et inclusion sociales", "", ""),
    ("11", "principle", "III", "Childcare and support to children",
     "Accueil de l'enfance et aide à l'enfance",
     "Children have the right to affordable early childhood education and care of good quality.",
     "Les enfants ont droit à des services abordables d'éducation et d'accueil de la petite "
     "enfance de qualité."),
    ("12", "principle", "III", "Social protection", "Protection sociale",
     "Regardless of the type and duration of their employment relationship, workers, and, "
     "under comparable conditions, the self-employed, have the right to adequate social "
     "protection.",
     "Indépendamment du type et de la durée de leur relation de travail, les travailleurs et, "
     "dans des conditions comparables, les travailleurs non salariés ont droit à une protection "
     "sociale adéquate."),
    ("13", "principle", "III", "Unemployment benefits", "Prestations de chômage",
     "The unemployed have the right to adequate activation support from public employment "
     "services to (re)integrate in the labour market and adequate unemployment benefits of "
     "reasonable duration.",
     "Les chômeurs ont droit à un soutien approprié des services publics de l'emploi pour "
     "(ré)intégrer le marché du travail et à des prestations de chômage adéquates d'une durée "
     "raisonnable."),
    ("14", "principle", "III", "Minimum income", "Revenu minimum",
     "Everyone lacking sufficient resources has the right to adequate minimum income benefits "
     "ensuring a life in dignity at all stages of life.",
     "Toute personne ne disposant pas de ressources suffisantes a droit à des prestations de "
     "revenu minimum adéquates qui lui garantissent un niveau de vie digne à tous les stades "
     "de sa vie."),
    ("15", "principle", "III", "Old age income and pensions",
     "Prestations de vieillesse et pensions",
     "Workers and the self-employed in retirement have the right to a pension commensurate to "
     "their contributions and ensuring an adequate income.",
     "Les travailleurs salariés et non salariés ont droit, à la retraite, à une pension "
     "proportionnelle à leurs cotisations et leur garantissant un revenu adéquat."),
    ("16", "principle", "III", "Health care", "Soins de santé",
     "Everyone has the right to timely access to affordable, preventive and curative health "
     "care of good quality.",
     "Toute personne a le droit d'accéder en temps utile à des soins de santé préventifs et "
     "curatifs abordables et de qualité."),
    ("17", "principle", "III", "Inclusion of people with disabilities",
     "Inclusion des personnes handicapées",
     "People with disabilities have the right to income support that ensures living in "
     "dignity, services that enable them to participate in the labour market and in society, "
     "and a work environment adapted to their needs.",
     "Les personnes handicapées ont droit à une aide au revenu leur permettant de vivre dans "
     "la dignité, à des services leur permettant de participer au marché du travail et à la "
     "société, et à un environnement de travail adapté à leurs besoins."),
    ("18", "principle", "III", "Long-term care", "Soins de longue durée",
     "Everyone has the right to affordable long-term care services of good quality, in "
     "particular home-care and community-based services.",
     "Toute personne a droit à des services de soins de longue durée abordables et de qualité, "
     "en particulier des services de soins à domicile et des services de proximité."),
    ("19", "principle", "III", "Housing and assistance for the homeless",
     "Logement et aide aux sans-abri",
     "Access to social housing or housing assistance of good quality shall be provided for "
     "those in need.",
     "Un accès au logement social ou à une aide au logement de qualité est accordé aux "
     "personnes dans le besoin."),
    ("20", "principle", "III", "Access to essential services", "Accès aux services essentiels",
     "Everyone has the right to access essential services of good quality, including water, "
     "sanitation, energy, transport, financial services and digital communications.",
     "Toute personne a le droit d'accéder à des services essentiels de qualité, y compris "
     "l'eau, l'assainissement, l'énergie, les transports, les services financiers et les "
     "communications numériques."),
]  # fmt: skip

_SDG = [
    ("No poverty", "Pas de pauvreté",
     "End poverty in all its forms everywhere.",
     "Éliminer la pauvreté sous toutes ses formes et partout dans le monde."),
    ("Zero hunger", "Faim « zéro »",
     "End hunger, achieve food security and improved nutrition and promote sustainable "
     "agriculture.",
     "Éliminer la faim, assurer la sécurité alimentaire, améliorer la nutrition et promouvoir "
     "l'agriculture durable."),
    ("Good health and well-being", "Bonne santé et bien-être",
     "Ensure healthy lives and promote well-being for all at all ages.",
     "Permettre à tous de vivre en bonne santé et promouvoir le bien-être de tous à tout âge."),
    ("Quality education", "Éducation de qualité",
     "Ensure inclusive and equitable quality education and promote lifelong learning "
     "opportunities for all.",
     "Assurer l'accès de tous à une éducation de qualité, sur un pied d'égalité, et promouvoir "
     "les possibilités d'apprentissage tout au long de la vie."),
    ("Gender equality", "Égalité entre les sexes",
     "Achieve gender equality and empower all women and girls.",
     "Parvenir à l'égalité des sexes et autonomiser toutes les femmes et les filles."),
    ("Clean water and sanitation", "Eau propre et assainissement",
     "Ensure availability and sustainable management of water and sanitation for all.",
     "Garantir l'accès de tous à des services d'alimentation en eau et d'assainissement gérés "
     "de façon durable."),
    ("Affordable and clean energy", "Énergie propre et d'un coût abordable",
     "Ensure access to affordable, reliable, sustainable and modern energy for all.",
     "Garantir l'accès de tous à des services énergétiques fiables, durables et modernes, à un "
     "coût abordable."),
    ("Decent work and economic growth", "Travail décent et croissance économique",
     "Promote sustained, inclusive and sustainable economic growth, full and productive "
     "employment and decent work for all.",
     "Promouvoir une croissance économique soutenue, partagée et durable, le plein emploi "
     "productif et un travail décent pour tous."),
    ("Industry, innovation and infrastructure", "Industrie, innovation et infrastructure",
     "Build resilient infrastructure, promote inclusive and sustainable industrialization and "
     "foster innovation.",
     "Bâtir une infrastructure résiliente, promouvoir une industrialisation durable qui profite "
     "à tous et encourager l'innovation."),
    ("Reduced inequalities", "Inégalités réduites",
     "Reduce inequality within and among countries.",
     "Réduire les inégalités dans les pays et d'un pays à l'autre."),
    ("Sustainable cities and communities", "Villes et communautés durables",
     "Make cities and human settlements inclusive, safe, resilient and sustainable.",
     "Faire en sorte que les villes et les établissements humains soient ouverts à tous, sûrs, "
     "résilients et durables."),
    ("Responsible consumption and production", "Consommation et production responsables",
     "Ensure sustainable consumption and production patterns.",
     "Établir des modes de consommation et de production durables."),
    ("Climate action", "Mesures relatives à la lutte contre les changements climatiques",
     "Take urgent action to combat climate change and its impacts.",
     "Prendre d'urgence des mesures pour lutter contre les changements climatiques et leurs "
     "répercussions."),
    ("Life below water", "Vie aquatique",
     "Conserve and sustainably use the oceans, seas and marine resources for sustainable "
     "development.",
     "Conserver et exploiter de manière durable les océans, les mers et les ressources marines "
     "aux fins du développement durable."),
    ("Life on land", "Vie terrestre",
     "Protect, restore and promote sustainable use of terrestrial ecosystems, sustainably "
     "manage forests, combat desertification, and halt and reverse land degradation and halt "
     "biodiversity loss.",
     "Préserver et restaurer les écosystèmes terrestres, en veillant à les exploiter de façon "
     "durable, gérer durablement les forêts, lutter contre la désertification, enrayer et "
     "inverser le processus de dégradation des terres et mettre fin à l'appauvrissement de la "
     "biodiversité."),
    ("Peace, justice and strong institutions", "Paix, justice et institutions efficaces",
     "Promote peaceful and inclusive societies for sustainable development, provide access to "
     "justice for all and build effective, accountable and inclusive institutions at all "
     "levels.",
     "Promouvoir l'avènement de sociétés pacifiques et ouvertes à tous aux fins du "
     "développement durable, assurer l'accès de tous à la justice et mettre en place, à tous "
     "les niveaux, des institutions efficaces, responsables et ouvertes à tous."),
    ("Partnerships for the goals", "Partenariats pour la réalisation des objectifs",
     "Strengthen the means of implementation and revitalize the Global Partnership for "
     "Sustainable Development.",
     "Renforcer les moyens de mettre en œuvre le Partenariat mondial pour le développement "
     "durable et le revitaliser."),
]  # fmt: skip
SDG: list[Item] = [
    (str(n), "goal", None, en, fr, den, dfr) for n, (en, fr, den, dfr) in enumerate(_SDG, start=1)
]

FRAMEWORKS: list[tuple[str, str, str, str, str, list[Item]]] = [
    (
        "european-pillar-of-social-rights",
        "European Pillar of Social Rights",
        "Socle européen des droits sociaux",
        "20 principles in three chapters, proclaimed by the European Parliament, the Council "
        "and the Commission in Gothenburg on 17 November 2017.",
        "20 principes en trois chapitres, proclamés par le Parlement européen, le Conseil et la "
        "Commission à Göteborg le 17 novembre 2017.",
        EPSR,
    ),
    (
        "sustainable-development-goals",
        "Sustainable Development Goals",
        "Objectifs de développement durable",
        "The 17 goals of the United Nations 2030 Agenda for Sustainable Development (2015).",
        "Les 17 objectifs du Programme de développement durable à l'horizon 2030 des Nations "
        "unies (2015).",
        SDG,
    ),
]


def load_shipped_frameworks(framework_model: Any, item_model: Any) -> int:
    """Create or refresh the shipped frameworks; models are passed in (migration-safe)."""
    count = 0
    for slug, name, name_fr, description, description_fr, items in FRAMEWORKS:
        framework, _ = framework_model.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "translations": {"fr": {"name": name_fr, "description": description_fr}},
                "organisation": None,
            },
        )
        by_code: dict[str, Any] = {}
        for position, (code, kind, parent, en, fr, den, dfr) in enumerate(items):
            item, _ = item_model.objects.update_or_create(
                framework=framework,
                code=code,
                defaults={
                    "kind": kind,
                    "parent": by_code.get(parent) if parent else None,
                    "name": en,
                    "description": den,
                    "translations": {"fr": {"name": fr, "description": dfr}},
                    "position": position,
                },
            )
            by_code[code] = item
            count += 1
    return count
