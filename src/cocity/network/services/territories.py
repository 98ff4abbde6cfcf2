"""Writes for territories (the shared list of places): create and update, keeping the
materialised ``path`` of every descendant right when a code or a parent changes."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from cocity.core.cache import rows_changed
from cocity.core.geo import normalise_boundary

from ..models import Territory


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


def validate_children_kinds(territory: Territory, kind: str) -> None:
    """A territory cannot change to a kind its current children may not sit under."""
    if not territory.pk:
        return
    child_kinds = set(territory.children.values_list("kind", flat=True).distinct())
    refused = sorted(
        child_kind
        for child_kind in child_kinds
        if kind not in Territory.ALLOWED_PARENTS[Territory.Kind(child_kind)]
    )
    if refused:
        raise ValidationError(
            {
                "kind": _(
                    "This territory contains places of kind %(kinds)s, which cannot be part "
                    "of a %(kind)s. Move them first."
                )
                % {
                    "kinds": ", ".join(str(Territory.Kind(k).label) for k in refused),
                    "kind": Territory.Kind(kind).label if kind in Territory.Kind.values else kind,
                }
            }
        )


def _check_kind(kind: str) -> None:
    # Before full_clean: Territory.clean looks the kind up in its hierarchy.
    if kind not in Territory.Kind.values:
        raise ValidationError(
            {
                "kind": _("Choose a kind: %(kinds)s.")
                % {"kinds": ", ".join(str(label) for label in Territory.Kind.labels)}
            }
        )


def _clean_boundary(boundary: Any) -> dict[str, Any] | None:
    try:
        return normalise_boundary(boundary)
    except ValidationError as exc:
        raise ValidationError({"boundary": exc.error_list}) from exc


def _save(territory: Territory) -> Territory:
    """Save, then move every descendant's path along if this territory's path changed."""
    old_path = None
    if territory.pk:
        old_path = Territory.objects.filter(pk=territory.pk).values_list("path", flat=True).first()
    territory.save()
    if old_path and old_path != territory.path:
        depth_change = territory.path.count("/") - old_path.count("/")
        Territory.objects.filter(path__startswith=old_path).exclude(pk=territory.pk).update(
            path=Concat(Value(territory.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_change,
        )
        rows_changed(Territory)  # the descendants' paths: update() sends no signal
    return territory


def territory_create(
    *,
    name: str,
    code: str,
    kind: str,
    parent: Territory | None = None,
    boundary: Any = None,
    boundary_approximate: bool = False,
) -> Territory:
    _check_kind(kind)
    territory = Territory(
        name=(name or "").strip(),
        code=(code or "").strip().upper(),
        kind=kind,
        parent=parent,
        boundary=_clean_boundary(boundary),
        boundary_approximate=bool(boundary_approximate),
    )
    territory.full_clean()
    with transaction.atomic():
        return _save(territory)


def territory_update(
    *,
    territory: Territory,
    name: str = UNCHANGED,
    code: str = UNCHANGED,
    kind: str = UNCHANGED,
    parent: Territory | None = UNCHANGED,
    boundary: Any = UNCHANGED,
    boundary_approximate: bool = UNCHANGED,
) -> Territory:
    """Change a territory; descendants follow a new code or parent in the same transaction."""
    if name is not UNCHANGED:
        territory.name = (name or "").strip()
    if code is not UNCHANGED:
        territory.code = (code or "").strip().upper()
    if kind is not UNCHANGED:
        _check_kind(kind)
        territory.kind = kind
    if parent is not UNCHANGED:
        territory.parent = parent
    if boundary is not UNCHANGED:
        territory.boundary = _clean_boundary(boundary)
    if boundary_approximate is not UNCHANGED:
        territory.boundary_approximate = bool(boundary_approximate)
    with transaction.atomic():
        # The stored path, not the one in memory: the instance may be stale.
        if territory.pk:
            territory.path = (
                Territory.objects.filter(pk=territory.pk).values_list("path", flat=True).first()
                or territory.path
            )
        territory.full_clean()
        validate_children_kinds(territory, territory.kind)
        return _save(territory)
