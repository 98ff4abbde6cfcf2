"""Reads of the participation app: comment threads, the moderation queue, the activity log and
each person's notifications, each in a fixed number of queries."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch, QuerySet

from .models import ActivityEntry, Comment, Notification, Report


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


def report_queue(space: Any, status: str = Report.Status.OPEN) -> QuerySet[Report]:
    return (
        Report.objects.filter(space=space, status=status)
        .select_related("reporter", "decided_by", "content_type")
        .prefetch_related("target")
        .order_by("-created_at", "-id")
    )


def activity_log(space: Any) -> QuerySet[ActivityEntry]:
    return (
        ActivityEntry.objects.filter(space=space)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def inbox(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
