"""The library forms people type into, registered with the hostile-input corpus."""

from __future__ import annotations

from typing import Any

from cocity.core.testing.forms import FormCase, Scenario, register_form
from cocity.library.models import (
    ContactRequest,
    ItemTranslation,
    LibraryItem,
    PeerPost,
    ReviewComment,
)
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


def _item_value(scenario: Scenario, field: str) -> Any:
    item = _latest(LibraryItem)
    if field == "figures":  # "label | value | unit" lines
        return " ".join(f"{f.label} | {f.value} | {f.unit}" for f in item.figures.all())
    if field == "links":  # "address | title" lines
        return " ".join(f"{link.url} | {link.title}" for link in item.links.all())
    return getattr(item, field)


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
        fields=("title", "summary", "body", "cover_alt", "figures", "links"),
        stored=_item_value,
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


def _editor_reviewing() -> Scenario:
    scenario = _member()
    item = scenario.objects["item"]
    LibraryItem.objects.filter(pk=item.pk).update(status=LibraryItem.Status.IN_REVIEW)
    editor = UserFactory()
    SpaceMembershipFactory(space=scenario.objects["space"], user=editor, role=Role.EDITOR)
    return Scenario(user=editor, objects={**scenario.objects, "author": scenario.user})


def _asking_peer() -> Scenario:
    asker = _org_editor()
    answering = _org_editor()
    post = PeerPost.objects.create(
        organisation=answering.objects["organisation"], kind="offer", text="We can help."
    )
    return Scenario(
        user=asker.user,
        objects={**asker.objects, "post": post, "answerer": answering.user},
    )


register_form(
    FormCase(
        name="library review comment",
        url_name="library:item_review",
        url_kwargs=lambda s: {"pk": s.objects["item"].pk},
        setup=_editor_reviewing,
        data=lambda s: {"decision": "publish", "comment": "Well told."},
        fields=("comment",),
        stored=lambda s, field: getattr(_latest(ReviewComment), "body", None),
        rendered_at=lambda s: s.objects["item"].get_absolute_url(),
        viewer=lambda s: s.objects["author"],
    )
)
register_form(
    FormCase(
        name="library translation",
        url_name="library:item_translate",
        url_kwargs=lambda s: {"pk": s.objects["item"].pk},
        setup=_member,
        data=lambda s: {"language": "fr", "title": "Une pratique", "summary": "Résumé", "body": ""},
        fields=("title", "summary", "body"),
        stored=lambda s, field: getattr(_latest(ItemTranslation), field, None),
        # A draft: its author reads the translation on the item's page.
    )
)
register_form(
    FormCase(
        name="library contact request",
        url_name="library:contact_send",
        url_kwargs=lambda s: {"pk": s.objects["post"].pk},
        setup=_asking_peer,
        data=lambda s: {
            "from_organisation": s.objects["organisation"].pk,
            "to_organisation": s.objects["post"].organisation_id,
            "message": "Could we visit?",
        },
        fields=("message",),
        stored=lambda s, field: getattr(_latest(ContactRequest), field, None),
        # The organisation asked reads the message among its contact requests.
        rendered_at=lambda s: "/library/contacts/",
        viewer=lambda s: s.objects["answerer"],
    )
)
