"""Who may do what in the library: members of a space draft, its editors review and publish.

One predicate per condition; ``tests/library/test_rules.py`` checks each role against each action.
"""

import rules

from cocity.accounts.types import Viewer
from cocity.network.rules import (
    can_view_space,
    is_org_editor,
    is_org_member,
    is_signed_in,
    is_space_editor,
    is_space_member,
    is_staff,
)

from .models import LibraryItem


@rules.predicate
def is_item_author(user: Viewer, item: LibraryItem) -> bool:
    return bool(user.is_authenticated and item is not None and item.author_id == user.pk)


@rules.predicate
def is_item_draft(user: Viewer, item: LibraryItem) -> bool:
    return item is not None and item.status == LibraryItem.Status.DRAFT


@rules.predicate
def is_item_in_review(user: Viewer, item: LibraryItem) -> bool:
    return item is not None and item.status == LibraryItem.Status.IN_REVIEW


@rules.predicate
def is_item_published(user: Viewer, item: LibraryItem) -> bool:
    return item is not None and item.status == LibraryItem.Status.PUBLISHED


@rules.predicate
def can_view_item_space(user: Viewer, item: LibraryItem) -> bool:
    return item is not None and can_view_space(user, item.space)


@rules.predicate
def is_item_space_member(user: Viewer, item: LibraryItem) -> bool:
    return item is not None and is_space_member(user, item.space)


@rules.predicate
def is_item_space_editor(user: Viewer, item: LibraryItem) -> bool:
    return item is not None and is_space_editor(user, item.space)


@rules.predicate
def is_post_org_editor(user: Viewer, post) -> bool:
    return post is not None and is_org_editor(user, post.organisation)


@rules.predicate
def is_contact_recipient(user: Viewer, contact) -> bool:
    return contact is not None and is_org_editor(user, contact.to_organisation)


@rules.predicate
def is_contact_pending(user: Viewer, contact) -> bool:
    return contact is not None and contact.status == "pending"


reviewer = is_item_space_editor | is_staff

# Items: the space argument for add_item, the item for everything else.
rules.add_perm("library.add_item", is_signed_in & (is_space_member | is_staff))
rules.add_perm(
    "library.view_item",
    (is_item_published & can_view_item_space) | is_item_author | reviewer,
)
rules.add_perm(
    "library.change_item",
    (is_item_author & is_item_draft & is_item_space_member) | reviewer,
)
rules.add_perm("library.submit_item", is_item_author & is_item_draft & is_item_space_member)
rules.add_perm("library.review_item", is_item_in_review & reviewer)
rules.add_perm("library.archive_item", is_item_published & reviewer)
rules.add_perm("library.comment_item", (is_item_author & is_item_space_member) | reviewer)

# Peer matching: the organisation argument for add_post, the post or the contact otherwise.
rules.add_perm("library.add_post", is_org_editor | is_staff)
rules.add_perm("library.change_post", is_post_org_editor | is_staff)
rules.add_perm("library.send_contact", is_signed_in)
rules.add_perm("library.answer_contact", is_contact_recipient & is_contact_pending)
rules.add_perm("library.use_organisation", is_org_member)
