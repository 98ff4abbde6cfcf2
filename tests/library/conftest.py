import pytest

from cocity.library import services
from cocity.network.models import Role


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
