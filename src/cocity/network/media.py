"""The files network stores (cocity.core.media): organisations' logos, public like their pages."""

from cocity.core.media import register

from .models import Organisation

register(
    Organisation,
    "logo",
    can_read=lambda user, row: user.has_perm("network.view_organisation", row),
)
