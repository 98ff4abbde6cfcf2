"""Reads: conversion with a stated, dated rate (never silent), totals, progress shares."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cocity.pledges import selectors, services
from cocity.pledges.models import Indicator, Measure
from tests.factories import CampaignFactory, pledge_with_measures

pytestmark = pytest.mark.django_db
FEB = datetime.date(2019, 2, 19)


def test_convert_uses_the_latest_rate_on_or_before_the_day_either_way_round():
    services.exchange_rate_set(base="EUR", quote="GBP", rate="0.88", valid_on=FEB)
    services.exchange_rate_set(
        base="EUR", quote="GBP", rate="0.80", valid_on=datetime.date(2020, 1, 1)
    )
    result = selectors.convert(
        {"EUR": Decimal("100"), "GBP": Decimal("220000000")}, target="EUR", on=FEB
    )
    assert result.total == Decimal("250000100.00")
    (rate,) = result.rates
    assert (rate.base, rate.quote, rate.rate, rate.valid_on) == ("EUR", "GBP", Decimal("0.88"), FEB)
    later = selectors.convert({"EUR": Decimal("100")}, target="GBP", on=datetime.date(2021, 5, 1))
    assert later.total == Decimal("80.00") and later.rates[0].valid_on == datetime.date(2020, 1, 1)


def test_no_rate_for_the_day_is_an_error_never_one_to_one():
    services.exchange_rate_set(base="EUR", quote="GBP", rate="0.88", valid_on=FEB)
    with pytest.raises(
        ValidationError, match="no exchange rate between GBP and EUR on or before 18 Feb 2019"
    ):
        selectors.convert({"GBP": Decimal("1")}, target="EUR", on=FEB - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="no exchange rate"):
        selectors.convert({"EUR": Decimal("1")}, target="SEK", on=FEB)
    with pytest.raises(ValidationError, match="ISO 4217"):
        selectors.convert({"EUR": Decimal("1")}, target="EURO", on=FEB)


def test_campaign_totals_convert_and_name_the_rate():
    services.exchange_rate_set(base="EUR", quote="GBP", rate="0.88", valid_on=FEB)
    campaign = CampaignFactory(starts_on=FEB)
    pledge_with_measures(campaign=campaign, amounts=("1000", "500"), signed_on=FEB)
    pledge_with_measures(campaign=campaign, amounts=("880",), currency="GBP", signed_on=FEB)
    totals = selectors.campaign_totals(campaign)
    assert totals["total"].total == Decimal("2500.00")
    assert totals["rates"][0].valid_on == FEB
    assert totals["summary"]["signatories"] == 2
    assert dict(totals["by_currency"]) == {"EUR": Decimal("1500.00"), "GBP": Decimal("880.00")}
    assert [m["cumulative"] for m in totals["months"]] == [Decimal("2500.00")]
    in_gbp = selectors.campaign_totals(campaign, currency="GBP")
    assert in_gbp["total"].total == Decimal("2200.00")
    with pytest.raises(ValidationError):
        selectors.campaign_totals(campaign, currency="SEK")


def test_progress_shares():
    pledge = pledge_with_measures(amounts=("1000",), signed_on=datetime.date(2024, 1, 1))
    measure = pledge.measures.get()
    Measure.objects.filter(pk=measure.pk).update(
        ends_on=datetime.date(2025, 1, 1), spent=Decimal("250")
    )
    Indicator.objects.filter(measure=measure).update(current=Decimal("60"))
    measure = Measure.objects.prefetch_related("indicators").get(pk=measure.pk)
    progress = selectors.measure_progress(measure, today=datetime.date(2024, 7, 2))
    assert round(progress.elapsed, 2) == 0.5
    assert progress.spent == 0.25
    assert progress.targets == 0.6
    overall = selectors.pledge_progress([measure], today=datetime.date(2024, 7, 2))
    assert overall.spent == 0.25 and overall.targets == 0.6
