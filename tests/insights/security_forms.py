"""The insights forms people type into, registered with the hostile-input corpus."""

from __future__ import annotations

import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from cocity.core.testing.forms import FormCase, Scenario, register_form
from cocity.insights.models import DataSet
from tests.factories import OrganisationFactory, OrganisationMembershipFactory

from .platform_helpers import ROWS, counts_csv, grid_city

_made = itertools.count(1)


def _city_editor() -> Scenario:
    city, hoods = grid_city(2, 1, code=f"FR-S{next(_made)}")
    org = OrganisationFactory(home_territory=city)
    user = OrganisationMembershipFactory(organisation=org, role="editor").user
    return Scenario(user=user, objects={"city": city, "hoods": hoods})


register_form(
    FormCase(
        name="insights data set",
        url_name="insights:dataset_create",
        url_kwargs=lambda s: {"code": s.objects["city"].code},
        setup=_city_editor,
        data=lambda s: {
            "name": "Census",
            "source": "INSEE",
            "year": "2020",
            "groups": "a = Group A\nb = Group B",
            "total_column": "total",
            "id_column": "code",
            "id_property": "code",
            "counts": SimpleUploadedFile(
                "counts.csv", counts_csv(s.objects["hoods"], ROWS[:2]).encode(), "text/csv"
            ),
        },
        fields=("name", "source"),
        stored=lambda s, field: getattr(DataSet.objects.order_by("-pk").first(), field),
    )
)
