"""The demo tells one true story whatever the day `cocity demo-data` runs (issue 16).

The demo is built once per day tried (today, in a year, 29 February, 31 December), with
``timezone.now()`` moved to that day by time-machine during the build and the checks; each build
is rolled back after its tests. Each test asserts one invariant of the story: no history step in
the future, steps in order, signatures on the day of the "signed" step, reports after signing,
deadlines after their step, an upcoming webinar with speakers and interpretation that one can
register for, a past webinar with its materials, an open brainstorm that takes ideas, an action
plan with progress, pledge reports due and overdue, a peer-learning cycle with two tracks to come
(across a clock change, checked for every day of two years); and a second run changes none of it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cocity.commons.models import Pact, PactHistoryEntry, PactParty, PactReport, PactVersion
from cocity.core.demo import DEMO_DOMAIN
from cocity.events import demo as event_demo
from cocity.events import services as event_services
from cocity.events.models import Event, Registration, Session
from cocity.library.models import LibraryItem
from cocity.participation.models import Comment, Support
from cocity.plans import services as plan_services
from cocity.plans.models import Idea, Process, ProgressUpdate
from cocity.pledges.models import Pledge, ProgressReport
from cocity.pledges.selectors import overdue_pledges

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def _days() -> list[dt.date]:
    today = dt.date.today()
    try:
        in_a_year = today.replace(year=today.year + 1)
    except ValueError:  # today is 29 February
        in_a_year = today.replace(year=today.year + 1, day=28)
    # 29 February and 31 December of the coming years (the days around a clock change are
    # checked for every day of two years below, without building the demo each time).
    leap = next(y for y in range(today.year + 1, today.year + 9) if y % 4 == 0)
    return [today, in_a_year, dt.date(leap, 2, 29), dt.date(today.year + 1, 12, 31)]


DAYS = _days()


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BRUSSELS)


@pytest.fixture(scope="module", params=DAYS, ids=[d.isoformat() for d in DAYS])
def built(request, django_db_setup, django_db_blocker):
    """The demo built on one day (at 10:00 in Brussels), rolled back after the module."""
    day = request.param
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(_moment(day, 10), tick=True):
            call_command("demo_data", verbosity=0)
        yield day
        transaction.set_rollback(True)


@pytest.fixture
def clock(built, db):
    """The checks run an hour after the build, on the same day."""
    with time_machine.travel(_moment(built, 11), tick=True):
        assert timezone.localdate() == built
        yield built


def _user(local: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=f"{local}@{DEMO_DOMAIN}")


# --- histories --------------------------------------------------------------------------------


def test_no_history_step_is_in_the_future(clock) -> None:
    now, today = timezone.now(), timezone.localdate()
    for model, field in [
        (PactHistoryEntry, "created_at"),
        (PactReport, "created_at"),
        (PactVersion, "created_at"),
        (PactParty, "signed_at"),
        (Pact, "state_since"),
        (Pact, "created_at"),
        (Idea, "created_at"),
        (Comment, "created_at"),
        (Support, "created_at"),
        (Registration, "created_at"),
        (LibraryItem, "published_at"),
        (Event, "created_at"),
    ]:
        late = model.objects.filter(**{f"{field}__gt": now})
        assert not late.exists(), (model.__name__, field, list(late.values_list(field)[:3]))
    assert not ProgressUpdate.objects.filter(on__gt=today).exists()
    assert not ProgressReport.objects.filter(reported_on__gt=today).exists()
    assert not Pledge.objects.filter(signed_on__gt=today).exists()


def test_pact_histories_are_in_order_with_deadlines_after_their_step(clock) -> None:
    pacts = Pact.objects.prefetch_related("history")
    assert pacts.count() >= 5
    for pact in pacts:
        entries = sorted(pact.history.all(), key=lambda e: e.pk)
        assert entries[0].action == "create"
        assert pact.created_at == entries[0].created_at
        for before, after in itertools.pairwise(entries):
            assert before.created_at < after.created_at, (pact.title, before.action, after.action)
            assert after.from_state == before.to_state, (pact.title, after.action)
        for entry in entries:
            if entry.due_on is not None:
                assert entry.due_on >= timezone.localdate(entry.created_at), (
                    pact.title,
                    entry.action,
                )
        assert pact.state == entries[-1].to_state
        assert pact.state_since == entries[-1].created_at
        assert pact.step_due_on == entries[-1].due_on


def test_signatures_carry_the_day_of_the_signed_step_and_reports_come_after(clock) -> None:
    signed = PactHistoryEntry.objects.filter(action="sign").select_related("pact")
    assert signed.count() >= 2  # the garden (ordinary) and the library (after co-design)
    for step in signed:
        pact = step.pact
        parties = list(pact.parties.all())
        assert all(p.signed_at for p in parties), pact.title
        assert {timezone.localdate(p.signed_at) for p in parties} == {
            timezone.localdate(step.created_at)
        }
        assert max(p.signed_at for p in parties) == step.created_at
        earlier = pact.history.filter(id__lt=step.pk).order_by("-id").first()
        assert min(p.signed_at for p in parties) > earlier.created_at
        for report in pact.reports.all():
            assert report.created_at > step.created_at, pact.title
            assert report.period_start >= pact.starts_on
            assert report.period_end < timezone.localdate(report.created_at)
        for entry in pact.history.filter(action="report"):
            assert entry.created_at > step.created_at
    # The complex pact that was co-designed then signed went through every step.
    library = Pact.objects.get(title__startswith="Shared management of the neighbourhood")
    actions = list(library.history.order_by("id").values_list("action", flat=True))
    assert actions[:7] == [
        "create",
        "submit",
        "take_up",
        "open_window",
        "start_co_design",
        "sign",
        "activate",
    ]
    assert library.versions.filter(created_at__lt=library.history.get(action="sign").created_at)


def test_a_pact_in_co_design_and_one_overdue_for_review(clock) -> None:
    today = timezone.localdate()
    hub = Pact.objects.get(title="A neighbourhood hub in the former Corticella school")
    assert hub.state == Pact.State.CO_DESIGN and hub.step_due_on > today
    window = hub.history.get(action="open_window").created_at
    co_design = hub.history.get(action="start_co_design").created_at
    assert all(window < c.created_at < co_design for c in Comment.objects.filter(object_id=hub.pk))
    late = Pact.objects.get(title="Benches and shade for Piazza Lipparini")
    assert late.state == Pact.State.UNDER_REVIEW and late.is_overdue


# --- events -----------------------------------------------------------------------------------


def test_an_upcoming_webinar_with_speakers_and_interpretation_is_open_for_registration(
    clock,
) -> None:
    now = timezone.now()
    webinars = Event.objects.filter(
        kind=Event.Kind.WEBINAR,
        status=Event.Status.PUBLISHED,
        series__slug="enabler-series",
        starts_at__gt=now,
    ).order_by("starts_at")
    webinar = webinars.first()
    assert webinar is not None
    speakers = list(webinar.speakers.all())
    assert len(speakers) >= 3 and all(s.affiliation for s in speakers)
    assert {"fr>en", "en>fr"} <= set(webinar.interpretation)
    # Anyone signed in can register: a confirmed place, through the service the page uses.
    assert webinar.registration_mode == Event.Registration.INTERNAL
    track = webinar.tracks.get()
    answers = {str(q.pk): "Comune di Bologna" for q in webinar.questions.filter(required=True)}
    registration = event_services.registration_create(
        track=track, user=_user("giulia"), answers=answers
    )
    assert registration.status == Registration.Status.CONFIRMED


def test_the_seed_webinar_is_past_with_its_recording_and_slides(clock) -> None:
    seed = Event.objects.get(slug="defending-meaningful-urban-co-production-at-scale")
    assert seed.ends_at < timezone.now()
    assert seed.speakers.count() == 4
    kinds = set(seed.materials.values_list("kind", flat=True))
    assert "slides" in kinds and seed.materials.count() >= 2
    assert all(m.href for m in seed.materials.all())
    assert seed.registrations.filter(attended=True).exists()
    # Nobody registered after the event, nor attended one still to come.
    assert not Registration.objects.filter(event__starts_at__gt=timezone.now(), attended=True)


def test_a_peer_learning_cycle_with_two_hemisphere_tracks_is_still_to_come(clock) -> None:
    now = timezone.now()
    cycles = Event.objects.filter(kind=Event.Kind.PEER_LEARNING, starts_at__gt=now)
    assert cycles.exists()
    for cycle in cycles:
        tracks = list(cycle.tracks.order_by("position"))
        assert len(tracks) == 2
        assert "Western Hemisphere" in tracks[0].name and "Eastern Hemisphere" in tracks[1].name
        for track in tracks:
            starts = list(track.sessions.values_list("start", flat=True))
            assert len(starts) == 2 and all(s > now for s in starts)
    # The first cycle happened, in the same two tracks.
    first = Event.objects.get(slug="commoning-peer-learning-first-cycle")
    assert first.ends_at < now and first.tracks.count() == 2


def test_the_next_cycle_straddles_a_clock_change_and_starts_in_two_weeks_whatever_the_day():
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    start = dt.date.today()
    for n in range(2 * 366):
        day = start + dt.timedelta(days=n)
        first, second = event_demo._cycle_thursdays(day)
        assert first.weekday() == second.weekday() == 3
        assert first >= day + dt.timedelta(days=14), day
        offsets = {
            dt.datetime.combine(d, dt.time(15), tzinfo=paris).utcoffset() for d in (first, second)
        }
        assert len(offsets) == 2, day  # the clocks change between the two sessions


def test_sessions_of_every_event_follow_its_dates(clock) -> None:
    for event in Event.objects.all():
        sessions = Session.objects.filter(track__event=event)
        assert sessions.exists(), event.slug
        assert event.starts_at == min(s.start for s in sessions)
        assert all(s.end > s.start for s in sessions)


# --- processes --------------------------------------------------------------------------------


def test_the_cities_of_equality_brainstorm_is_open_for_ideas(clock) -> None:
    open_ = [
        p for p in Process.objects.filter(space__slug="cities-of-equality") if p.allows("post")
    ]
    assert len(open_) == 1
    brainstorm = open_[0]
    ideas = brainstorm.ideas.all()
    assert ideas.count() >= 3
    assert sum(i.support_count for i in ideas) > 0 and sum(i.comment_count for i in ideas) > 0
    phase = brainstorm.active_phase()
    for idea in ideas:
        assert idea.created_at.date() >= phase.starts_on
    # A newcomer posts an idea through the service the page uses.
    idea = plan_services.idea_create(
        process=brainstorm, author=_user("amina"), title="Une idée de Dakar", body="Texte."
    )
    assert idea.pk


def test_the_partners_prioritise_the_ideas_after_the_brainstorm_closes(clock) -> None:
    brainstorm = Process.objects.get(slug="cities-of-equality-brainstorm")
    prioritise = brainstorm.phases.get(kind="prioritise")
    workshop = Event.objects.get(slug="cities-of-equality-prioritisation-workshop")
    day = timezone.localdate(workshop.starts_at)
    assert prioritise.starts_on <= day <= prioritise.ends_on
    assert workshop.speakers.exists()


def test_no_webinar_or_workshop_between_christmas_and_new_year(clock) -> None:
    for event in Event.objects.filter(starts_at__gt=timezone.now()):
        day = timezone.localdate(event.starts_at)
        assert not ((day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 6)), (
            event.slug,
            day,
        )


def test_an_older_brainstorm_became_an_action_plan_with_progress(clock) -> None:
    today = timezone.localdate()
    plan = Process.objects.get(slug="cities-of-equality-action-plan")
    assert plan.plan_state == Process.PlanState.ADOPTED and plan.plan_adopted_on < today
    assert plan.active_phase().kind == "monitor"
    assert not plan.allows("post")
    collect = plan.phases.get(kind="collect")
    for idea in plan.ideas.all():
        assert collect.starts_on <= timezone.localdate(idea.created_at) <= collect.ends_on
        supports = Support.objects.filter(object_id=idea.pk, content_type__model="idea")
        # Supports were given while the phase allowed them.
        for given in supports.values_list("created_at", flat=True):
            assert idea.created_at <= given
            assert timezone.localdate(given) <= collect.ends_on
    actions = plan.actions.all()
    assert actions.filter(progress__gt=0).count() >= 2
    assert actions.filter(status="delayed", due_on__lt=today).exists()
    assert actions.filter(status="planned", starts_on__gt=today).exists()
    for update in ProgressUpdate.objects.filter(action__process=plan):
        assert update.action.starts_on <= update.on <= today


# --- pledges ----------------------------------------------------------------------------------


def test_pledge_reports_are_due_and_overdue(clock) -> None:
    today = timezone.localdate()
    assert overdue_pledges().exists()
    soon = Pledge.objects.filter(
        state=Pledge.State.PUBLISHED,
        report_due_on__gte=today,
        report_due_on__lte=today + dt.timedelta(days=45),
    )
    assert soon.exists()


# --- a second run -----------------------------------------------------------------------------


def test_a_second_run_duplicates_nothing_and_keeps_the_story(clock) -> None:
    models = [Event, Session, Registration, Idea, Comment, Support, Pact, PactHistoryEntry]
    counts = {m.__name__: m.objects.count() for m in models}
    registered_before = Registration.objects.count()
    call_command("demo_data", verbosity=0)
    assert {m.__name__: m.objects.count() for m in models} == counts
    assert Registration.objects.count() == registered_before
    test_no_history_step_is_in_the_future(clock)
    test_pact_histories_are_in_order_with_deadlines_after_their_step(clock)
    test_signatures_carry_the_day_of_the_signed_step_and_reports_come_after(clock)


def test_each_demo_person_can_do_what_the_readme_says(clock) -> None:
    """cocity.core.demo.ROLES (printed by demo-data, told in the README) is true."""
    brainstorm = Process.objects.get(slug="cities-of-equality-brainstorm")
    assert _user("claire").has_perm("plans.facilitate", brainstorm)
    webinar = Event.objects.get(slug="co-producing-the-city-from-below-brazil-france")
    assert _user("lena").has_perm("events.manage_registrations", webinar)
    assert webinar.registrations.filter(user=_user("amina")).exists()
    hub = Pact.objects.get(title="A neighbourhood hub in the former Corticella school")
    for local in ("giulia", "ana", "youssef"):
        assert _user(local).has_perm("commons.sign_pact", hub), local
    garden = Pact.objects.get(title="Caring for the Fioravanti garden")
    assert _user("nikos").has_perm("commons.report_pact", garden)
    lyon = Pledge.objects.get(organisation__slug="metropole-de-lyon")
    marseille = Pledge.objects.get(organisation__slug="ville-de-marseille")
    assert _user("camille").has_perm("pledges.file_report", lyon) and not lyon.is_overdue()
    assert _user("sophie").has_perm("pledges.file_report", marseille) and marseille.is_overdue()
