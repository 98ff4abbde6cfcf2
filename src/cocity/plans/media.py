"""The files plans stores (cocity.core.media): an idea's attachments and an action's evidence,
readable by whoever may read the process they belong to."""

from cocity.core.media import register

from .models import IdeaAttachment, ProgressUpdate

register(
    IdeaAttachment,
    "file",
    can_read=lambda user, row: user.has_perm("plans.view_process", row.idea.process),
    download_name=lambda row: row.name,
)
register(
    ProgressUpdate,
    "file",
    can_read=lambda user, row: user.has_perm("plans.view_process", row.action.process),
)
