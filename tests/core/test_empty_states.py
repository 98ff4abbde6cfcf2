"""List pages with nothing to show use the empty_state component (docs/design.md), with the one
next step there is: remove the filters, or create something when the viewer may."""

import re

import pytest
from django.urls import reverse

from tests.factories import process_in_phase

pytestmark = pytest.mark.django_db


def empty_state(html: str) -> str:
    """The empty state's markup, or fail when the page has none."""
    match = re.search(r'<div class="empty-state">(.*?)</div>', html, re.S)
    assert match, "no empty state on the page"
    return match.group(1)


def test_filtered_space_list_offers_to_remove_the_filters(client, space_factory):
    space_factory(name="Gardens")
    url = reverse("network:space_list")
    block = empty_state(client.get(url, {"q": "zeppelin"}).content.decode())
    assert "No space matches these filters." in block
    assert f'href="{url}"' in block and "Remove the filters" in block


def test_empty_space_list_offers_creation_only_to_who_may(client, admin_user):
    url = reverse("network:space_list")
    visitor = empty_state(client.get(url).content.decode())
    assert "No space yet." in visitor and "Create a space" not in visitor
    client.force_login(admin_user)
    staff = empty_state(client.get(url).content.decode())
    assert f'href="{reverse("network:space_create")}"' in staff


def test_idea_list_empty_states(client):
    process, organiser = process_in_phase("collect")
    url = reverse("plans:idea_list", args=[process.slug])
    filtered = empty_state(client.get(url, {"merged": "yes", "sort": "new"}).content.decode())
    assert "No idea matches these filters." in filtered and f'href="{url}"' in filtered
    client.force_login(organiser)
    unfiltered = empty_state(client.get(url, {"sort": "new"}).content.decode())
    assert "No idea yet." in unfiltered
    assert f'href="{reverse("plans:idea_create", args=[process.slug])}"' in unfiltered


def test_library_list_filtered_and_not(client, user_factory):
    url = reverse("library:item_list")
    filtered = empty_state(client.get(url, {"kind": "news"}).content.decode())
    assert "No item matches these filters." in filtered and "Remove the filters" in filtered
    client.force_login(user_factory())
    mine = empty_state(client.get(url).content.decode())
    assert f'href="{reverse("library:item_create")}"' in mine


def test_list_with_results_shows_no_empty_state(client, space_factory):
    space_factory(name="Gardens", visibility="public")
    html = client.get(reverse("network:space_list")).content.decode()
    assert "Gardens" in html and 'class="empty-state"' not in html


def test_data_table_is_a_named_keyboard_reachable_region(client, library_item_factory):
    """A table sits in a focusable region named by an element that is on the page."""
    from cocity.library.models import ItemFigure

    item = library_item_factory(status="published", space__visibility="public")
    ItemFigure.objects.create(item=item, label="Trees planted", value=120)
    html = client.get(item.get_absolute_url()).content.decode()
    region = re.search(
        r'<div class="table-region" role="region" aria-labelledby="([\w-]+)" tabindex="0">'
        r"<table[^>]*>\s*<caption[^>]*>([^<]+)</caption>",
        html,
    )
    assert region, "the figures table is not in a labelled region with a caption"
    assert f'id="{region.group(1)}"' in html
    assert '<th scope="row">Trees planted</th>' in html
