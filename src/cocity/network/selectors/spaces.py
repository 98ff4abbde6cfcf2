"""Reads for the network app: every list decides its query shape once, here."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from ..models import Organisation, Space


def spaces_visible_to(user) -> QuerySet[Space]:  # type: ignore[no-untyped-def]
    """Public spaces, plus members-only spaces the person belongs to (all of them for staff)."""
    spaces = Space.objects.all()
    if user.is_authenticated and user.is_staff:
        return spaces
    if user.is_authenticated:
        return spaces.filter(
            Q(visibility=Space.Visibility.PUBLIC) | Q(memberships__user_id=user.pk)
        ).distinct()
    return spaces.filter(visibility=Space.Visibility.PUBLIC)


def home_overview(*, user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    spaces = (
        spaces_visible_to(user)
        .select_related("territory")
        .prefetch_related("topics")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("-created_at")[:6]
    )
    return {
        "latest_spaces": list(spaces),
        "organisation_count": Organisation.objects.count(),
        "space_count": spaces_visible_to(user).count(),
    }
