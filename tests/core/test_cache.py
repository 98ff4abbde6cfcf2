"""The shared page cache for anonymous visitors (cocity.core.cache): fresh right after every
write, never for signed-in people, one CSRF token per visitor, separate entries per language,
time zone and htmx fragment."""

import re
from unittest.mock import patch

import pytest
from django.test import Client
from django.urls import reverse

from cocity.core import cache as page_cache
from cocity.core.cache import (
    CSRF_PLACEHOLDER,
    bump_cache_versions,
    cached,
    namespace_versions,
    rows_changed,
)
from cocity.network.models import Organisation, Space, Territory
from cocity.network.services import organisations as organisation_services
from cocity.network.services import spaces as space_services
from cocity.network.services import territories as territory_services
from tests.admin_forms import admin_form_data
from tests.factories import (
    OrganisationFactory,
    SpaceFactory,
    TerritoryFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.COCITY_PAGE_CACHE = True


def _token(response) -> str:  # type: ignore[no-untyped-def]
    found = TOKEN.findall(response.content)
    assert found, "no CSRF token in the page"
    assert len(set(found)) == 1
    return found[0].decode()


def test_a_second_visit_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    SpaceFactory(name="Riverside Partnership")
    assert b"Riverside Partnership" in client.get("/spaces/").content
    with django_assert_num_queries(0):
        response = Client().get("/spaces/")
    assert b"Riverside Partnership" in response.content
    assert CSRF_PLACEHOLDER.encode() not in response.content


def test_without_a_signal_the_cached_page_stays(client):
    """Proves the tests below measure the invalidation, not an uncached page: a write that
    sends no signal (``QuerySet.update()``) and calls no ``rows_changed`` bumps nothing."""
    space = SpaceFactory(name="First Space")
    client.get("/spaces/")
    Space.objects.filter(pk=space.pk).update(name="Written Behind The Table")
    assert b"Written Behind The Table" not in client.get("/spaces/").content


def test_space_pages_change_right_after_a_space_is_created_or_edited(client):
    creator = UserFactory()
    for path in ("/", "/spaces/"):
        assert b"Harbour Lab" not in client.get(path).content
    space = space_services.space_create(creator=creator, name="Harbour Lab", kind="lab")
    for path in ("/", "/spaces/"):
        assert b"Harbour Lab" in client.get(path).content
    page = space.get_absolute_url()
    assert b"Harbour Lab" in client.get(page).content
    space_services.space_update(space=space, actor=creator, name="Harbour Studio")
    assert b"Harbour Studio" in client.get(page).content
    assert b"Harbour Studio" in client.get("/spaces/").content


def test_member_counts_change_right_after_someone_joins(client):
    creator = UserFactory()
    space = space_services.space_create(
        creator=creator, name="Open Space", kind="lab", join_policy=Space.JoinPolicy.OPEN
    )
    assert b"1 member<" in client.get("/spaces/").content
    space_services.space_join(space=space, user=UserFactory())
    assert b"2 members<" in client.get("/spaces/").content


def test_organisation_pages_change_right_after_a_write(client):
    creator = UserFactory()
    assert b"Tenants Union" not in client.get("/organisations/").content
    organisation = organisation_services.organisation_create(
        creator=creator, name="Tenants Union", kind=Organisation.Kind.CIVIL_SOCIETY
    )
    assert b"Tenants Union" in client.get("/organisations/").content
    page = organisation.get_absolute_url()
    assert b"Renters" not in client.get(page).content
    organisation_services.organisation_update(
        organisation=organisation,
        name="Tenants Union",
        kind=Organisation.Kind.CIVIL_SOCIETY,
        home_territory=None,
        website="",
        description="Renters together.",
        logo_alt="",
    )
    assert b"Renters together." in client.get(page).content


def test_place_pages_change_right_after_a_territory_is_created_or_renamed(client):
    assert b"Atlantis" not in client.get("/places/").content
    country = territory_services.territory_create(name="Atlantis", code="AT", kind="country")
    assert b"Atlantis" in client.get("/places/").content
    page = country.get_absolute_url()
    assert b"Atlantis" in client.get(page).content
    territory_services.territory_update(territory=country, name="Lemuria")
    assert b"Lemuria" in client.get(page).content
    assert b"Lemuria" in client.get("/places/").content


def test_admin_saves_and_shell_deletions_change_the_page(client, admin_client):
    space = SpaceFactory(name="Admin Edited")
    client.get("/spaces/")
    url = reverse("admin:network_space_change", args=[space.pk])
    response = admin_client.post(url, admin_form_data(admin_client, url, name="Renamed"))
    assert response.status_code == 302
    assert b"Renamed" in client.get("/spaces/").content
    Space.objects.filter(pk=space.pk).delete()  # the shell: a deletion sends its signal too
    assert b"Renamed" not in client.get("/spaces/").content


def test_signed_in_people_never_get_a_cached_page(client):
    space = SpaceFactory(name="Before")
    anonymous = Client()
    person = UserFactory()
    anonymous.get("/spaces/")
    client.force_login(person)
    # No signal, no bump: only an uncached render can show it.
    Space.objects.filter(pk=space.pk).update(name="Written Later")
    assert b"Written Later" not in anonymous.get("/spaces/").content
    response = client.get("/spaces/")
    assert b"Written Later" in response.content
    assert person.public_name.encode() in response.content
    # ... and what they see is not stored for anyone else.
    assert person.public_name.encode() not in anonymous.get("/spaces/").content


def test_each_anonymous_visitor_gets_a_working_csrf_token_of_their_own():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one, page_two = first.get("/spaces/"), second.get("/spaces/")  # the second: cached
    token_one, token_two = _token(page_one), _token(page_two)
    assert token_one != token_two
    assert CSRF_PLACEHOLDER.encode() not in page_two.content
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert f'"X-CSRFToken": "{token_two}"'.encode() in page_two.content
    for visitor, token in ((first, token_one), (second, token_two)):
        response = visitor.post(
            "/i18n/setlang/", {"language": "fr", "next": "/spaces/", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
    refused = second.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": "x" * 64}
    )
    assert refused.status_code == 403


def test_htmx_fragments_are_cached_apart_from_full_pages(client):
    SpaceFactory(name="Fragment Space")
    page = client.get("/spaces/")
    fragment = client.get("/spaces/", headers={"HX-Request": "true"})
    again = client.get("/spaces/")
    assert b"<html" in page.content and b"<html" in again.content
    assert b"<html" not in fragment.content
    assert b"Fragment Space" in fragment.content
    assert "HX-Request" in fragment.headers["Vary"] and "HX-Request" in again.headers["Vary"]


def test_french_and_english_are_cached_apart(client):
    SpaceFactory()
    english = client.get("/spaces/")
    client.cookies["cocity_language"] = "fr"
    french = client.get("/spaces/")
    assert b'<html lang="en"' in english.content
    assert b'<html lang="fr"' in french.content
    del client.cookies["cocity_language"]
    assert b'<html lang="en"' in client.get("/spaces/").content


def test_time_zones_are_cached_apart(client):
    client.get("/")
    client.cookies["cocity_tz"] = "Asia/Seoul"
    assert b"Asia/Seoul" in client.get("/").content


def test_pending_messages_and_errors_are_not_cached(client):
    assert client.get("/spaces/no-such-space/").status_code == 404
    TerritoryFactory(name="Ruritania", code="RU")
    assert client.get("/places/ru/").status_code == 301  # a redirect is not stored either
    assert client.get("/places/RU/").status_code == 200


def test_cached_lists_follow_their_namespace():
    calls: list[int] = []

    def compute() -> list[int]:
        calls.append(1)
        return [len(calls)]

    assert cached(("network",), "test-list", compute) == [1]
    assert cached(("network",), "test-list", compute) == [1]
    bump_cache_versions("network")
    assert cached(("network",), "test-list", compute) == [2]


def test_filter_suggestions_list_the_busiest_organisations_and_cities(client):
    country = TerritoryFactory(name="Country", code="CC")
    city = TerritoryFactory(name="Busy City", code="CC-BUSY", kind="city", parent=country)
    quiet = TerritoryFactory(name="Quiet City", code="CC-QUIET", kind="city", parent=country)
    owner = OrganisationFactory(name="Busy Owner", slug="busy-owner")
    for _ in range(3):
        SpaceFactory(territory=city).organisations.add(owner)
    SpaceFactory(territory=quiet)
    content = client.get("/spaces/").content.decode()
    datalists = re.findall(r'<datalist id="id_\w+-suggestions">(.*?)</datalist>', content)
    assert len(datalists) == 2
    assert '<option value="busy-owner">Busy Owner</option>' in datalists[0]
    assert datalists[1].index("CC-BUSY") < datalists[1].index("CC-QUIET")
    # Picked by code or typed by name: the same filter.
    by_code = client.get("/spaces/", {"city": "CC-QUIET"}).content
    by_name = client.get("/spaces/", {"city": "quiet city"}).content
    assert by_code.count(b'class="card"') == by_name.count(b'class="card"') == 1
    assert Territory.objects.filter(code="CC-QUIET").exists()


def test_a_hit_from_the_middleware_answers_like_a_rendered_page(client, django_assert_num_queries):
    SpaceFactory(name="Headers Space")
    rendered = client.get("/spaces/")
    with django_assert_num_queries(0):
        hit = client.get("/spaces/")
    assert hit.content.replace(_token(hit).encode(), b"") == rendered.content.replace(
        _token(rendered).encode(), b""
    )
    for header in ("Content-Security-Policy", "X-Frame-Options", "Vary", "Content-Type"):
        assert hit.headers[header] == rendered.headers[header], header
    assert "csrftoken" in hit.cookies


def test_anonymous_visitors_with_a_session_are_served_by_the_view_and_stay_fresh(client):
    SpaceFactory(name="Session One")
    client.get("/spaces/")
    with_session = Client()
    with_session.cookies["sessionid"] = "not-a-real-session"
    assert b"Session One" in with_session.get("/spaces/").content
    space_services.space_create(
        name="Session Two", kind=Space.Kind.PARTNERSHIP, creator=UserFactory()
    )
    for visitor in (client, with_session):
        assert b"Session Two" in visitor.get("/spaces/").content


def test_an_unknown_time_zone_cookie_gets_the_default_page(client):
    client.cookies["cocity_tz"] = "Not/A_Zone"
    response = client.get("/")
    assert response.status_code == 200
    assert b"Not/A_Zone" not in response.content


def test_pages_without_the_decorator_are_never_stored(client, monkeypatch):
    from cocity.core import cache as page_cache

    stored: list[str] = []
    real_set = page_cache.cache.set
    monkeypatch.setattr(
        page_cache.cache, "set", lambda key, *a, **kw: stored.append(key) or real_set(key, *a, **kw)
    )
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/spaces/").status_code == 200
    pages = [key for key in stored if key.startswith("cocity:fastpage:")]
    assert len(pages) == 1  # the spaces directory only


# The table: model signals ----------------------------------------------------------------------


def test_a_profile_edit_or_an_account_deletion_renames_the_author_on_cached_pages_at_once(client):
    from cocity.accounts import services as account_services
    from tests.factories import IdeaFactory, process_in_phase

    process, _ = process_in_phase("collect")
    author = UserFactory(display_name="Amina Before")
    idea = IdeaFactory(process=process, author=author)
    url = reverse("plans:idea_detail", args=[process.slug, idea.pk])
    assert b"Amina Before" in client.get(url).content
    account_services.profile_update(
        user=author,
        display_name="Amina After",
        bio="",
        languages=[],
        time_zone="",
        home_city=None,
        home_neighbourhood=None,
    )
    assert b"Amina After" in client.get(url).content
    account_services.account_delete(user=author, confirm_email=author.email)
    page = client.get(url).content
    assert b"Amina After" not in page and b"Former member" in page


def test_a_login_changes_no_cached_page(client):
    from django.contrib.auth.models import update_last_login

    person = UserFactory()
    before = namespace_versions(("network",))
    update_last_login(None, person)  # what every login does: save(update_fields=["last_login"])
    assert namespace_versions(("network",)) == before
    person.display_name = "Someone Else"
    person.save(update_fields=["display_name"])
    assert namespace_versions(("network",)) != before


def test_linking_rows_many_to_many_bumps_the_namespace_of_the_declaring_model():
    space, topic = SpaceFactory(), TopicFactory()
    before = namespace_versions(("network",))
    space.topics.add(topic)
    after_add = namespace_versions(("network",))
    assert after_add != before
    space.topics.clear()
    assert namespace_versions(("network",)) != after_add


def test_rows_changed_bumps_what_the_rows_appear_on_for_writes_without_signals():
    space = SpaceFactory()
    before = namespace_versions(("network",))
    Space.objects.filter(pk=space.pk).update(name="Bulk")
    assert namespace_versions(("network",)) == before
    rows_changed(Space)
    assert namespace_versions(("network",)) != before


def test_a_write_bumps_now_and_once_more_on_commit_however_many_rows(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        for _ in range(5):
            SpaceFactory()
        inside = namespace_versions(("network",))
    # Bumped during the transaction (the writer reads its own writes)...
    assert inside
    # ... and each callback (one per write) runs after the commit: the first bumps "network"
    # once more, the later ones have nothing to add.
    assert len(callbacks) >= 5
    sets: list[dict[str, object]] = []
    real = page_cache.cache.set_many
    with patch.object(
        page_cache.cache, "set_many", lambda d, *a, **k: sets.append(d) or real(d, *a, **k)
    ):
        for callback in callbacks:
            callback()
    network_key = "cocity:version:network"
    assert sum(network_key in d for d in sets) == 1
    assert namespace_versions(("network",)) != inside


def test_every_model_of_the_table_is_a_real_model_with_namespaces():
    from cocity.core.cache import cached_models

    table = cached_models()
    assert table, "the cache table is empty: is CoreConfig.ready() connecting it?"
    for model, namespaces in table.items():
        assert namespaces, model
