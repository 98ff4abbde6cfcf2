"""The pledges demo links Lyon's measures to a demo event, library item and action, building
those apps' demos first when it runs before them, and adds each link once."""

import pytest

from cocity.network import demo as network_demo
from cocity.pledges import demo
from cocity.pledges.models import MeasureLink

pytestmark = pytest.mark.django_db


def test_lyons_measures_link_to_a_demo_event_library_item_and_action(client) -> None:
    network_demo.build()
    demo.build()  # before the plans and library demos, as in `cocity demo-data`
    links = MeasureLink.objects.filter(measure__pledge__organisation__slug=demo.LYON)
    made = {link.kind: link for link in links.select_related("event", "library_item", "action")}
    assert set(made) == {"other", "event", "library", "action"}
    assert made["event"].event.slug == "study-visit-toulouse-roma-housing-2019"
    assert made["action"].action.title == "Co-governance with vulnerable communities"
    before = sorted(links.values_list("pk", flat=True))
    demo.build()
    assert sorted(links.values_list("pk", flat=True)) == before
    html = client.get(made["event"].event.get_absolute_url()).content.decode()
    assert "Linked pledges" in html and "Lyon: employment" in html
