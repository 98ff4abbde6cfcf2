"""Public comments on pacts are participation comments (decision 0006): written while the public
window is open, with a stance and replies, reported to and moderated by the pact's officers (the
moderators of the commons' organisation), and notified to the proponents."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from cocity.commons import services
from cocity.commons.models import Pact
from cocity.participation import services as participation
from cocity.participation.models import ActivityEntry, Comment, Notification, Report
from tests.commons import scenario
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():  # type: ignore[no-untyped-def]
    return scenario.world()


def test_a_comment_is_a_participation_comment_on_the_pact(w):  # type: ignore[no-untyped-def]
    pact = scenario.in_window(w)
    comment = services.comment_add(
        pact=pact, author=w.public, body="  Keep the courtyard open.  ", stance="for"
    )
    assert comment.target == pact and comment.stance == "for"
    assert comment.body == "Keep the courtyard open."
    reply = services.comment_add(pact=pact, author=w.resident, body="We will.", parent=comment)
    assert reply.parent_id == comment.pk and reply.target == pact


def test_comments_only_while_the_window_is_open_and_signed_in(w):  # type: ignore[no-untyped-def]
    pact = scenario.under_review(w)
    with pytest.raises(PermissionDenied):
        services.comment_add(pact=pact, author=w.public, body="Too early")
    assert not Comment.objects.exists()


def test_a_reply_to_a_comment_on_another_pact_is_refused(w):  # type: ignore[no-untyped-def]
    first, second = scenario.in_window(w), scenario.in_window(w, proponent=UserFactory())
    other = services.comment_add(pact=first, author=w.public, body="Here")
    with pytest.raises(ValidationError):
        services.comment_add(pact=second, author=w.public, body="There", parent=other)
    assert Comment.objects.count() == 1


def test_the_proponents_and_the_author_answered_are_notified(w):  # type: ignore[no-untyped-def]
    pact = scenario.in_window(w)
    comment = services.comment_add(pact=pact, author=w.public, body="A question")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [w.resident.pk]
    assert "Passer-by commented on the pact" in Notification.objects.get().message
    assert Notification.objects.get().url.endswith(f"#comment-{comment.pk}")
    Notification.objects.all().delete()
    services.comment_add(pact=pact, author=w.resident, body="An answer", parent=comment)
    # The proponent wrote it, so only the author of the comment answered hears of it.
    assert list(Notification.objects.values_list("recipient", flat=True)) == [w.public.pk]


def test_the_pact_page_shows_the_thread_with_stance_and_replies(client, w):  # type: ignore[no-untyped-def]
    pact = scenario.in_window(w)
    client.force_login(w.public)
    url = reverse("commons:comment_add", args=[pact.pk])
    response = client.post(url, {"body": "Keep it green", "stance": "against"})
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    client.post(url, {"body": "Agreed", "parent": comment.pk})
    html = client.get(pact.get_absolute_url()).content.decode()
    assert "Keep it green" in html and "Agreed" in html and 'id="comment-' in html
    assert Comment.objects.get(body="Agreed").parent_id == comment.pk
    assert Comment.objects.get(body="Agreed").stance == "neutral"


def test_an_empty_comment_is_refused_with_nothing_written(client, w):  # type: ignore[no-untyped-def]
    pact = scenario.in_window(w)
    client.force_login(w.public)
    client.post(reverse("commons:comment_add", args=[pact.pk]), {"body": " \x00 "})
    assert not Comment.objects.exists()


def test_report_hide_and_log_through_the_organisations_queue(client, w):  # type: ignore[no-untyped-def]
    pact = scenario.in_window(w)
    comment = services.comment_add(pact=pact, author=w.public, body="Rude words")
    client.force_login(w.resident)
    report_url = reverse("commons:comment_report", args=[pact.pk, comment.pk])
    client.post(report_url, {"reason": "Insulting"})
    report = Report.objects.get()
    assert report.target == comment and report.organisation == w.comune
    assert report.space is None

    queue = reverse("participation:organisation_moderation", args=[w.comune.slug])
    assert client.get(queue).status_code == 404  # the reporter is no moderator
    client.force_login(w.clerk)
    assert client.get(queue).status_code == 404  # a plain member of the city neither
    client.force_login(w.officer)
    page = client.get(queue)
    assert page.status_code == 200 and "Insulting" in page.content.decode()
    assert "Reports to moderate" in client.get(pact.get_absolute_url()).content.decode()
    client.post(
        reverse("participation:organisation_report_decide", args=[w.comune.slug, report.pk]),
        {"decision": "hide", "reason": "Insults are not welcome"},
    )
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Insults are not welcome"
    entry = ActivityEntry.objects.get()
    assert entry.organisation == w.comune and entry.verb == "hide" and entry.actor == w.officer
    log = client.get(reverse("participation:organisation_activity", args=[w.comune.slug]))
    assert "Insults are not welcome" in log.content.decode()

    html = client.get(pact.get_absolute_url()).content.decode()
    assert "Rude words" not in html and "Removed by the moderators" in html


def test_a_hidden_comment_cannot_be_reported_again(client, w):  # type: ignore[no-untyped-def]
    pact = scenario.in_window(w)
    comment = services.comment_add(pact=pact, author=w.public, body="Spam")
    participation.content_hide(
        target=comment, organisation=w.comune, moderator=w.officer, reason="Spam"
    )
    client.force_login(w.resident)
    response = client.post(
        reverse("commons:comment_report", args=[pact.pk, comment.pk]), {"reason": "Spam"}
    )
    assert response.status_code == 404 and not Report.objects.exists()


def test_reporting_needs_to_be_signed_in_and_to_see_the_pact(client, w):  # type: ignore[no-untyped-def]
    pact = scenario.in_window(w)
    comment = services.comment_add(pact=pact, author=w.public, body="Hello")
    url = reverse("commons:comment_report", args=[pact.pk, comment.pk])
    response = client.post(url, {"reason": "Why not"})
    assert response.status_code == 302 and "login" in response["Location"]
    with pytest.raises(PermissionDenied):
        services.comment_report(comment=comment, reporter=AnonymousUser(), reason="not signed in")
    assert not Report.objects.exists()


def test_a_report_belongs_to_a_space_or_an_organisation(w):  # type: ignore[no-untyped-def]
    pact = scenario.in_window(w)
    comment = services.comment_add(pact=pact, author=w.public, body="Hello")
    with pytest.raises(TypeError):
        participation.report_create(target=comment, reporter=w.resident, reason="x")
    assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_pact_comments_onto_participation_comments():  # type: ignore[no-untyped-def]
    before = [("commons", "0003_pact_report_is_a_progress_report")]
    w = scenario.world()  # with today's tables (later migrations add columns), then back to 0003
    pact = scenario.in_window(w)
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    author = old.get_model("accounts", "User").objects.create(
        email="old@example.org", display_name="Old commenter"
    )
    old.get_model("commons", "PactComment").objects.create(
        pact_id=pact.pk, author_id=author.pk, body="Written before the upgrade"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    comment = Comment.objects.get()
    assert comment.target == Pact.objects.get(pk=pact.pk)
    assert (comment.author_id, comment.body, comment.stance) == (
        author.pk,
        "Written before the upgrade",
        "neutral",
    )
