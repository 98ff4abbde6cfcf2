"""The files commons stores (cocity.core.media): photos and the cover of a commons (public, as
its page), and a pact's documents, photos and cover, readable by whoever may read the pact
(``commons.view_pact``: not a draft to the public)."""

from cocity.core.media import register

from .models import Commons, CommonsPhoto, Pact, PactDocument, PactPhoto

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
register(
    Commons,
    "cover",
    can_read=lambda user, row: user.has_perm("commons.view_commons", row),
    variants=True,
)
register(
    Pact,
    "cover",
    can_read=lambda user, row: user.has_perm("commons.view_pact", row),
    variants=True,
)
