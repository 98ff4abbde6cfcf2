from django.db.models import Count, Q, QuerySet

from cocity.accounts.types import Actor

from ..models import Organisation, OrganisationMembership, Role, Space, SpaceMembership


def spaces_where_sole_admin(user: Actor) -> QuerySet[Space]:
    """Spaces in which this person is the only admin (they cannot leave or be demoted)."""
    # Filter through a subquery: filtering on ``memberships`` before the annotation would make the
    # Count reuse that join and see only this person's own row (always 1).
    return (
        Space.objects.filter(
            pk__in=SpaceMembership.objects.filter(user_id=user.pk, role=Role.ADMIN).values(
                "space_id"
            )
        )
        .annotate(admin_count=Count("memberships", filter=Q(memberships__role=Role.ADMIN)))
        .filter(admin_count=1)
    )


def organisations_where_sole_admin(user: Actor) -> QuerySet[Organisation]:
    """Organisations in which this person is the only admin."""
    return (
        Organisation.objects.filter(
            pk__in=OrganisationMembership.objects.filter(user_id=user.pk, role=Role.ADMIN).values(
                "organisation_id"
            )
        )
        .annotate(admin_count=Count("memberships", filter=Q(memberships__role=Role.ADMIN)))
        .filter(admin_count=1)
    )
