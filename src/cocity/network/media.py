"""The files network stores (cocity.core.media): organisations' logos, public like their pages,
and spaces' cover images, readable by whoever may see the space (a members-only space's cover
only by its members)."""

from cocity.core.media import register

from .models import Organisation, Space

register(
    Organisation,
    "logo",
    can_read=lambda user, row: user.has_perm("network.view_organisation", row),
)
register(
    Space,
    "cover",
    can_read=lambda user, row: user.has_perm("network.view_space", row),
    variants=True,
)
