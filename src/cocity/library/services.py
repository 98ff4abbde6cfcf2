"""Every write in the library: one function per use case, in a transaction, nothing written when
anything is invalid. The search index is updated in the same transaction."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cocity.accounts.types import Actor
from cocity.core import uploads
from cocity.core.cache import rows_changed
from cocity.core.mail import queue_templated_email
from cocity.network.models import Organisation, Space, Territory, Topic
from cocity.participation import services as participation
from cocity.search import index

from .models import (
    ContactRequest,
    ItemAttachment,
    ItemFigure,
    ItemLink,
    ItemTranslation,
    LibraryItem,
    PeerPost,
    ReviewComment,
)


@dataclass(frozen=True)
class Figure:
    label: str
    value: Decimal
    unit: str = ""


@dataclass(frozen=True)
class Link:
    url: str
    title: str


def _require(user: Actor, perm: str, obj: Any) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this."))


def _set_details(
    item: LibraryItem,
    *,
    topics: Iterable[Topic],
    territories: Iterable[Territory],
    organisations: Iterable[Organisation],
    figures: Sequence[Figure],
    links: Sequence[Link],
) -> None:
    if figures and not item.has_figures:
        raise ValidationError(
            {"figures": _("Figures belong to case studies, policy examples, news and toolkits.")}
        )
    new_figures = [
        ItemFigure(item=item, label=f.label, value=f.value, unit=f.unit, position=i)
        for i, f in enumerate(figures)
    ]
    new_links = [
        ItemLink(item=item, url=ln.url, title=ln.title, position=i) for i, ln in enumerate(links)
    ]
    for row in (*new_figures, *new_links):
        row.full_clean(exclude=["item"])
    item.topics.set(list(topics))
    item.territories.set(list(territories))
    item.organisations.set(list(organisations))
    item.figures.all().delete()
    ItemFigure.objects.bulk_create(new_figures)
    item.links.all().delete()
    ItemLink.objects.bulk_create(new_links)


@transaction.atomic
def item_create(
    *,
    user: Actor,
    space: Space,
    kind: str,
    title: str,
    summary: str,
    body: str = "",
    language: str = "en",
    published_on: date | None = None,
    topics: Iterable[Topic] = (),
    territories: Iterable[Territory] = (),
    organisations: Iterable[Organisation] = (),
    figures: Sequence[Figure] = (),
    links: Sequence[Link] = (),
    cover: Any = None,
    cover_alt: str = "",
) -> LibraryItem:
    _require(user, "library.add_item", space)
    if cover:
        uploads.check_upload(cover, (uploads.IMAGE,), field="cover")
    item = LibraryItem(
        space=space,
        kind=kind,
        title=title,
        summary=summary,
        body=body,
        language=language,
        published_on=published_on,
        cover=cover or "",
        cover_alt=cover_alt,
        author=user,
    )
    item.full_clean()
    item.save()
    _set_details(
        item,
        topics=topics,
        territories=territories,
        organisations=organisations,
        figures=figures,
        links=links,
    )
    return item


@transaction.atomic
def item_update(
    *,
    user: Actor,
    item: LibraryItem,
    kind: str,
    title: str,
    summary: str,
    body: str,
    language: str,
    published_on: date | None,
    topics: Iterable[Topic] = (),
    territories: Iterable[Territory] = (),
    organisations: Iterable[Organisation] = (),
    figures: Sequence[Figure] = (),
    links: Sequence[Link] = (),
    cover: Any = None,
    cover_alt: str = "",
) -> LibraryItem:
    _require(user, "library.change_item", item)
    item = LibraryItem.objects.select_for_update().get(pk=item.pk)
    item.kind, item.title, item.summary, item.body = kind, title, summary, body
    item.language, item.published_on, item.cover_alt = language, published_on, cover_alt
    if cover:
        uploads.check_upload(cover, (uploads.IMAGE,), field="cover")
        item.cover = cover
    item.updated_at = timezone.now()
    item.full_clean()
    item.save()
    _set_details(
        item,
        topics=topics,
        territories=territories,
        organisations=organisations,
        figures=figures,
        links=links,
    )
    index.update(item)
    return item


def _transition(item: LibraryItem, to: str, **fields: Any) -> LibraryItem:
    LibraryItem.objects.filter(pk=item.pk).update(status=to, updated_at=timezone.now(), **fields)
    rows_changed(LibraryItem)  # an update() sends no signal: the hub pages show published items
    item.refresh_from_db()
    index.update(item)
    return item


@transaction.atomic
def item_submit(*, user: Actor, item: LibraryItem) -> LibraryItem:
    _require(user, "library.submit_item", item)
    return _transition(item, LibraryItem.Status.IN_REVIEW, submitted_at=timezone.now())


def _comment(item: LibraryItem, user: Actor, body: str, action: str) -> None:
    if body.strip():
        comment = ReviewComment(item=item, author=user, body=body.strip(), action=action)
        comment.full_clean()
        comment.save()


def _tell_author(item: LibraryItem, template: str, comment: str) -> None:
    if item.author and item.author.email:
        queue_templated_email(
            to=item.author.email,
            template=f"library/emails/{template}",
            context={"item": item, "comment": comment},
            recipient=item.author,
        )


def _title_in_language(item: LibraryItem) -> str:
    """The item's title in the current language: its people's translation into it, else the
    original."""
    language = (get_language() or "").split("-")[0]
    if language and language != item.language:
        found = item.translations.filter(language=language).values_list("title", flat=True)
        for title in found[:1]:
            return str(title)
    return item.title


@transaction.atomic
def item_publish(*, user: Actor, item: LibraryItem, comment: str = "") -> LibraryItem:
    _require(user, "library.review_item", item)
    _comment(item, user, comment, "publish")
    item = _transition(
        item,
        LibraryItem.Status.PUBLISHED,
        published_at=timezone.now(),
        published_on=item.published_on or timezone.localdate(),
    )
    _tell_author(item, "published", comment)
    participation.space_news(
        spaces=[item.space, *item.also_in_spaces.all()],
        kind="space_publication",
        message=participation.Said(
            gettext_lazy("New in the library of %(space)s: %(title)s"),
            {"space": (item.space, "name"), "title": partial(_title_in_language, item)},
        ),
        url=item.get_absolute_url(),
        actor=item.author_id,
    )
    return item


@transaction.atomic
def item_return(*, user: Actor, item: LibraryItem, comment: str) -> LibraryItem:
    """Send an item in review back to its author, with what to change."""
    _require(user, "library.review_item", item)
    if not comment.strip():
        raise ValidationError({"comment": _("Tell the author what to change.")})
    _comment(item, user, comment, "return")
    item = _transition(item, LibraryItem.Status.DRAFT)
    _tell_author(item, "returned", comment)
    return item


@transaction.atomic
def item_archive(*, user: Actor, item: LibraryItem) -> LibraryItem:
    _require(user, "library.archive_item", item)
    return _transition(item, LibraryItem.Status.ARCHIVED)


@transaction.atomic
def item_comment(*, user: Actor, item: LibraryItem, body: str) -> ReviewComment:
    _require(user, "library.comment_item", item)
    if not body.strip():
        raise ValidationError({"body": _("Write a comment.")})
    comment = ReviewComment(item=item, author=user, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def translation_save(
    *, user: Actor, item: LibraryItem, language: str, title: str, summary: str, body: str
) -> ItemTranslation:
    _require(user, "library.change_item", item)
    translation = ItemTranslation.objects.filter(item=item, language=language).first()
    translation = translation or ItemTranslation(item=item, language=language)
    translation.title, translation.summary, translation.body = title, summary, body
    translation.full_clean()
    translation.save()
    index.update(item)
    return translation


@transaction.atomic
def attachment_add(*, user: Actor, item: LibraryItem, upload: Any) -> ItemAttachment:
    _require(user, "library.change_item", item)
    mimetype = uploads.check_upload(upload, uploads.DOCUMENT).mimetype
    attachment = ItemAttachment(
        item=item,
        file=upload,
        name=(getattr(upload, "name", "") or "document")[:200],
        mimetype=mimetype,
        size=upload.size,
    )
    attachment.full_clean()
    attachment.save()
    return attachment


# Peer matching -------------------------------------------------------------------------------


@transaction.atomic
def post_create(
    *,
    user: Actor,
    organisation: Organisation,
    kind: str,
    text: str,
    topics: Iterable[Topic] = (),
    territories: Iterable[Territory] = (),
) -> PeerPost:
    _require(user, "library.add_post", organisation)
    post = PeerPost(organisation=organisation, kind=kind, text=text.strip(), author=user)
    post.full_clean()
    post.save()
    post.topics.set(list(topics))
    post.territories.set(list(territories))
    return post


@transaction.atomic
def contact_send(
    *,
    user: Actor,
    post: PeerPost,
    from_organisation: Organisation,
    to_organisation: Organisation,
    message: str,
    item: LibraryItem | None = None,
) -> ContactRequest:
    """The asker's organisation writes to a matched organisation; no address is shown yet."""
    _require(user, "library.use_organisation", from_organisation)
    if from_organisation == to_organisation:
        raise ValidationError(_("Choose another organisation than your own."))
    if ContactRequest.objects.filter(
        post=post, to_organisation=to_organisation, status=ContactRequest.Status.PENDING
    ).exists():
        raise ValidationError(_("A request to this organisation is already waiting for an answer."))
    contact = ContactRequest(
        post=post,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        sender=user,
        message=message.strip(),
        item=item,
    )
    contact.full_clean()
    contact.save()
    for membership in to_organisation.memberships.filter(
        role__in=["editor", "admin"]
    ).select_related("user"):
        queue_templated_email(
            to=membership.user.email,
            template="library/emails/contact_received",
            context={"contact": contact},
            recipient=membership.user,
        )
    return contact


@transaction.atomic
def contact_answer(*, user: Actor, contact: ContactRequest, accept: bool) -> ContactRequest:
    _require(user, "library.answer_contact", contact)
    contact = ContactRequest.objects.select_for_update().get(pk=contact.pk)
    if contact.status != ContactRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    contact.status = ContactRequest.Status.ACCEPTED if accept else ContactRequest.Status.DECLINED
    contact.decided_by = user
    contact.decided_at = timezone.now()
    contact.save(update_fields=["status", "decided_by", "decided_at"])
    # Both sides hear of it; addresses are exchanged only on acceptance.
    queue_templated_email(
        to=contact.sender.email,
        template="library/emails/contact_answered",
        context={"contact": contact, "other_email": user.email if accept else ""},
        recipient=contact.sender,
    )
    queue_templated_email(
        to=user.email,
        template="library/emails/contact_answered_copy",
        context={"contact": contact, "other_email": contact.sender.email if accept else ""},
        recipient=user,
    )
    return contact
