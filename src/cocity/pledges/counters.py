"""The totals pledges keeps (cocity.core.counters; ``cocity check-counters``): each campaign's
summary row, recomputed by every write that changes it. A drift is a summary whose totals are
not those of the campaign's published pledges now (or a campaign with published pledges and no
summary); the repair recomputes it under the campaign's lock, as the services do."""

import json
from collections.abc import Iterator
from typing import Any

from django.db import transaction

from cocity.core.counters import Drift, KeptCounter, register

from . import services
from .models import Campaign, CampaignSummary

KEY = "pledges.CampaignSummary.data"


def _brief(data: dict[str, Any] | None) -> str:
    if data is None:
        return "no summary"
    return (
        f"{data.get('pledges', 0)} pledges, {data.get('measures', 0)} measures, "
        f"{json.dumps(data.get('by_currency', {}), sort_keys=True)}"
    )


def _drifts() -> Iterator[Drift]:
    stored = dict(CampaignSummary.objects.values_list("campaign_id", "data"))
    for campaign in Campaign.objects.order_by("pk").iterator(chunk_size=200):
        actual = json.loads(json.dumps(services.summary_data(campaign=campaign)))
        kept = stored.get(campaign.pk)
        if kept is None and not actual["pledges"]:
            continue  # nothing published, nothing to keep
        if kept != actual:
            yield Drift(KEY, campaign.pk, _brief(kept), _brief(actual))


def _repair(drift: Drift) -> None:
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=drift.pk).first()
        if campaign is not None:
            services.summary_recompute(campaign=campaign)


register(KeptCounter(key=KEY, drifts=_drifts, repair=_repair))
