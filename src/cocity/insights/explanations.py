"""What each index on the insights pages means, for a city officer rather than a statistician.

One place for the texts: the city page's glossary, the comparison page and any later page read
them from here (``{% index_glossary %}`` in ``templatetags/insights.py``), so an index is
explained the same way everywhere. Each entry is (label, meaning, range, change): what the
figure says in plain words, the values it can take and what its ends mean, and how to read a
difference between two data sets. The keys are those of ``report.compute_report`` (one-group
and spatial indices as they are, multigroup indices prefixed ``multigroup_``), of the local
measures and of participation equity; ``ANCHOR`` gives each its id on the page.
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .selectors import MULTIGROUP_LABELS


class Explanation(NamedTuple):
    label: Promise
    meaning: Promise
    range: Promise
    change: Promise


SAME_DATA = _(
    "Compare only data sets with the same kind of areas and the same groups: smaller areas "
    "give higher values for the same city."
)

SINGLE_GROUP = {
    "dissimilarity": Explanation(
        _("Dissimilarity"),
        _(
            "The share of the group who would have to move to another area for every area to "
            "have the same share of the group as the whole city. The most used index of "
            "segregation."
        ),
        _(
            "From 0 (every area has the same mix) to 1 (complete separation: the group lives "
            "only in areas where nobody else lives). Above 0.6 is usually read as high, below "
            "0.3 as low."
        ),
        _(
            "A fall of 0.05 over ten years (from 0.45 to 0.40, say) means 5 in every 100 "
            "members of the group fewer would have to move: a modest but real change; few "
            "cities move by more than 0.1 in a decade."
        ),
    ),
    "gini": Explanation(
        _("Gini"),
        _(
            "How different the group's share is from one area to another, comparing every "
            "pair of areas (weighted by their population). It looks at all the differences, "
            "not only at which side of the city average an area is."
        ),
        _("From 0 (the same share in every area) to 1 (complete separation)."),
        _(
            "It is always at least the dissimilarity and moves with it; a change of 0.05 is "
            "of the same order as a change of 0.05 in dissimilarity."
        ),
    ),
    "entropy": Explanation(
        _("Entropy"),
        _(
            "How much less mixed the areas are, on average, than the city as a whole (the "
            "information theory index of the group against everyone else)."
        ),
        _(
            "From 0 (every area is as mixed as the city) to 1 (each area holds only the group "
            "or only the others)."
        ),
        _(
            "It is usually lower than the dissimilarity for the same city, so a change of "
            "0.02 to 0.05 already counts."
        ),
    ),
    "isolation": Explanation(
        _("Isolation"),
        _(
            "The share of the group in the area where an average member of the group lives: "
            "how much members of the group live among themselves."
        ),
        _(
            "From the group's share of the city (when the group is spread evenly) to 1 (its "
            "members live only among themselves)."
        ),
        _(
            "It rises when the group grows, even without any change in where people live: "
            "read it with the group's share of the city, or look at the correlation ratio."
        ),
    ),
    "exposure": Explanation(
        _("Exposure"),
        _(
            "The share of everyone else in the area where an average member of the group "
            "lives: how much members of the group live among others. With two sides it is 1 "
            "minus the isolation."
        ),
        _(
            "From 0 (members of the group never share an area with others) to the others' "
            "share of the city (when the group is spread evenly)."
        ),
        _(
            "A rise means more contact with others; like isolation, it also moves when the "
            "group's size changes."
        ),
    ),
    "atkinson": Explanation(
        _("Atkinson"),
        _(
            "Another measure of how unevenly the group is spread, computed here with a "
            "parameter of 0.5 that gives the same weight to areas where the group is scarce "
            "and to areas where it is concentrated."
        ),
        _("From 0 (the same share in every area) to 1 (complete separation)."),
        _(
            "Its values are usually smaller than the dissimilarity's: a change of 0.02 can "
            "matter. Compare only values computed with the same parameter."
        ),
    ),
    "correlation_ratio": Explanation(
        _("Correlation ratio"),
        _(
            "The isolation corrected for the size of the group: how much more the group's "
            "members live among themselves than they would if everyone were spread evenly."
        ),
        _("From 0 (no more than the city's mix) to 1 (complete separation)."),
        _(
            "Unlike isolation, it does not rise only because the group grows: a rise of 0.05 "
            "means the group lives noticeably more among itself."
        ),
    ),
    "spatial_dissimilarity": Explanation(
        _("Spatial dissimilarity"),
        _(
            "The dissimilarity minus the part due to differences between neighbouring areas "
            "(areas that share a border), since people mix across the street. It is lower "
            "when areas with many members of the group border areas with few."
        ),
        _(
            "At most the dissimilarity, usually between 0 and it; close to the dissimilarity "
            "when areas with different mixes lie far apart."
        ),
        _(
            "Read it beside the dissimilarity: a gap that widens means the group's areas sit "
            "closer to areas of others. It needs boundaries for every area."
        ),
    ),
    "spatial_proximity": Explanation(
        _("Spatial proximity"),
        _(
            "How close the members of each side live to each other, compared with how close "
            "everyone lives to everyone, using the distance between the areas' centres. It "
            "tells whether the group's areas form one cluster."
        ),
        _(
            "1 means no clustering; above 1, the members of the group (and the others) live "
            "closer to their own than to the rest; below 1 is rare."
        ),
        _(
            "It varies little: a change of 0.01 to 0.02 is already noticeable. It depends "
            "on the size of the areas, more than the other indices."
        ),
    ),
}

MULTIGROUP = {
    "multigroup_dissimilarity": Explanation(
        MULTIGROUP_LABELS["dissimilarity"],
        _(
            "The dissimilarity for all the groups at once: the share of people who would have "
            "to move for every area to have the city's mix of every group, relative to the "
            "most it could be."
        ),
        _("From 0 (every area has the same mix) to 1 (each area holds only one group)."),
        _(
            "A fall of 0.05 over ten years is a modest but real move towards mixed areas. Its "
            "p-value, when shown, says whether a difference this large could come by chance."
        ),
    ),
    "multigroup_gini": Explanation(
        MULTIGROUP_LABELS["gini"],
        _(
            "The Gini index for all the groups at once: how different each group's share is "
            "from one area to another, over every pair of areas."
        ),
        _("From 0 (the same mix everywhere) to 1 (each area holds only one group)."),
        _("It is at least the multigroup dissimilarity and moves with it."),
    ),
    "multigroup_information_theory": Explanation(
        MULTIGROUP_LABELS["information_theory"],
        _(
            "How much less mixed the areas are, on average, than the whole city, counting "
            "every group (Theil's H)."
        ),
        _("From 0 (every area is as mixed as the city) to 1 (each area holds only one group)."),
        _("Its values are usually small: a change of 0.02 to 0.05 already counts."),
    ),
    "multigroup_normalized_exposure": Explanation(
        MULTIGROUP_LABELS["normalized_exposure"],
        _(
            "How much more each group lives among itself than its share of the city would "
            "give, averaged over the groups (the correlation ratio for all groups)."
        ),
        _("From 0 (no more than the city's mix) to 1 (each area holds only one group)."),
        _("A rise of 0.05 means the groups live noticeably more apart."),
    ),
    "multigroup_relative_diversity": Explanation(
        MULTIGROUP_LABELS["relative_diversity"],
        _(
            "How much less varied the population of an average area is than the city's, "
            "measured by the chance that two neighbours belong to different groups."
        ),
        _("From 0 (every area as varied as the city) to 1 (each area holds only one group)."),
        _("Its values are usually small: a change of 0.02 to 0.05 already counts."),
    ),
    "multigroup_simpsons_interaction": Explanation(
        MULTIGROUP_LABELS["simpsons_interaction"],
        _(
            "The chance that two people drawn at random in the whole city belong to different "
            "groups. It describes how varied the city is, not where people live: it is not a "
            "measure of segregation."
        ),
        _(
            "From 0 (everyone in one group) to 1 minus 1 divided by the number of groups (every "
            "group the same size)."
        ),
        _(
            "It changes only when the sizes of the groups change (arrivals, departures, "
            "births), whatever happens between areas."
        ),
    ),
    "multigroup_simpsons_concentration": Explanation(
        MULTIGROUP_LABELS["simpsons_concentration"],
        _(
            "The chance that two people drawn at random in the whole city belong to the same "
            "group: 1 minus Simpson's interaction. Not a measure of segregation."
        ),
        _("From 1 divided by the number of groups (every group the same size) to 1."),
        _("It changes only when the sizes of the groups change."),
    ),
    "multigroup_diversity": Explanation(
        MULTIGROUP_LABELS["diversity"],
        _(
            "How varied the city's population is across the groups (the entropy of their "
            "shares). Not a measure of segregation."
        ),
        _(
            "From 0 (everyone in one group) to the natural logarithm of the number of groups "
            "(0.69 for two groups, 1.10 for three): every group the same size."
        ),
        _("It changes only when the sizes of the groups change."),
    ),
}

LOCAL = {
    "location_quotient": Explanation(
        _("Location quotient"),
        _(
            "For one area, the group's share of its population divided by the group's share "
            "of the city: whether the group is over- or under-represented there."
        ),
        _(
            "1 means the same share as the city; 2, twice the city's share; 0.5, half; 0, "
            "nobody of the group."
        ),
        _(
            "Compare an area with itself over time only when its boundary is the same; a "
            "move from 1.2 to 1.0 means the area now has the city's share."
        ),
    ),
    "local_entropy": Explanation(
        _("Local entropy"),
        _(
            "For one area, how mixed its population is across all the groups (including "
            "“rest of total” when the groups do not cover everyone)."
        ),
        _("From 0 (only one group lives there) to 1 (every group in the same number)."),
        _("A rise means the area is more mixed; a change of 0.05 is small, 0.2 is large."),
    ),
}

EQUITY = {
    "representation_ratio": Explanation(
        _("Representation ratio"),
        _(
            "For one neighbourhood, its share of the people taking part on the platform "
            "divided by its share of the residents."
        ),
        _(
            "1 means the neighbourhood takes part as much as its share of the population; "
            "below 1, less (0.5: half as much); above 1, more."
        ),
        _(
            "With few participants, the ratio jumps from month to month: figures from fewer "
            "than the minimum number of participants are not shown."
        ),
    ),
    "participation_dissimilarity": Explanation(
        _("Dissimilarity between participants and residents"),
        _(
            "The share of participants who would have to come from other neighbourhoods for "
            "participation to be spread across neighbourhoods like the population."
        ),
        _(
            "From 0 (participation spread like the population) to 1 (participants come "
            "entirely from neighbourhoods where nobody of the data set lives)."
        ),
        _(
            "A fall of 0.05 means participation reaches a little more evenly across the city; "
            "it moves fast when there are few participants."
        ),
    ),
}

COMPARISON = {
    "p_value": Explanation(
        _("p-value of a difference"),
        _(
            "The areas of both data sets are pooled and shared out at random between them many "
            "times; the p-value is how often these random pairs differ at least as much as "
            "the two data sets do. A small p-value means the difference is unlikely to come "
            "by chance alone."
        ),
        _(
            "From just above 0 to 1; it cannot go below 1 divided by the number of random "
            "draws plus one. Below 0.05 is usually read as a real difference."
        ),
        _(
            "It says whether there is a difference, not whether it is large: read it with the "
            "difference itself. Only data sets with the same groups get one."
        ),
    ),
}

SECTIONS = (
    (_("One group against everyone else"), SINGLE_GROUP),
    (_("All groups together"), MULTIGROUP),
    (_("Each area (the map)"), LOCAL),
    (_("Participation equity"), EQUITY),
    (_("Comparisons"), COMPARISON),
)

EXPLANATIONS: dict[str, Explanation] = {
    key: entry for _title, entries in SECTIONS for key, entry in entries.items()
}


def anchor(key: str) -> str:
    """The id of an index's explanation on the page ("about-dissimilarity")."""
    return "about-" + key.replace("_", "-")
