"""Writes of the participation app: one function per use case, in a transaction, nothing written
when anything is invalid. Counters live on the target (``support_count``, ``comment_count``) and
move with ``F()`` in the same transaction as the row they count, behind a unique constraint, so
they stay exact under concurrent writers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.accounts.types import Actor, Viewer
from cocity.core import translations
from cocity.core.cache import rows_changed
from cocity.core.mail import as_recipient, queue_templated_email, reading_of
from cocity.network.selectors import persons_who_see
from cocity.search import index as search_index

from .models import (
    ActivityEntry,
    Comment,
    Follow,
    Notification,
    NotificationPreference,
    Report,
    Support,
)
from .selectors import notifications_visible_to

COMMENT_EDIT_WINDOW = timedelta(minutes=15)


def _ct(target: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(type(target))


def _bump(target: models.Model, field: str | None, delta: int) -> None:
    if field:
        type(target)._default_manager.filter(pk=target.pk).update(**{field: F(field) + delta})
        rows_changed(type(target))  # update() sends no signal (cocity.core.cache)


# --- comments ---------------------------------------------------------------------------------


def comment_create(
    *,
    target: models.Model,
    author: Actor,
    body: str,
    stance: str = Comment.Stance.NEUTRAL,
    parent: Comment | None = None,
    counter: str | None = "comment_count",
) -> Comment:
    ct = _ct(target)
    if parent is not None and (parent.content_type_id != ct.pk or parent.object_id != target.pk):
        raise ValidationError({"parent": _("You can only reply to a comment on the same page.")})
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent  # two levels: replies to replies join the same thread
    comment = Comment(
        content_type=ct,
        object_id=target.pk,
        author=author,
        body=body,
        stance=stance,
        parent=parent,
    )
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        _bump(target, counter, 1)
    return comment


def comment_can_edit(*, comment: Comment, user: Viewer, now: Any = None) -> bool:
    now = now or timezone.now()
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.is_hidden
        and now - comment.created_at <= COMMENT_EDIT_WINDOW
    )


def comment_update(*, comment: Comment, user: Actor, body: str, stance: str) -> Comment:
    if comment.author_id != user.pk:
        raise ValidationError(_("You can only edit your own comments."))
    if not comment_can_edit(comment=comment, user=user):
        raise ValidationError(
            _("Comments can be edited for %(minutes)s minutes after they are written.")
            % {"minutes": int(COMMENT_EDIT_WINDOW.total_seconds() // 60)}
        )
    comment.body, comment.stance, comment.edited_at = body, stance, timezone.now()
    comment.full_clean()
    with transaction.atomic():
        comment.save(update_fields=["body", "stance", "edited_at"])
    return comment


# --- supports ---------------------------------------------------------------------------------


def support_add(
    *,
    target: models.Model,
    user: Actor,
    scope_id: int | None = None,
    limit: int | None = None,
    lock: models.Model | None = None,
    counter: str = "support_count",
) -> Support:
    """One support per person per target; at most ``limit`` per person in ``scope_id``. ``lock``
    (the scope's row) is locked first when there is a limit, so two tabs cannot both pass it."""
    ct = _ct(target)
    try:
        with transaction.atomic():
            if limit is not None and lock is not None:
                type(lock)._default_manager.select_for_update().filter(pk=lock.pk).first()
            if Support.objects.filter(content_type=ct, object_id=target.pk, user=user).exists():
                raise ValidationError(_("You already support this."))
            if limit is not None:
                used = Support.objects.filter(user=user, content_type=ct, scope_id=scope_id).count()
                if used >= limit:
                    raise ValidationError(
                        _("You have used all %(limit)s of your supports here.") % {"limit": limit}
                    )
            support = Support.objects.create(
                content_type=ct, object_id=target.pk, user=user, scope_id=scope_id
            )
            _bump(target, counter, 1)
    except IntegrityError:  # the same person, twice at the same moment
        raise ValidationError(_("You already support this.")) from None
    return support


def support_withdraw(*, target: models.Model, user: Actor, counter: str = "support_count") -> None:
    with transaction.atomic():
        deleted, _detail = Support.objects.filter(
            content_type=_ct(target), object_id=target.pk, user=user
        ).delete()
        if not deleted:
            raise ValidationError(_("You do not support this."))
        _bump(target, counter, -1)


def supported_ids(*, user: Viewer, model: type[models.Model], ids: Iterable[int]) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        Support.objects.filter(
            user=user,
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=list(ids),
        ).values_list("object_id", flat=True)
    )


# --- follows ----------------------------------------------------------------------------------


def follow_set(*, target: models.Model, user: Actor, follow: bool) -> None:
    ct = _ct(target)
    with transaction.atomic():
        if follow:
            Follow.objects.get_or_create(content_type=ct, object_id=target.pk, user=user)
        else:
            Follow.objects.filter(content_type=ct, object_id=target.pk, user=user).delete()


def is_following(*, target: models.Model, user: Viewer) -> bool:
    return bool(
        user.is_authenticated
        and Follow.objects.filter(content_type=_ct(target), object_id=target.pk, user=user).exists()
    )


def followers_of(*targets: models.Model) -> list[int]:
    ids: set[int] = set()
    for target in targets:
        ids.update(
            Follow.objects.filter(content_type=_ct(target), object_id=target.pk).values_list(
                "user_id", flat=True
            )
        )
    return sorted(ids)


def space_news(
    *, spaces: Iterable[Any], kind: str, message: str | Said, url: str, actor: Any = None
) -> int:
    """Tell the people who follow these spaces that something new appeared there (an event, a
    process, a publication), through :func:`notify` (in-app, e-mail now or in the daily
    digest): only those who may see the space, once each even when they follow several of
    them, never the person who published it."""
    by_id = {space.pk: space for space in spaces}
    if not by_id:
        return 0
    from cocity.network.models import Space

    follows = Follow.objects.filter(
        content_type=ContentType.objects.get_for_model(Space), object_id__in=list(by_id)
    ).values_list("object_id", "user_id")
    author = getattr(actor, "pk", actor)
    told: set[int] = set()
    sent = 0
    per_space: dict[int, list[int]] = {}
    for space_id, user_id in follows:
        if user_id != author:
            per_space.setdefault(space_id, []).append(user_id)
    for space_id, followers in sorted(per_space.items()):
        space = by_id[space_id]
        fresh = persons_who_see(space, [user_id for user_id in followers if user_id not in told])
        told.update(fresh)
        if fresh:
            sent += notify(recipients=fresh, kind=kind, message=message, url=url, space=space)
    return sent


# --- moderation and the activity log ----------------------------------------------------------


def _venue(space: Any, organisation: Any) -> dict[str, Any]:
    """Where the moderators of a piece of content are: its space, or the organisation it belongs
    to when it belongs to no space (a pact). Exactly one of the two."""
    if (space is None) == (organisation is None):
        raise TypeError("Give the space or the organisation whose moderators decide, not both.")
    return {"space": space, "organisation": organisation}


def activity_record(
    *,
    actor: Actor,
    verb: str,
    summary: str,
    space: Any = None,
    organisation: Any = None,
    target: Any = None,
    reason: str = "",
) -> ActivityEntry:
    return ActivityEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        **_venue(space, organisation),
        verb=verb,
        content_type=_ct(target) if target is not None else None,
        object_id=target.pk if target is not None else None,
        summary=summary[:300],
        reason=reason[:500],
    )


def report_create(
    *,
    target: models.Model,
    reporter: Actor,
    reason: str,
    space: Any = None,
    organisation: Any = None,
) -> Report:
    """A report for the moderators of ``space`` (or of ``organisation``, for content that
    belongs to no space); they see it in their queue."""
    report = Report(
        content_type=_ct(target),
        object_id=target.pk,
        **_venue(space, organisation),
        reporter=reporter,
        reason=reason,
    )
    report.full_clean()
    with transaction.atomic():
        report.save()
    return report


def _reindex(target: models.Model) -> None:
    """Hidden content leaves the search index in the same transaction (an idea's provider drops
    it once ``hidden_at`` is set); content no provider indexes is left alone."""
    search_index.update(type(target)._default_manager.get(pk=target.pk))


def report_decide(*, report: Report, moderator: Any, hide: bool, reason: str) -> Report:
    """Hide the reported content (its text replaced by the reason) or keep it; every open report
    on the same content is closed with the same decision, and the log records it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for your decision.")})
    if report.status != Report.Status.OPEN:
        raise ValidationError(_("This report has been decided already."))
    target = report.target
    now = timezone.now()
    status = Report.Status.HIDDEN if hide else Report.Status.KEPT
    with transaction.atomic():
        Report.objects.filter(
            content_type_id=report.content_type_id,
            object_id=report.object_id,
            status=Report.Status.OPEN,
        ).update(status=status, decided_by=moderator, decided_at=now, decision_reason=reason)
        if hide and target is not None:
            type(target)._default_manager.filter(pk=target.pk).update(
                hidden_at=now, hidden_reason=reason
            )
            rows_changed(type(target))
            _reindex(target)
        activity_record(
            actor=moderator,
            space=report.space,
            organisation=report.organisation,
            verb="hide" if hide else "keep",
            summary=str(target)[:200] if target is not None else str(report),
            target=target,
            reason=reason,
        )
    report.refresh_from_db()
    return report


def content_hide(
    *,
    target: models.Model,
    moderator: Any,
    reason: str,
    space: Any = None,
    organisation: Any = None,
) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for hiding it.")})
    with transaction.atomic():
        type(target)._default_manager.filter(pk=target.pk).update(
            hidden_at=timezone.now(), hidden_reason=reason
        )
        rows_changed(type(target))
        _reindex(target)
        activity_record(
            actor=moderator,
            space=space,
            organisation=organisation,
            verb="hide",
            summary=str(target)[:200],
            target=target,
            reason=reason,
        )


# --- notifications ----------------------------------------------------------------------------


def preference_for(user: Actor) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    return preference


def preference_update(*, user: Actor, email: str) -> NotificationPreference:
    preference = preference_for(user)
    preference.email = email
    preference.full_clean()
    preference.save(update_fields=["email"])
    return preference


@dataclass(frozen=True)
class Said:
    """A notification's text, written for each recipient in their language: ``text`` is the
    sentence (``gettext_lazy``) with its ``%(name)s`` placeholders; a value is a plain value
    (a lazy label is translated too) or ``(object, "field")``, what someone wrote, shown as the
    recipient reads it (``|tr``), followed by "(Machine-translated from … by ….)" when that is
    a machine translation; ``(object, "field", "{} (2021)")`` puts it in a shape; a function
    is called in the recipient's language (a library item's title in it).

    ``Said(gettext_lazy("New event in %(space)s: %(title)s"),
    {"space": (event.space, "name"), "title": (event, "title")})``"""

    text: Any
    values: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        values: dict[str, str] = {}
        quoted: list[tuple[Any, list[str]]] = []
        for name, value in self.values.items():
            if isinstance(value, tuple):
                obj, attribute, *shape = value
                text = str(translations.lookup(obj, attribute))
                if isinstance(obj, translations.Translatable):
                    text = translations.translated(obj, attribute)
                    quoted.append((obj, [attribute]))
                values[name] = shape[0].format(text) if shape else text
            elif callable(value):
                values[name] = str(value())  # called in the recipient's language
            else:
                values[name] = str(value)
        text = str(self.text) % values
        note = translations.machine_note(*quoted)
        return f"{text} {note}" if note else text


def _messages_for(users: list[Any], message: str | Said) -> dict[int, str]:
    """Each person's text of ``message``: a ``Said`` is rendered once per language (and choice
    of machine translations) among them, in it."""
    if not isinstance(message, Said):
        return {user.pk: str(message) for user in users}
    rendered: dict[tuple[str, str, bool], str] = {}
    texts: dict[int, str] = {}
    for user in users:
        key = reading_of(user)
        if key not in rendered:
            with as_recipient(user):
                rendered[key] = message.render()
        texts[user.pk] = rendered[key]
    return texts


def notify(
    *, recipients: Iterable[Any], kind: str, message: str | Said, url: str = "", space: Any = None
) -> int:
    """An in-app notification for each person (once each), its ``message`` in their language
    (:class:`Said`); e-mailed at once to those who chose it, the others get it in their daily
    digest (``cocity notification_digests``). With ``space`` (what the news is about lives
    there), only the persons who may see that space now are notified, and the notification is
    shown only while they still do."""
    from django.contrib.auth import get_user_model

    ids = sorted({getattr(r, "pk", r) for r in recipients if r is not None})
    if space is not None:
        ids = sorted(persons_who_see(space, ids))
    if not ids:
        return 0
    users = list(get_user_model().objects.filter(pk__in=ids, is_active=True))
    texts = _messages_for(users, message)
    modes = dict(
        NotificationPreference.objects.filter(user_id__in=ids).values_list("user_id", "email")
    )
    now = timezone.now()
    with transaction.atomic():
        for user in users:
            mode = modes.get(user.pk, NotificationPreference.Email.IMMEDIATE)
            immediate = mode == NotificationPreference.Email.IMMEDIATE
            notification = Notification.objects.create(
                recipient=user,
                kind=kind,
                message=texts[user.pk][:400],
                url=url,
                space=space,
                emailed_at=now if immediate or mode == NotificationPreference.Email.NEVER else None,
            )
            if immediate and user.email:
                queue_templated_email(
                    to=user.email,
                    template="participation/emails/notification",
                    context={
                        "notification": notification,
                        "user": user,
                        "site_url": settings.COCITY_BASE_URL.rstrip("/"),
                    },
                    recipient=user,
                )
    return len(users)


def notifications_mark_read(*, user: Actor) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def digests_send(*, now: Any = None) -> int:
    """One e-mail per person in daily mode with notifications not yet e-mailed, at most once a
    day each; idempotent (what was sent is marked, so a second run sends nothing)."""
    now = now or timezone.now()
    sent = 0
    due = NotificationPreference.objects.filter(
        email=NotificationPreference.Email.DAILY
    ).select_related("user")
    for preference in due.iterator():
        if preference.last_digest_at and now - preference.last_digest_at < timedelta(hours=23):
            continue
        with transaction.atomic():
            locked = NotificationPreference.objects.select_for_update().get(pk=preference.pk)
            if locked.last_digest_at and now - locked.last_digest_at < timedelta(hours=23):
                continue
            user = preference.user
            pending = list(
                notifications_visible_to(user)
                .filter(emailed_at__isnull=True)
                .order_by("created_at", "id")[:100]
            )
            if not pending:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            locked.last_digest_at = now
            locked.save(update_fields=["last_digest_at"])
            if user.email and user.is_active:
                queue_templated_email(
                    to=user.email,
                    template="participation/emails/digest",
                    context={
                        "notifications": pending,
                        "user": user,
                        "site_url": settings.COCITY_BASE_URL.rstrip("/"),
                    },
                    recipient=user,
                )
                sent += 1
    return sent
