"""The files pledges stores (cocity.core.media): a pledge's supporting documents and a progress
report's evidence, readable by whoever may read the pledge (``selectors.pledges_visible_to``)."""

from cocity.core.media import register

from .models import PledgeDocument, ProgressReport
from .selectors import pledges_visible_to

register(
    PledgeDocument,
    "file",
    can_read=lambda user, row: pledges_visible_to(user).filter(pk=row.pledge_id).exists(),
    download_name=lambda row: row.title,
)
register(
    ProgressReport,
    "evidence_file",
    can_read=lambda user, row: pledges_visible_to(user).filter(measures__reports=row.pk).exists(),
)
