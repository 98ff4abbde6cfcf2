"""``cocity check-counters``: every kept counter recounted from its rows; drift reported (exit
status 1) or repaired with --fix; the demo leaves none."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import F

from cocity.core import counters
from cocity.events import services as events
from cocity.events.models import Track
from cocity.participation import services as participation
from cocity.participation.models import Comment, Support
from cocity.plans.models import Action, Idea
from cocity.pledges.models import CampaignSummary
from tests.factories import (
    ActionFactory,
    IdeaFactory,
    UserFactory,
    event_with_session,
    pledge_with_measures,
)

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[int, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("check_counters", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def test_every_kept_counter_is_registered():
    assert {c.key for c in counters.registered()} >= {
        "plans.Idea.support_count",
        "plans.Idea.comment_count",
        "plans.Action.comment_count",
        "events.Track.confirmed_count",
        "pledges.CampaignSummary.data",
    }


def _drifted_rows():  # type: ignore[no-untyped-def]
    """One row of each counter, written past the services the way the demo did."""
    idea, action = IdeaFactory(), ActionFactory()
    person = UserFactory()
    participation.support_add(target=idea, user=UserFactory())  # kept: 1
    Support.objects.create(
        content_type=ContentType.objects.get_for_model(Idea), object_id=idea.pk, user=person
    )  # not counted: stored 1, counted 2
    Comment.objects.create(
        content_type=ContentType.objects.get_for_model(Action),
        object_id=action.pk,
        author=person,
        body="Past the service.",
    )
    Idea.objects.filter(pk=idea.pk).update(comment_count=5)
    _event, track = event_with_session(capacity=3)
    events.registration_create(track=track, user=UserFactory())
    Track.objects.filter(pk=track.pk).update(confirmed_count=F("confirmed_count") + 2)
    pledge = pledge_with_measures(amounts=("1000", "250"))
    summary = CampaignSummary.objects.get(campaign=pledge.campaign)
    summary.data = {**summary.data, "pledges": 7}
    summary.save()
    return idea, action, track, summary


def test_drift_is_reported_with_exit_status_1_and_nothing_changes():
    idea, _action, track, _summary = _drifted_rows()
    status, output = _run()
    assert status == 1
    assert "plans.Idea.support_count: 1 drift" in output
    assert f"#{idea.pk}: stored 1, counted 2" in output
    assert "plans.Idea.comment_count: 1 drift" in output
    assert "plans.Action.comment_count: 1 drift" in output
    assert f"#{track.pk}: stored 3, counted 1" in output
    assert "pledges.CampaignSummary.data: 1 drift" in output and "stored 7 pledges" in output
    assert "check-counters --fix" in output
    idea.refresh_from_db()
    assert (idea.support_count, idea.comment_count) == (1, 5)


def test_fix_repairs_every_counter_and_a_second_run_finds_nothing():
    idea, action, track, summary = _drifted_rows()
    status, output = _run("--fix")
    assert status == 0 and "5 repaired." in output
    idea.refresh_from_db()
    action.refresh_from_db()
    track.refresh_from_db()
    summary.refresh_from_db()
    assert (idea.support_count, idea.comment_count, action.comment_count) == (2, 0, 1)
    assert track.confirmed_count == 1
    assert summary.data["pledges"] == 1 and summary.data["measures"] == 2
    status, output = _run()
    assert status == 0 and "Every counter matches its rows." in output


def test_one_counter_can_be_named_and_an_unknown_one_is_refused():
    from django.core.management import CommandError

    _drifted_rows()
    status, output = _run("--fix", "plans.Idea.support_count")
    assert status == 0 and "plans.Idea.support_count: 1 repaired" in output
    assert "events.Track" not in output
    assert _run("plans.Idea.support_count")[0] == 0
    assert _run()[0] == 1  # the others are still off
    with pytest.raises(CommandError, match="Unknown counter"):
        call_command("check_counters", "plans.Idea.likes")


def test_the_demo_keeps_every_counter_consistent():
    call_command("demo_data", verbosity=0)
    assert Support.objects.count() > 100  # the insights residents' supports are there
    status, output = _run()
    assert status == 0, output
