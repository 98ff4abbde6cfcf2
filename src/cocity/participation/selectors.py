"""Reads of the participation app: comment threads, the moderation queue, the activity log and
each person's notifications, each in a fixed number of queries."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch, Q, QuerySet

from cocity.accounts.types import Actor, Viewer
from cocity.network.selectors import spaces_visible_to

from .models import ActivityEntry, Comment, Follow, Notification, Report


def comments_on(target: models.Model) -> QuerySet[Comment]:
    """Every comment on ``target``, replies included."""
    ct = ContentType.objects.get_for_model(type(target))
    return Comment.objects.filter(content_type=ct, object_id=target.pk)


def comment_threads(target: models.Model) -> QuerySet[Comment]:
    """Top-level comments, oldest first, each with its replies (two queries per page)."""
    ct = ContentType.objects.get_for_model(type(target))
    replies = Comment.objects.select_related("author").order_by("created_at", "id")
    return (
        Comment.objects.filter(content_type=ct, object_id=target.pk, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "id")
    )


def _at(venue: Any) -> dict[str, Any]:
    """The filter for a space's or an organisation's reports and log entries."""
    field = "organisation" if venue._meta.label == "network.Organisation" else "space"
    return {field: venue}


def report_queue(venue: Any, status: str = Report.Status.OPEN) -> QuerySet[Report]:
    """The reports the moderators of ``venue`` (a space or an organisation) decide."""
    return (
        Report.objects.filter(status=status, **_at(venue))
        .select_related("reporter", "decided_by", "content_type")
        .prefetch_related("target")
        .order_by("-created_at", "-id")
    )


def activity_log(venue: Any) -> QuerySet[ActivityEntry]:
    return (
        ActivityEntry.objects.filter(**_at(venue))
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def notifications_visible_to(user: Viewer) -> QuerySet[Notification]:
    """The person's notifications about what they may see *now*: one about a space they left (or
    were removed from, or that became members-only) is kept but no longer shown, mailed in a
    digest or exported (``network.selectors.spaces_visible_to`` decides, as everywhere)."""
    return Notification.objects.filter(recipient_id=user.pk).filter(
        Q(space__isnull=True) | Q(space_id__in=spaces_visible_to(user).values("pk"))
    )


def inbox(user: Actor) -> QuerySet[Notification]:
    return notifications_visible_to(user).order_by("-created_at", "-id")


def unread_count(user: Viewer) -> int:
    if not user.is_authenticated:
        return 0
    return notifications_visible_to(user).filter(read_at__isnull=True).count()


def followed_ids(user: Viewer, model: type[models.Model]) -> "QuerySet[Follow, Any]":
    """The ids of the ``model`` rows the person follows, as a subquery (no query of its own:
    the content type is matched by its names, not looked up)."""
    return Follow.objects.filter(
        user_id=user.pk or 0,
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
    ).values("object_id")
