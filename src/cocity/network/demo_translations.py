"""The demo's place names in every interface language, as the network's people write them: each
city and country under its exonym (Vienna: Vienne, Wien, Βιέννη, Viena, Wenen, فيينا), each
district and neighbourhood in French and Spanish (mostly its own name: a machine would turn
Poplar into a tree and Elephant and Castle into an animal and a building) and, for Athens and
Cairo, in Greek and Arabic.

People's translations (``cocity.core.translations``): the names are written in English (the
network's working language) and these are kept as translations, which machine translation
never overwrites. Used by ``network/demo.py`` and ``pledges/demo.py`` (which adds the pledging
cities and their countries).
"""

from __future__ import annotations

from django.db.models import Q

from cocity.core.demo import keep_translations
from cocity.network.models import Territory

LANGUAGES = ("ar", "de", "el", "es", "fr", "nl")

# Countries and cities: ar, de, el, es, fr, nl.
EXONYMS: dict[str, tuple[str, str, str, str, str, str]] = {
    "GR": ("اليونان", "Griechenland", "Ελλάδα", "Grecia", "Grèce", "Griekenland"),
    "DE": ("ألمانيا", "Deutschland", "Γερμανία", "Alemania", "Allemagne", "Duitsland"),
    "BE": ("بلجيكا", "Belgien", "Βέλγιο", "Bélgica", "Belgique", "België"),
    "EG": ("مصر", "Ägypten", "Αίγυπτος", "Egipto", "Égypte", "Egypte"),
    "SN": ("السنغال", "Senegal", "Σενεγάλη", "Senegal", "Sénégal", "Senegal"),
    "GB": (
        "المملكة المتحدة",
        "Vereinigtes Königreich",
        "Ηνωμένο Βασίλειο",
        "Reino Unido",
        "Royaume-Uni",
        "Verenigd Koninkrijk",
    ),
    "FR": ("فرنسا", "Frankreich", "Γαλλία", "Francia", "France", "Frankrijk"),
    "IT": ("إيطاليا", "Italien", "Ιταλία", "Italia", "Italie", "Italië"),
    "ES": ("إسبانيا", "Spanien", "Ισπανία", "España", "Espagne", "Spanje"),
    "KR": (
        "كوريا الجنوبية", "Südkorea", "Νότια Κορέα", "Corea del Sur", "Corée du Sud", "Zuid-Korea"
    ),
    "BR": ("البرازيل", "Brasilien", "Βραζιλία", "Brasil", "Brésil", "Brazilië"),
    "NL": ("هولندا", "Niederlande", "Κάτω Χώρες", "Países Bajos", "Pays-Bas", "Nederland"),
    "AT": ("النمسا", "Österreich", "Αυστρία", "Austria", "Autriche", "Oostenrijk"),
    "PT": ("البرتغال", "Portugal", "Πορτογαλία", "Portugal", "Portugal", "Portugal"),
    "SI": ("سلوفينيا", "Slowenien", "Σλοβενία", "Eslovenia", "Slovénie", "Slovenië"),
    "SE": ("السويد", "Schweden", "Σουηδία", "Suecia", "Suède", "Zweden"),
    "CZ": ("التشيك", "Tschechien", "Τσεχία", "Chequia", "Tchéquie", "Tsjechië"),
    "PL": ("بولندا", "Polen", "Πολωνία", "Polonia", "Pologne", "Polen"),
    # The network's cities (network/demo.py).
    "GR-ATH": ("أثينا", "Athen", "Αθήνα", "Atenas", "Athènes", "Athene"),
    "DE-BER": ("برلين", "Berlin", "Βερολίνο", "Berlín", "Berlin", "Berlijn"),
    "BE-BRU": ("بروكسل", "Brüssel", "Βρυξέλλες", "Bruselas", "Bruxelles", "Brussel"),
    "BE-ANR": ("أنتويرب", "Antwerpen", "Αμβέρσα", "Amberes", "Anvers", "Antwerpen"),
    "BE-OST": ("أوستند", "Ostende", "Όστεντε", "Ostende", "Ostende", "Oostende"),
    "EG-CAI": ("القاهرة", "Kairo", "Κάιρο", "El Cairo", "Le Caire", "Caïro"),
    "SN-DKR": ("داكار", "Dakar", "Ντακάρ", "Dakar", "Dakar", "Dakar"),
    "GB-LND": ("لندن", "London", "Λονδίνο", "Londres", "Londres", "Londen"),
    "GB-GLA": ("غلاسكو", "Glasgow", "Γλασκώβη", "Glasgow", "Glasgow", "Glasgow"),
    "FR-MRS": ("مرسيليا", "Marseille", "Μασσαλία", "Marsella", "Marseille", "Marseille"),
    "FR-PAR": ("باريس", "Paris", "Παρίσι", "París", "Paris", "Parijs"),
    "FR-LYO": ("ليون", "Lyon", "Λυών", "Lyon", "Lyon", "Lyon"),
    "FR-TLS": ("تولوز", "Toulouse", "Τουλούζη", "Toulouse", "Toulouse", "Toulouse"),
    "IT-BLQ": ("بولونيا", "Bologna", "Μπολόνια", "Bolonia", "Bologne", "Bologna"),
    "ES-BCN": ("برشلونة", "Barcelona", "Βαρκελώνη", "Barcelona", "Barcelone", "Barcelona"),
    "KR-DJN": ("دايجون", "Daejeon", "Νταετζόν", "Daejeon", "Daejeon", "Daejeon"),
    "BR-SAO": ("ساو باولو", "São Paulo", "Σάο Πάολο", "São Paulo", "São Paulo", "São Paulo"),
    # The pledging cities (pledges/demo.py).
    "BE-GNT": ("غنت", "Gent", "Γάνδη", "Gante", "Gand", "Gent"),
    "FR-NTE": ("نانت", "Nantes", "Νάντη", "Nantes", "Nantes", "Nantes"),
    "NL-RTM": ("روتردام", "Rotterdam", "Ρότερνταμ", "Róterdam", "Rotterdam", "Rotterdam"),
    "NL-UTC": ("أوترخت", "Utrecht", "Ουτρέχτη", "Utrecht", "Utrecht", "Utrecht"),
    "AT-VIE": ("فيينا", "Wien", "Βιέννη", "Viena", "Vienne", "Wenen"),
    "IT-MIL": ("ميلانو", "Mailand", "Μιλάνο", "Milán", "Milan", "Milaan"),
    "ES-MAD": ("مدريد", "Madrid", "Μαδρίτη", "Madrid", "Madrid", "Madrid"),
    "PT-LIS": ("لشبونة", "Lissabon", "Λισαβόνα", "Lisboa", "Lisbonne", "Lissabon"),
    "SI-LJU": ("ليوبليانا", "Ljubljana", "Λιουμπλιάνα", "Liubliana", "Ljubljana", "Ljubljana"),
    "SE-GOT": ("غوتنبرغ", "Göteborg", "Γκέτεμποργκ", "Gotemburgo", "Göteborg", "Göteborg"),
    "CZ-BRQ": ("برنو", "Brünn", "Μπρνο", "Brno", "Brno", "Brno"),
    "PL-GDN": ("غدانسك", "Danzig", "Γκντανσκ", "Gdansk", "Gdańsk", "Gdańsk"),
}  # fmt: skip

# Districts and neighbourhoods (network/demo.py, by name): French and Spanish always (the name
# itself where nothing else is said), and the names of Athens and Cairo in their own script.
LOCAL_NAMES: dict[str, dict[str, str]] = {
    "Central Athens": {
        "fr": "Athènes-Centre", "es": "Atenas Centro", "el": "Κεντρικός Τομέας Αθηνών",
        "de": "Zentral-Athen", "nl": "Centraal-Athene", "ar": "وسط أثينا",
    },
    "Exarcheia": {"fr": "Exarchia", "es": "Exarchia", "el": "Εξάρχεια"},
    "Kypseli": {"fr": "Kypséli", "el": "Κυψέλη"},
    "Patisia": {"fr": "Patissia", "el": "Πατήσια"},
    "Piraeus": {
        "fr": "Le Pirée", "es": "El Pireo", "el": "Πειραιάς", "de": "Piräus", "nl": "Piraeus",
        "ar": "بيرايوس",
    },
    "Keratsini": {"fr": "Kératsini", "el": "Κερατσίνι"},
    "Nikaia": {"el": "Νίκαια"},
    "Molenbeek-Saint-Jean": {"nl": "Sint-Jans-Molenbeek"},
    "Historic Molenbeek": {
        "fr": "Molenbeek historique", "es": "Molenbeek histórico",
        "nl": "Historisch Molenbeek", "de": "Historisches Molenbeek",
    },
    "Maritime": {"nl": "Maritiem"},
    "Cureghem": {"nl": "Kuregem"},
    "Antwerpen": {"fr": "Anvers", "es": "Amberes"},
    "Giza": {
        "fr": "Gizeh", "es": "Guiza", "ar": "الجيزة", "de": "Gizeh", "nl": "Gizeh", "el": "Γκίζα",
    },
    "Ard al-Liwa": {"fr": "Ard el-Lewa", "ar": "أرض اللواء"},
    "Boulaq al-Dakrour": {
        "fr": "Boulaq el-Dakrour", "es": "Bulaq al-Dakrur", "ar": "بولاق الدكرور",
    },
    "Old Cairo": {
        "fr": "Le Vieux-Caire", "es": "El Cairo Viejo", "ar": "مصر القديمة", "de": "Alt-Kairo",
        "nl": "Oud-Caïro", "el": "Παλαιό Κάιρο",
    },
    "Fustat": {"fr": "Fostat", "ar": "الفسطاط"},
    "Ezbet Khairallah": {"ar": "عزبة خير الله"},
    "Dakar Plateau": {"fr": "Dakar-Plateau", "es": "Dakar-Plateau"},
    "Médina": {"es": "Medina"},
    "3e arrondissement": {"es": "Distrito 3"},
    "15e arrondissement": {"es": "Distrito 15"},
    "18e arrondissement": {"es": "Distrito 18"},
    "Belle de Mai": {"fr": "La Belle de Mai"},
    "Goutte d'Or": {"fr": "La Goutte-d'Or"},
}  # fmt: skip


def place_names(territory: Territory) -> dict[str, dict[str, str]]:
    """The people's translations of ``territory``'s name, by language ({} when none)."""
    if territory.code in EXONYMS:
        names = dict(zip(LANGUAGES, EXONYMS[territory.code], strict=True))
    elif territory.kind in (Territory.Kind.DISTRICT, Territory.Kind.NEIGHBOURHOOD):
        local = LOCAL_NAMES.get(territory.name, {})
        names = {"fr": territory.name, "es": territory.name, **local}
    else:
        return {}
    return {language: {"name": name} for language, name in names.items()}


def name_places() -> int:
    """Keep the names of every demo place in every language it has one in; returns how many
    places' translations changed."""
    changed = 0
    demo = Q(code__in=EXONYMS) | Q(code__regex=r"^[A-Z]{2}-[A-Z]{3}-[0-9]{2}")
    for territory in Territory.objects.filter(demo).order_by("code"):
        names = place_names(territory)
        if names:
            changed += keep_translations(territory, "en", names)
    return changed


# Spaces and organisations ----------------------------------------------------------------------
# The secretariat works in English and French: every space in the other language, by slug
# (name, summary; the description too when it is still the demo's). The labs of Brussels, Dakar
# and Marseille write in French (network/demo.py): theirs are in English.

SPACE_DESCRIPTION_EN = (
    "{summary}\n\nThis space gathers the people and organisations who take part. Members share "
    "news, prepare meetings and keep track of what was decided."
)
SPACE_DESCRIPTION_FR = (
    "{summary}\n\nCet espace réunit les personnes et les organisations qui y prennent part. Les "
    "membres y partagent des nouvelles, préparent les réunions et gardent la trace de ce qui a "
    "été décidé."
)

# slug: (language of the translation, name, summary, description or None for the demo's own)
SPACES: dict[str, tuple[str, str, str, str | None]] = {
    "fairville": (
        "fr",
        "Fairville",
        "Programme de recherche sur la coproduction dans les quartiers populaires, avec des labs "
        "dans sept villes.",
        None,
    ),
    "fairville-lab-athens": (
        "fr",
        "Fairville Lab Athènes",
        "Le lab Fairville d'Athènes : habitants, militants et chercheurs travaillent ensemble.",
        None,
    ),
    "fairville-lab-berlin": (
        "fr",
        "Fairville Lab Berlin",
        "Le lab Fairville de Berlin : habitants, militants et chercheurs travaillent ensemble.",
        None,
    ),
    "fairville-lab-cairo": (
        "fr",
        "Fairville Lab Le Caire",
        "Le lab Fairville du Caire : habitants, militants et chercheurs travaillent ensemble.",
        None,
    ),
    "fairville-lab-london": (
        "fr",
        "Fairville Lab Londres",
        "Le lab Fairville de Londres : habitants, militants et chercheurs travaillent ensemble.",
        None,
    ),
    "fairville-lab-brussels": (
        "en",
        "Fairville Lab Brussels",
        "The Fairville Lab in Brussels: residents, associations and researchers from Molenbeek "
        "and Anderlecht working together.",
        "The lab brings together residents of Molenbeek and Anderlecht, neighbourhood "
        "associations and researchers. Together they document access to housing and public "
        "services and prepare proposals for the municipalities.",
    ),
    "fairville-lab-dakar": (
        "en",
        "Fairville Lab Dakar",
        "The Fairville Lab in Dakar: residents of Pikine, associations and researchers facing "
        "floods and evictions.",
        "In Pikine, the neighbourhoods of Thiaroye and Guinaw Rail are flooded every rainy "
        "season. The lab maps the floods with the residents and defends their right to stay in "
        "the face of eviction plans.",
    ),
    "fairville-lab-marseille": (
        "en",
        "Fairville Lab Marseille",
        "The Fairville Lab in Marseille: residents, collectives and researchers of la Belle de "
        "Mai against substandard housing.",
        "In the 3rd arrondissement, the Belle de Mai collective and the lab's researchers map "
        "substandard housing, support tenants and co-design proposals with the city.",
    ),
    "dialogues-in-coproduction": (
        "fr",
        "Dialogues en coproduction",
        "Un cycle de séminaires publics en ligne sur la coproduction de villes justes.",
        None,
    ),
    "enabler-series": (
        "fr",
        "Série Enabler",
        "Les conditions qui permettent à une véritable coproduction de se développer.",
        None,
    ),
    "cities-of-equality": (
        "fr",
        "Partenariat Villes de l'égalité",
        "Des villes et leurs partenaires affinent leurs actions contre la ségrégation spatiale, "
        "pour l'inclusion sociale et l'égalité.",
        None,
    ),
    "cities-of-equality-drafting": (
        "fr",
        "Villes de l'égalité : salle de rédaction du plan d'action",
        "Là où les partenaires rédigent le plan d'action avant sa publication.",
        None,
    ),
    "commoning-peer-learning": (
        "fr",
        "Communs et innovation public-communautés : apprentissage entre pairs",
        "Un apprentissage entre pairs pour les gouvernements locaux et régionaux sur les communs "
        "et les services de base.",
        None,
    ),
    "eurocities-social-affairs": (
        "fr",
        "Forum Affaires sociales d'EUROCITIES",
        "Le forum du réseau de villes sur les affaires sociales, et ses groupes de travail.",
        None,
    ),
    "wg-creative-citizenship": (
        "fr",
        "GT Citoyenneté créative",
        "Une participation citoyenne qui compte et la co-construction des politiques locales.",
        None,
    ),
    "wg-smart-social-inclusion": (
        "fr",
        "GT Inclusion sociale et numérique",
        "Des outils numériques au service de l'inclusion sociale.",
        None,
    ),
    "wg-inclusion-through-education": (
        "fr",
        "GT L'inclusion par l'éducation",
        "Des autorités éducatives qui apprennent les unes des autres.",
        None,
    ),
}

# slug: (French name, French description); the organisations' own names where they have no
# French one.
ORGANISATIONS: dict[str, tuple[str, str]] = {
    "fairville": (
        "Consortium Fairville",
        "Un projet de recherche international (Horizon Europe, 2023-2026) sur les inégalités "
        "urbaines et la démocratie, qui travaille en **coproduction** avec des collectifs "
        "d'habitants de quartiers populaires. Huit labs Fairville à Athènes, Berlin, Bruxelles, "
        "au Caire, à Dakar, Londres et Marseille.",
    ),
    "public-interest-law-centre": (
        "Public Interest Law Centre",
        "Un soutien juridique aux habitants qui résistent aux expulsions.",
    ),
    "autonomy": (
        "Autonomy",
        "Un think tank indépendant sur l'avenir du travail et de l'économie.",
    ),
    "cnrs-paris-8": ("CNRS / Université Paris 8", "Sociologie urbaine et droit à la ville."),
    "anct": (
        "Agence nationale de la cohésion des territoires",
        "L'agence nationale française de la cohésion des territoires, coordinatrice du "
        "partenariat Villes de l'égalité.",
    ),
    "eukn": (
        "Réseau européen de connaissances urbaines (EUKN)",
        "Apporte aux villes et aux gouvernements des connaissances sur les politiques urbaines.",
    ),
    "uclg": (
        "Cités et gouvernements locaux unis (CGLU)",
        "L'organisation mondiale des gouvernements locaux et régionaux.",
    ),
    "gpr2c": (
        "Plateforme globale pour le droit à la ville",
        "Un réseau d'organisations pour le droit à la ville.",
    ),
    "eurocities": (
        "EUROCITIES",
        "Le réseau des grandes villes européennes, avec des groupes de travail sur les affaires "
        "sociales.",
    ),
    "civic-city": ("Civic City", "Architecture, urbanisme et inclusion sociale."),
    "comune-di-bologna": (
        "Comune di Bologna",
        "La « ville collaborative » de Bologne : plus de cinq cents pactes de collaboration pour "
        "les communs urbains, au titre de son règlement sur la collaboration civique.",
    ),
    "metropole-de-lyon": (
        "Métropole de Lyon",
        "Le Grand Lyon, 21e ville à s'engager pour le socle européen des droits sociaux.",
    ),
    "stad-antwerpen": ("Stad Antwerpen", "La ville d'Anvers."),
    "ville-de-toulouse": (
        "Mairie de Toulouse",
        "Toulouse : l'accès des Roms à un logement digne.",
    ),
    "glasgow-city-council": ("Glasgow City Council", "La ville de Glasgow."),
    "daejeon": ("Ville métropolitaine de Daejeon", "Hôte du Congrès mondial de CGLU."),
}


def translate_spaces_and_organisations() -> int:
    from cocity.network.models import Organisation, Space

    changed = 0
    for space in Space.objects.filter(slug__in=SPACES).order_by("pk"):
        language, name, summary, description = SPACES[space.slug]
        original = "fr" if language == "en" else "en"
        if description is None:
            own = SPACE_DESCRIPTION_EN.format(summary=space.summary)
            description = (
                SPACE_DESCRIPTION_FR.format(summary=summary) if space.description == own else ""
            )
        values = {"name": name, "summary": summary, "description": description}
        changed += keep_translations(space, original, {language: values})
    for org in Organisation.objects.filter(slug__in=ORGANISATIONS).order_by("pk"):
        name, description = ORGANISATIONS[org.slug]
        changed += keep_translations(org, "en", {"fr": {"name": name, "description": description}})
    return changed
