"""People's translations of the demo's events (``events/demo.py``): the Dialogues in
Coproduction and the commoning peer learning run with French/English interpretation and the
secretariat publishes them in both languages, so the series, the key events, their tracks
and the speakers' affiliations are kept in French (in English for the two events
written in French: the manifesto in Paris and the Belle de Mai workshop). Left to a machine:
the sessions' titles and what people write while the demo runs."""

from __future__ import annotations

from cocity.core.demo import keep_translations

from .models import Event, Series, Speaker, Track

SERIES = {
    "dialogues-in-coproduction": {
        "name": "Dialogues en coproduction",
        "summary": "Un cycle de séminaires publics en ligne consacré à la coproduction de villes "
        "justes.",
        "description": "Les Dialogues en coproduction contribuent à consolider une communauté "
        "internationale de pratique qui explore des expériences concrètes face aux inégalités "
        "sociales, spatiales, environnementales et politiques croissantes de nos villes. Ils "
        "sont ouverts aux habitants, aux militants, aux universitaires et aux professionnels, "
        "aux côtés des organisations de la société civile et des collectivités locales.",
    },
    "enabler-series": {
        "name": "Série Enabler",
        "summary": "Les conditions qui permettent à une véritable coproduction de se développer.",
        "description": "La **série Enabler** s'intéresse aux conditions qui permettent à une "
        "véritable coproduction de se développer et de façonner les pratiques, les politiques, "
        "les plans, les services et les lieux que les habitants réclament. Au-delà de "
        "l'apprentissage mutuel et de la mise en réseau, elle aide à formuler des demandes et "
        "des propositions communes pour renforcer la coproduction en Europe (et au-delà).",
    },
}

# slug: (language of the translation, title, summary, description)
EVENTS: dict[str, tuple[str, str, str, str]] = {
    "defending-meaningful-urban-co-production-at-scale": (
        "fr",
        "Défendre une véritable coproduction urbaine à grande échelle",
        "Difficiles à ouvrir et vite refermées, les brèches pour une fabrique et une gestion "
        "coproduites de la ville doivent être activement entretenues et défendues.",
        "Difficiles à ouvrir et vite refermées, les brèches pour une fabrique et une gestion "
        "coproduites de la ville doivent être activement entretenues et défendues. À partir de "
        "cas venus de toute l'Europe, ce dialogue a éclairé différentes manières d'assurer "
        "l'avenir des pratiques de coproduction à grande échelle.\n\n"
        "Une interprétation français/anglais et anglais/français était assurée pendant tout "
        "l'événement. L'enregistrement et les diapositives sont ci-dessous.",
    ),
    "co-producing-the-city-from-below-brazil-france": (
        "fr",
        "Coproduire la ville par le bas, du Brésil à la France",
        "Les mouvements pour le logement à São Paulo et les collectifs d'habitants à Marseille : "
        "ce que la coproduction par le bas demande aux gouvernements des villes.",
        "Des occupations du centre de São Paulo aux collectifs d'habitants de la Belle de Mai à "
        "Marseille, des habitants coproduisent leur ville par le bas, souvent avant qu'une "
        "politique publique ne les y invite. Ce dialogue compare les deux expériences et "
        "demande ce que les gouvernements des villes doivent changer pour travailler avec "
        "eux.\n\n"
        "Une interprétation français/anglais et anglais/français est assurée pendant tout "
        "l'événement.\n\n"
        "Inscrivez-vous pour recevoir le lien de la réunion en ligne.",
    ),
    "enabling-meaningful-urban-co-production-key-learnings": (
        "fr",
        "Permettre une véritable coproduction urbaine à grande échelle : les enseignements",
        "Webinaire de clôture de la série Enabler : ce que les labs ont appris, et les demandes "
        "qu'ils portent auprès des gouvernements des villes.",
        "",
    ),
    "commoning-peer-learning-first-cycle": (
        "fr",
        "Apprentissage entre pairs sur les communs et l'innovation public-communautés",
        "Comment les gouvernements locaux et régionaux peuvent s'engager dans les pratiques de "
        "communs et d'innovation public-communautés, et en bénéficier, en particulier pour les "
        "services de base.",
        "De la remunicipalisation des services de base à la cogestion de services et "
        "d'équipements publics, ou à la commande publique inclusive au service de l'économie "
        "sociale et solidaire, l'innovation public-communautés par les communs ouvre un vaste "
        "champ.\n\n"
        "Les séances ont lieu à deux horaires différents pour permettre une participation du "
        "monde entier : **suivez le parcours qui convient le mieux à votre fuseau horaire.**\n\n"
        "Pour toute question : learning [at] uclg.org.",
    ),
    "commoning-peer-learning-next-cycle": (
        "fr",
        "Apprentissage entre pairs sur les communs : le prochain cycle",
        "De nouveau deux parcours : les jeudis pour l'hémisphère occidental, les vendredis pour "
        "l'hémisphère oriental. On change d'heure entre deux séances ; chacune reste à la même "
        "heure à Paris.",
        "Le deuxième cycle de l'apprentissage entre pairs sur les communs et l'innovation "
        "public-communautés : des accords de cogestion pour les services de base, avec des "
        "villes des deux hémisphères. **Suivez le parcours qui convient le mieux à votre fuseau "
        "horaire.**",
    ),
    "cities-of-equality-partnership-meeting-paris": (
        "fr",
        "Villes de l'égalité : réunion du partenariat à Paris",
        "Les partenaires affinent la liste provisoire des actions contre la ségrégation "
        "spatiale, pour l'inclusion sociale et l'égalité.",
        "Deux jours de travail sur les idées du remue-méninges en ligne : de meilleures données "
        "sur la ségrégation à l'échelle de la ville et du quartier, des échanges entre pairs "
        "entre collectivités, et des solutions concrètes pour le projet de plan d'action.",
    ),
    "cities-of-equality-prioritisation-workshop": (
        "fr",
        "Villes de l'égalité : choisir ensemble les idées prioritaires",
        "Le remue-méninges est clos : partenaires et participants choisissent ensemble les idées "
        "qui deviendront la prochaine série d'actions.",
        "Un atelier en ligne pour hiérarchiser les idées du remue-méninges sur les quartiers "
        "inclusifs. Toutes celles et tous ceux qui ont proposé, soutenu ou commenté une idée "
        "sont les bienvenus.\n\n"
        "Une interprétation français/anglais et anglais/français est assurée tout du long.",
    ),
    "study-visit-barcelona-education-2019": (
        "fr",
        "Visite d'étude auprès des autorités éducatives de Barcelone",
        "Organisée dans le cadre du groupe de travail L'inclusion par l'éducation.",
        "",
    ),
    "study-visit-toulouse-roma-housing-2019": (
        "fr",
        "Visite d'étude à Toulouse sur l'accès des Roms au logement",
        "Comment les villes peuvent-elles accompagner les Roms des campements vers un logement "
        "digne ?",
        "",
    ),
    "urban-academy-integration-antwerp-2019": (
        "fr",
        "Urban Academy sur l'intégration des migrants et des réfugiés",
        "Les représentants des villes sont chaleureusement invités à participer à l'Urban "
        "Academy sur l'intégration des migrants et des réfugiés, à Anvers.",
        "",
    ),
    "wg-smart-social-inclusion-glasgow-2019": (
        "fr",
        "Réunion du GT Inclusion sociale et numérique",
        "Réunion du groupe de travail à Glasgow.",
        "",
    ),
    "manifesto-just-democratic-housing-paris": (
        "en",
        "A manifesto for just and democratic housing in European cities",
        "Public presentation in Paris of the Dialogues in Coproduction's housing manifesto.",
        "The manifesto brings together the demands of the Fairville labs and their partners: "
        "rent control, the right to stay, and a place for residents in renovation projects. "
        "Presentation in French, questions in French and English.",
    ),
    "belle-de-mai-housing-workshop": (
        "en",
        "Belle de Mai: housing workshop with the residents",
        "An evening workshop of the Fairville Lab Marseille: mapping the neighbourhood's "
        "substandard housing together.",
        "Residents, associations and researchers of the Fairville Lab Marseille meet to "
        "complete the map of substandard housing in la Belle de Mai and prepare the proposals "
        "to take to the city. Open to all, in French.",
    ),
}

TRACKS = {
    "Webinar": "Webinaire",
    "Programme": "Programme",
    "Meeting": "Réunion",
    "Workshop": "Atelier",
    "Thursdays (Western Hemisphere: Americas, Europe, Africa)": (
        "Les jeudis (hémisphère occidental : Amériques, Europe, Afrique)"
    ),
    "Fridays (Eastern Hemisphere: Asia-Pacific, Middle East, Europe, Africa)": (
        "Les vendredis (hémisphère oriental : Asie-Pacifique, Moyen-Orient, Europe, Afrique)"
    ),
    "Thursdays (Western Hemisphere)": "Les jeudis (hémisphère occidental)",
    "Fridays (Eastern Hemisphere)": "Les vendredis (hémisphère oriental)",
}
TRACKS_EN = {"Présentation": "Presentation", "Atelier": "Workshop"}

AFFILIATIONS = {
    "Public Interest Law Centre": "Public Interest Law Centre",
    "Autonomy": "Autonomy",
    "CNRS/Paris 8": "CNRS/Paris 8",
    "Global Platform for the Right to the City": "Plateforme globale pour le droit à la ville",
    "Fairville Lab Marseille": "Fairville Lab Marseille",
    "Fairville Lab Athens": "Fairville Lab Athènes",
    "Fairville Lab Dakar": "Fairville Lab Dakar",
    "Fairville": "Fairville",
    "UCLG": "CGLU",
    "Comune di Bologna": "Comune di Bologna",
    "European Urban Knowledge Network": "Réseau européen de connaissances urbaines (EUKN)",
}


def translate_events() -> int:
    changed = 0
    for series in Series.objects.filter(slug__in=SERIES).order_by("pk"):
        changed += keep_translations(series, "en", {"fr": SERIES[series.slug]})
    events = {e.slug: e for e in Event.objects.filter(slug__in=EVENTS)}
    for slug, event in sorted(events.items()):
        language, title, summary, description = EVENTS[slug]
        original = "fr" if language == "en" else "en"
        values = {"title": title, "summary": summary, "description": description}
        changed += keep_translations(event, original, {language: values})
    for track in Track.objects.filter(event__slug__in=EVENTS).select_related("event"):
        if track.name in TRACKS_EN:
            changed += keep_translations(track, "fr", {"en": {"name": TRACKS_EN[track.name]}})
        elif track.name in TRACKS:
            changed += keep_translations(track, "en", {"fr": {"name": TRACKS[track.name]}})
    speakers = Speaker.objects.filter(event__slug__in=EVENTS, affiliation__in=AFFILIATIONS)
    for speaker in speakers:
        changed += keep_translations(
            speaker, "en", {"fr": {"affiliation": AFFILIATIONS[speaker.affiliation]}}
        )
    return changed
