"""The files commons stores (cocity.core.media): photos of a commons (public, as its page),
and a pact's documents and photos, readable by whoever may read the pact (``commons.view_pact``:
not a draft to the public)."""

from cocity.core.media import register

from .models import CommonsPhoto, PactDocument, PactPhoto

register(
    CommonsPhoto,
    "image",
    can_read=lambda user, row: user.has_perm("commons.view_commons", row.commons),
)
register(
    PactDocument,
    "file",
    can_read=lambda user, row: user.has_perm("commons.view_pact", row.pact),
    download_name=lambda row: row.title,
)
register(
    PactPhoto, "image", can_read=lambda user, row: user.has_perm("commons.view_pact", row.pact)
)
