import socket

import pytest
from pytest_factoryboy import register

from tests import factories

register(factories.UserFactory)
register(factories.TerritoryFactory)
register(factories.TopicFactory)
register(factories.OrganisationFactory)
register(factories.OrganisationMembershipFactory)
register(factories.SpaceFactory)
register(factories.SpaceMembershipFactory)


@pytest.fixture(autouse=True)
def _no_outgoing_network(monkeypatch):
    """Tests are hermetic: any connection to a host other than this machine fails loudly."""
    real_connect = socket.socket.connect

    def guarded_connect(self, address):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "localhost", "::1")
            and "/" not in host
        ):
            raise RuntimeError(f"Tests must not reach the network (tried {address!r}).")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(autouse=True)
def _english_and_clean_cache(settings, request):
    """English, and an empty cache whose keys are this test's own: the page cache is on in the
    tests (settings/test.py), so nothing one test cached can answer another."""
    import uuid

    from django.core.cache import cache
    from django.utils import translation

    translation.activate("en")
    cache.clear()
    previous = cache.key_prefix
    cache.key_prefix = f"t{uuid.uuid4().hex[:12]}"
    yield
    cache.key_prefix = previous
    translation.deactivate()


@pytest.fixture
def assert_same_query_count(django_assert_num_queries, client, settings):
    """Render a page with few rows and with many: the number of queries must not change. It
    measures the rendering, so the page cache is off (a second visit would be a hit)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.COCITY_PAGE_CACHE = False

    def check(url: str, make_rows, few: int = 1, many: int = 50, client_=None):  # type: ignore[no-untyped-def]
        c = client_ or client
        make_rows(few)
        c.get(url)  # warm caches (sessions, content types)
        with CaptureQueriesContext(connection) as small:
            response = c.get(url)
        assert response.status_code == 200
        make_rows(many - few)
        c.get(url)  # warm again: the writes made the cached lists (filter choices) stale
        with CaptureQueriesContext(connection) as large:
            response = c.get(url)
        assert response.status_code == 200
        assert len(small) == len(large), (
            f"{url}: {len(small)} queries with {few} rows but {len(large)} with {many}:\n"
            + "\n".join(q["sql"] for q in large.captured_queries)
        )
        return len(large)

    return check


@pytest.fixture
def assert_query_budget(assert_same_query_count):
    """Render a page with N rows and with 10 x N rows: the number of queries must not change."""

    def check(url: str, make_rows, n: int = 3, client_=None):  # type: ignore[no-untyped-def]
        return assert_same_query_count(url, make_rows, few=n, many=10 * n, client_=client_)

    return check


register(factories.EventFactory)
register(factories.CampaignFactory)
register(factories.CommonsFactory)
register(factories.PactFactory)
register(factories.ProcessFactory)
register(factories.IdeaFactory)
register(factories.ActionFactory)


register(factories.LibraryItemFactory)


@pytest.fixture
def french(client):
    """The test client reading in French (the language cookie, as the switcher sets it)."""
    client.cookies["cocity_language"] = "fr"
    return client
