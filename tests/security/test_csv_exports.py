"""Every CSV download goes through cocity.core.csv: a spreadsheet formula planted in a cell, or
in a column name where people choose the header (event questions, insights group columns), comes
back as text; empty cells stay empty; numbers stay numbers."""

import pytest
from django.urls import reverse

from cocity.core.testing.surfaces import assert_defused
from cocity.core.testing.surfaces import csv_rows as _rows
from cocity.events import services as event_services
from cocity.events.models import Question
from cocity.insights import services as insights_services
from cocity.network.models import Role
from tests.commons import scenario
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    PactFactory,
    SpaceMembershipFactory,
    UserFactory,
    event_with_session,
    pledge_with_measures,
    process_in_phase,
)
from tests.insights.platform_helpers import grid_city

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example","x")'
HEADER_FORMULA = "@SUM(1+1)"


def test_plan_csv(client):
    process, _organiser = process_in_phase("collect")
    ActionFactory(process=process, title=FORMULA, deliverables="-report, +survey")
    rows = _rows(client.get(reverse("plans:plan_csv", args=[process.slug])))
    assert_defused(rows, FORMULA, "-report, +survey")
    assert rows[1][4] == "0"  # progress: a number


def test_campaign_csv(client):
    pledge = pledge_with_measures(organisation=OrganisationFactory(name=FORMULA))
    rows = _rows(client.get(reverse("pledges:campaign_export_csv", args=[pledge.campaign.slug])))
    assert_defused(rows, FORMULA)
    assert "" in rows[1]  # an empty field (no department) is an empty cell, not a lone '


def test_pacts_csv(client):
    w = scenario.world()
    PactFactory(commons=w.commons, title=FORMULA)
    assert_defused(_rows(client.get(reverse("commons:export_csv"))), FORMULA)


def test_registrants_csv_with_a_formula_question_and_e_mail(client):
    event, track = event_with_session()
    question = Question.objects.create(event=event, label=HEADER_FORMULA)
    person = UserFactory(display_name="+cmd|' /C calc'!A0", email="=x@example.org")
    event_services.registration_create(track=track, user=person, answers={str(question.pk): "-1+1"})
    organiser = UserFactory()
    SpaceMembershipFactory(space=event.space, user=organiser, role=Role.EDITOR)
    client.force_login(organiser)
    rows = _rows(client.get(reverse("events:registrants_csv", args=[event.slug])))
    assert rows[0][-1] == "'" + HEADER_FORMULA
    assert_defused(rows, HEADER_FORMULA, "+cmd|' /C calc'!A0", "=x@example.org", "-1+1")


def test_insights_units_csv_with_the_uploaders_column_names(client):
    city, hoods = grid_city(2, 1)
    column = "=cmd|' /C calc'!A0"
    text = 'code,"' + column + '",b,total\n'
    text += "".join(f"{hood.code},{n},5,20\n" for n, hood in enumerate(hoods, start=3))
    dataset = insights_services.dataset_import(
        city=city,
        name="Census",
        source="",
        year=2020,
        groups=[{"column": column, "label": "Group"}, {"column": "b", "label": "B"}],
        total_column="total",
        id_column="code",
        csv_text=text,
    )
    hoods[0].name = FORMULA
    hoods[0].save()
    rows = _rows(client.get(reverse("insights:dataset_csv", args=[dataset.pk])))
    assert "'" + column in rows[0]
    assert_defused(rows, column, FORMULA)
    assert rows[1][rows[0].index("'" + column)] == "3"  # counts stay numbers
