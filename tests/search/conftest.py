import pytest

from cocity.library import services
from cocity.network.models import Role
from cocity.search.backends import get_backend, reset_backends


@pytest.fixture
def editorial(space_factory, space_membership_factory, user_factory):  # type: ignore[no-untyped-def]
    """A public space with a member (author) and an editor."""
    space = space_factory()
    author = user_factory()
    editor = user_factory()
    space_membership_factory(space=space, user=author, role=Role.MEMBER)
    space_membership_factory(space=space, user=editor, role=Role.EDITOR)
    return space, author, editor


@pytest.fixture
def publish():  # type: ignore[no-untyped-def]
    def _publish(*, author, editor, space, **fields):  # type: ignore[no-untyped-def]
        defaults = {"kind": "case_study", "title": "A practice", "summary": "Summary."}
        item = services.item_create(user=author, space=space, **{**defaults, **fields})
        services.item_submit(user=author, item=item)
        return services.item_publish(user=editor, item=item)

    return _publish


@pytest.fixture(params=["database", "tantivy"])
def search_backend(request, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each search backend in turn, so a test (the leak tests) runs against every one.

    Ask for it before the fixtures that write content (the outbox rows are written for the
    backend in use), and call ``indexer.apply_pending()`` after the writes: ``on_commit`` does
    not run in these tests, so nothing else feeds an index the database does not hold."""
    settings.COCITY_SEARCH_BACKEND = request.param
    settings.COCITY_SEARCH_DIR = tmp_path / "search"
    reset_backends()
    backend = get_backend()
    yield backend
    if backend.uses_outbox:
        backend.reset()
    reset_backends()
