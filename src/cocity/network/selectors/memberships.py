from django.db.models import Count, Q, QuerySet

from ..models import Organisation, Role, Space


def spaces_where_sole_admin(user) -> QuerySet[Space]:  # type: ignore[no-untyped-def]
    """Spaces in which this person is the only admin (they cannot leave or be demoted)."""
    return (
        Space.objects.filter(memberships__user_id=user.pk, memberships__role=Role.ADMIN)
        .annotate(admin_count=Count("memberships", filter=Q(memberships__role=Role.ADMIN)))
        .filter(admin_count=1)
    )


def organisations_where_sole_admin(user) -> QuerySet[Organisation]:  # type: ignore[no-untyped-def]
    """Organisations in which this person is the only admin."""
    return (
        Organisation.objects.filter(memberships__user_id=user.pk, memberships__role=Role.ADMIN)
        .annotate(admin_count=Count("memberships", filter=Q(memberships__role=Role.ADMIN)))
        .filter(admin_count=1)
    )
