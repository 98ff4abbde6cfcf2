"""The files the library stores (cocity.core.media): an item's cover and attachments, readable
by whoever may read the item (``library.view_item``: members-only items to members)."""

from cocity.core.media import register

from .models import ItemAttachment, LibraryItem

register(LibraryItem, "cover", can_read=lambda user, row: user.has_perm("library.view_item", row))
register(
    ItemAttachment,
    "file",
    can_read=lambda user, row: user.has_perm("library.view_item", row.item),
    download_name=lambda row: row.name,
)
