"""The campaign totals page reads a summary row; it must equal a fresh computation after every
write. On PostgreSQL two officers publish and report at the same moment (two connections): the
campaign row lock makes the second recomputation see the first write, so nothing is lost.
Without the lock both would compute from a snapshot without the other's pledge."""

import threading
import time

import pytest
from django.db import connection, connections

from cocity.pledges import services
from cocity.pledges.models import CampaignSummary
from tests.factories import CampaignFactory, pledge_with_measures


def _fresh(campaign):  # type: ignore[no-untyped-def]
    stored = CampaignSummary.objects.get(campaign=campaign).data
    return stored, services.summary_recompute(campaign=campaign).data


@pytest.mark.django_db
def test_summary_equals_a_fresh_computation_after_each_write():
    campaign = CampaignFactory()
    pledge = pledge_with_measures(campaign=campaign, amounts=("5", "7"), publish=False)
    stored, fresh = _fresh(campaign)
    assert stored == fresh
    services.pledge_publish(pledge=pledge)
    stored, fresh = _fresh(campaign)
    assert stored == fresh and stored["by_currency"]["EUR"]["amount"] == "12.00"
    services.report_file(
        measure=pledge.measures.first(), reported_on=pledge.signed_on, spent="3", status="on_track"
    )
    stored, fresh = _fresh(campaign)
    assert stored == fresh and stored["by_currency"]["EUR"]["spent"] == "3.00"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises writers, there is no race to prove",
)
def test_concurrent_publications_are_both_counted(monkeypatch):
    campaign = CampaignFactory()
    first = pledge_with_measures(campaign=campaign, amounts=("100",), publish=False)
    second = pledge_with_measures(campaign=campaign, amounts=("200",), publish=False)
    real = services.summary_recompute

    def slow_recompute(*, campaign):  # type: ignore[no-untyped-def]
        time.sleep(0.3)  # widen the window between reading and committing
        return real(campaign=campaign)

    monkeypatch.setattr(services, "summary_recompute", slow_recompute)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(pledge):  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=5)
            services.pledge_publish(pledge=pledge)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(p,)) for p in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert not errors
    data = CampaignSummary.objects.get(campaign=campaign).data
    assert data["pledges"] == 2
    assert data["by_currency"]["EUR"]["amount"] == "300.00"
