import pytest

from cocity.api.services import token_create


@pytest.fixture
def token_for():  # type: ignore[no-untyped-def]
    """A token's secret for this person with these scopes (default: read)."""

    def make(user, *scopes, name="script"):  # type: ignore[no-untyped-def]
        _token, secret = token_create(user=user, name=name, scopes=scopes or ("read",))
        return secret

    return make


@pytest.fixture
def api_get(client):  # type: ignore[no-untyped-def]
    def get(path, token=None, **headers):  # type: ignore[no-untyped-def]
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client.get("/api/v1" + path, **headers)

    return get


@pytest.fixture(autouse=True)
def _answers_computed(settings):  # type: ignore[no-untyped-def]
    """Every request computes its answer (the query counts and per-viewer checks measure the
    endpoint, not the answers kept under their ETag); the test of that cache turns it on."""
    settings.COCITY_API_BODY_CACHE = False
