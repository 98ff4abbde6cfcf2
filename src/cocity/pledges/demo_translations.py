"""People's translations of the demo's pledges campaign (``pledges/demo.py``): EUROCITIES
published "Inclusive Cities for All" in English and French, so the campaign, every city's pledge
and its measures are kept in French (the framework, the European Pillar of Social Rights, ships
with its official French text: ``frameworks_data.py``). The pledging cities' names in every
language come with the network's places (``network/demo_translations.py``)."""

from __future__ import annotations

from cocity.core.demo import keep_translations
from cocity.network.demo_translations import EXONYMS, LANGUAGES

from .models import Campaign, Measure, Pledge

CAMPAIGN = {
    "name": "Des villes inclusives pour toutes et tous : les droits sociaux dans ma ville",
    "summary": "21 villes, qui représentent plus de 20 millions d'habitants, s'engagent à "
    "investir 4,32 milliards d'euros sur cinq ans pour mettre en œuvre le socle européen des "
    "droits sociaux.",
    "description": "Lancée par EUROCITIES au Parlement européen en février 2019. Chaque ville "
    "s'engage sur des investissements dédiés à des mesures municipales contre la pauvreté et "
    "l'exclusion sociale, et rend compte de leur avancement.",
}

LYON_PLEDGE = {
    "title": "Lyon : emploi, égalité femmes-hommes et inclusion sociale",
    "statement": "Le Grand Lyon est la **21e ville** à s'engager pour le socle européen des "
    "droits sociaux. La Métropole s'engage à soutenir l'**emploi**, l'**égalité entre les "
    "femmes et les hommes** et l'**inclusion sociale**, avec trois mesures et des rapports "
    "d'avancement publics.",
}
LYON_MEASURES = [
    "Retour à l'emploi : un accompagnateur pour chaque demandeur d'emploi de longue durée au "
    "RSA, avec des employeurs de la métropole engagés à recruter",
    "Égalité professionnelle : audits d'égalité salariale, places en crèche pour les parents en "
    "formation et mentorat pour les créatrices d'entreprise",
    "Inclusion sociale : un guichet unique des droits sociaux dans chaque quartier, et des "
    "équipes qui vont vers les personnes qui ne les font pas valoir",
]


def _city(pledge: Pledge) -> tuple[str, str]:
    """The pledging city's name as the demo wrote it (English) and in French."""
    territory = pledge.organisation.home_territory
    if territory is None:
        return pledge.organisation.name, pledge.organisation.name
    names = dict(zip(LANGUAGES, EXONYMS.get(territory.code, ()), strict=False))
    return territory.name, names.get("fr", territory.name)


def translate_campaign(campaign: Campaign) -> int:
    changed = keep_translations(campaign, "en", {"fr": CAMPAIGN})
    pledges = campaign.pledges.select_related("organisation__home_territory")
    for pledge in pledges.order_by("pk"):
        city, ville = _city(pledge)
        measures = list(pledge.measures.order_by("position", "pk"))
        if pledge.title == f"{city}: social rights in my city":
            values = {
                "title": f"{ville} : les droits sociaux dans ma ville",
                "statement": f"{ville} s'engage à investir dans les principes du socle européen "
                "des droits sociaux énumérés ci-dessous au cours des cinq prochaines années.",
            }
            texts = [
                _first_measure(campaign, measures[0], city, ville) if measures else "",
                f"Aller vers les personnes qui ne font pas valoir leurs droits ({ville})",
            ]
        elif pledge.title.startswith("Lyon:"):
            values, texts = LYON_PLEDGE, LYON_MEASURES
        else:
            continue
        changed += keep_translations(pledge, "en", {"fr": values})
        for measure, text in zip(measures, texts, strict=False):
            if text:
                changed += keep_translations(measure, "en", {"fr": {"description": text}})
    return changed


def _first_measure(campaign: Campaign, measure: Measure, city: str, ville: str) -> str:
    """ "<principle>: city programme (<city>)" with the principle's official French name."""
    label = measure.description.removesuffix(f": city programme ({city})")
    if label == measure.description:
        return ""
    item = campaign.framework.items.filter(name=label).first()
    french = ((item.translations or {}).get("fr", {}).get("name") if item else None) or (
        "droits sociaux" if label == "social rights" else label
    )
    return f"{french} : programme municipal ({ville})"
