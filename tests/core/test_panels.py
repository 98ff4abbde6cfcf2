"""The related-panels registry (``cocity.core.panels``): an app shows its panel on the pages of
another app's objects without either naming the other, and the pages render without it when
the contributing app is absent."""

import pytest
from django.template import Context, Template, engines
from django.template.loaders.locmem import Loader
from django.urls import reverse

from cocity.core import panels
from cocity.pledges import services as pledge_services
from tests.factories import (
    ActionFactory,
    EventFactory,
    LibraryItemFactory,
    ProcessFactory,
    pledge_with_measures,
)

pytestmark = pytest.mark.django_db

PLEDGES = "pledges.linked_measures"


@pytest.fixture
def linked():
    """An event, a library item and an action, each linked to a measure of a published pledge."""
    process = ProcessFactory()
    pledge = pledge_with_measures(amounts=("10", "20", "30"))
    objects = {
        "event": EventFactory(title="Winter dialogue"),
        "library": LibraryItemFactory(status="published"),
        "action": ActionFactory(process=process, title="Peer exchange"),
    }
    for measure, (kind, obj) in zip(pledge.measures.all(), objects.items(), strict=True):
        pledge_services.link_add(measure=measure, kind=kind, url=obj.get_absolute_url())
    return objects, process, pledge


@pytest.fixture
def without_pledges():
    removed = panels.unregister(PLEDGES)
    assert removed is not None  # pledges registered its panel through CoreConfig.ready()
    yield
    panels.register(removed)


def _pages(objects, process):
    return [obj.get_absolute_url() for obj in objects.values()] + [
        reverse("plans:plan", args=[process.slug])
    ]


def test_pledges_contributes_its_panel_to_the_other_apps_pages(client, linked):
    objects, process, pledge = linked
    for url in _pages(objects, process):
        response = client.get(url)
        assert response.status_code == 200
        assert "Linked pledges" in response.content.decode(), url
        assert pledge.title in response.content.decode()


def test_the_pages_render_without_the_panel_when_pledges_is_absent(client, linked, without_pledges):
    objects, process, pledge = linked
    for url in _pages(objects, process):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Linked pledges" not in html and pledge.title not in html


def test_panels_render_in_registration_order_and_skip_those_with_nothing_to_show(
    without_pledges,
):
    event = EventFactory(title="Harbour walk")
    shown = panels.RelatedPanel(
        key="tests.shown",
        models=("events.Event",),
        template="tests/panel.html",
        context=lambda obj: {"title": obj.title},
    )
    empty = panels.RelatedPanel(
        key="tests.empty", models=("events.Event",), template="missing.html", context=lambda o: None
    )
    other = panels.RelatedPanel(
        key="tests.other",
        models=("library.LibraryItem",),
        template="missing.html",
        context=lambda o: {},
    )
    for panel in (shown, empty, other):
        panels.register(panel)
    try:
        assert panels.panels_for(event) == [shown, empty]
        assert panels.panels_for("not a model") == []
        engine = engines["django"].engine
        engine.template_loaders.append(Loader(engine, {"tests/panel.html": "<p>{{ title }}</p>"}))
        try:
            html = Template("{% load cocity %}{% related_panels event %}").render(
                Context({"event": event})
            )
        finally:
            engine.template_loaders.pop()
        assert html == "<p>Harbour walk</p>"
    finally:
        for key in ("tests.shown", "tests.empty", "tests.other"):
            panels.unregister(key)
