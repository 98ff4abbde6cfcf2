"""The library forms people type into, registered with the hostile-input corpus."""

from __future__ import annotations

from cocity.core.testing.forms import FormCase, Scenario, register_form
from cocity.library.models import LibraryItem, PeerPost, ReviewComment
from cocity.network.models import Role
from tests.factories import (
    LibraryItemFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
)


def _member() -> Scenario:
    space = SpaceFactory()
    user = UserFactory()
    SpaceMembershipFactory(space=space, user=user, role=Role.EDITOR)
    item = LibraryItemFactory(space=space, author=user)
    return Scenario(user=user, objects={"space": space, "item": item})


def _org_editor() -> Scenario:
    organisation = OrganisationFactory()
    user = UserFactory()
    OrganisationMembershipFactory(organisation=organisation, user=user, role=Role.EDITOR)
    return Scenario(user=user, objects={"organisation": organisation})


def _latest(model):  # type: ignore[no-untyped-def]
    return model.objects.order_by("-pk").first()


register_form(
    FormCase(
        name="library item",
        url_name="library:item_create",
        setup=_member,
        data=lambda s: {
            "space": s.objects["space"].pk,
            "kind": "case_study",
            "title": "A practice",
            "summary": "Summary",
            "body": "Text",
            "language": "en",
        },
        fields=("title", "summary", "body"),
        stored=lambda s, field: getattr(_latest(LibraryItem), field),
    )
)
register_form(
    FormCase(
        name="library comment",
        url_name="library:item_comment",
        url_kwargs=lambda s: {"pk": s.objects["item"].pk},
        setup=_member,
        data=lambda s: {"body": "A comment"},
        fields=("body",),
        rendered_at=lambda s: s.objects["item"].get_absolute_url(),
        stored=lambda s, field: getattr(_latest(ReviewComment), field),
    )
)
register_form(
    FormCase(
        name="library need",
        url_name="library:post_create",
        setup=_org_editor,
        data=lambda s: {
            "organisation": s.objects["organisation"].pk,
            "kind": "need",
            "text": "How do cities do this?",
        },
        fields=("text",),
        stored=lambda s, field: getattr(_latest(PeerPost), field),
    )
)
