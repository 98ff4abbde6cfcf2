"""The API's writes: register for a track and cancel, post an idea, support it, comment on it,
follow a space or an organisation, file a progress report. Each through the capability's
service with the pages' rules; 401 without a valid token, 403 without the scope, 404 for what the
caller may not see or is not theirs, 422 for invalid input, 409 for a rule's refusal, 429 beyond
the pages' write limit; an Idempotency-Key makes a retry harmless."""

import datetime
import json
import threading

import pytest
from django.db import connection, connections

from cocity.api.models import IdempotencyKey
from cocity.api.services import token_create, token_revoke
from cocity.events.models import Question, Registration
from cocity.network.models import Role, Space
from cocity.participation.models import Comment, Follow, Support
from cocity.plans.models import Idea
from cocity.pledges.models import ProgressReport
from tests.factories import (
    OrganisationMembershipFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
    event_with_session,
    pledge_with_measures,
    process_in_phase,
)

PROBLEM = "application/problem+json"


@pytest.fixture
def api_post(client):  # type: ignore[no-untyped-def]
    def post(path, body=None, token=None, key=None, method="post"):  # type: ignore[no-untyped-def]
        headers = {}
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        send = getattr(client, method)
        return send(
            "/api/v1" + path,
            data=json.dumps(body if body is not None else {}),
            content_type="application/json",
            **headers,
        )

    return post


def _problem(response, status):  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"]
    return body


# --- events -----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestRegistration:
    def test_register_then_cancel_through_the_services(self, api_post, token_for, mailoutbox):
        event, track = event_with_session(capacity=1)
        person = UserFactory()
        token = token_for(person, "write:events")
        path = f"/events/{event.slug}/tracks/{track.pk}/registrations"
        response = api_post(path, token=token)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "confirmed" and body["event"] == event.slug
        assert body["track_id"] == track.pk and body["cancelled_at"] is None
        registration = Registration.objects.get()
        assert registration.user == person and body["id"] == registration.pk
        track.refresh_from_db()
        assert track.confirmed_count == 1
        # The track is full: the next person goes on the wait list, as on the page.
        other = UserFactory()
        waiting = api_post(path, token=token_for(other, "write:events")).json()
        assert waiting["status"] == "waitlisted"
        # Twice for the same event: refused by the service's rule.
        _problem(api_post(path, token=token), 409)
        # Cancelling frees the place for the first person waiting.
        cancelled = api_post(f"/registrations/{registration.pk}/cancel", token=token)
        assert cancelled.status_code == 200, cancelled.content
        assert cancelled.json()["status"] == "cancelled"
        assert cancelled.json()["promoted"] == waiting["id"]
        assert Registration.objects.get(pk=waiting["id"]).status == "confirmed"
        detail = _problem(api_post(f"/registrations/{registration.pk}/cancel", token=token), 409)
        assert "already cancelled" in detail["detail"]

    def test_someone_else_s_registration_is_not_found(self, api_post, token_for):
        event, track = event_with_session()
        owner = UserFactory()
        path = f"/events/{event.slug}/tracks/{track.pk}/registrations"
        registration_id = api_post(path, token=token_for(owner, "write:events")).json()["id"]
        stranger = token_for(UserFactory(), "write:events")
        _problem(api_post(f"/registrations/{registration_id}/cancel", token=stranger), 404)
        _problem(api_post(f"/registrations/{2**70}/cancel", token=stranger), 404)
        assert Registration.objects.get().status == "confirmed"

    def test_a_members_only_event_is_not_found_and_an_unknown_track_neither(
        self, api_post, token_for
    ):
        space = SpaceFactory(visibility=Space.Visibility.MEMBERS)
        event, track = event_with_session(space=space)
        outsider = token_for(UserFactory(), "write:events")
        path = f"/events/{event.slug}/tracks/{track.pk}/registrations"
        _problem(api_post(path, token=outsider), 404)
        member = UserFactory()
        SpaceMembershipFactory(space=space, user=member)
        assert api_post(path, token=token_for(member, "write:events")).status_code == 201
        other_event, _other_track = event_with_session()
        wrong = f"/events/{other_event.slug}/tracks/{track.pk}/registrations"
        _problem(api_post(wrong, token=token_for(member, "write:events")), 404)
        huge = f"/events/{event.slug}/tracks/{2**70}/registrations"
        _problem(api_post(huge, token=outsider), 404)
        assert Registration.objects.count() == 1

    def test_rule_refusals_are_409_and_missing_answers_422(self, api_post, token_for):
        event, track = event_with_session()
        token = token_for(UserFactory(), "write:events")
        path = f"/events/{event.slug}/tracks/{track.pk}/registrations"
        question = Question.objects.create(event=event, label="Organisation", required=True)
        invalid = _problem(api_post(path, {"answers": {}}, token=token), 422)
        assert invalid["errors"][0]["field"] == f"q{question.pk}"
        too_long = {"answers": {str(question.pk): "x" * 3000}}
        _problem(api_post(path, too_long, token=token), 422)
        _problem(api_post(path, {"answers": "nope"}, token=token), 422)
        event.status = "cancelled"
        event.save()
        refused = _problem(api_post(path, {"answers": {str(question.pk): "Us"}}, token=token), 409)
        assert "cancelled" in refused["detail"]
        assert not Registration.objects.exists()

    def test_the_same_key_twice_registers_once_with_the_same_answer(self, api_post, token_for):
        event, track = event_with_session()
        token = token_for(UserFactory(), "write:events")
        path = f"/events/{event.slug}/tracks/{track.pk}/registrations"
        first = api_post(path, token=token, key="retry-1")
        again = api_post(path, token=token, key="retry-1")
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json()
        assert Registration.objects.count() == 1
        # The same key for another request is refused, and writes nothing.
        other_event, other_track = event_with_session()
        other = f"/events/{other_event.slug}/tracks/{other_track.pk}/registrations"
        _problem(api_post(other, token=token, key="retry-1"), 422)
        assert Registration.objects.count() == 1
        # A failed request keeps no answer: fixed, the same key then works.
        question = Question.objects.create(event=other_event, label="Why?", required=True)
        _problem(api_post(other, token=token, key="retry-2"), 422)
        body = {"answers": {str(question.pk): "Because"}}
        assert api_post(other, body, token=token, key="retry-2").status_code == 201
        assert Registration.objects.count() == 2
        _problem(api_post(path, token=token, key="k" * 201), 422)


# --- tokens and scopes --------------------------------------------------------------------------


@pytest.mark.django_db
def test_wrong_or_revoked_tokens_401_and_missing_scopes_403(api_post, token_for):
    event, track = event_with_session()
    person = UserFactory()
    path = f"/events/{event.slug}/tracks/{track.pk}/registrations"
    _problem(api_post(path), 401)
    _problem(api_post(path, token="cct_00000000_wrong"), 401)
    token, secret = token_create(user=person, name="old", scopes=["write:events"])
    token_revoke(user=person, token=token)
    _problem(api_post(path, token=secret), 401)
    for scopes in (("read",), ("write:plans", "write:network", "write:pledges")):
        refused = _problem(api_post(path, token=token_for(person, *scopes)), 403)
        assert "write:events" in refused["detail"]
    process, _organiser = process_in_phase("collect")
    idea = Idea.objects.create(process=process, author=person, title="Benches", body="More.")
    read_only = token_for(person, "read", "write:events")
    _problem(api_post(f"/processes/{process.slug}/ideas", {"title": "t", "body": "b"},
                      token=read_only), 403)  # fmt: skip
    _problem(api_post(f"/processes/{process.slug}/ideas/{idea.pk}/support", token=read_only), 403)
    _problem(api_post(f"/spaces/{process.space.slug}/follow", token=read_only), 403)
    _problem(api_post("/pledges/1/reports", {}, token=read_only), 403)
    assert not Registration.objects.exists() and not Support.objects.exists()
    assert not Follow.objects.filter(user=person).exclude(object_id=idea.pk).exists()


@pytest.mark.django_db
def test_writes_count_against_the_pages_limit_with_429(api_post, token_for, settings, client):
    settings.COCITY_POST_RATE = "2/m"
    space = SpaceFactory()
    person = UserFactory()
    token = token_for(person, "write:network")
    assert api_post(f"/spaces/{space.slug}/follow", token=token).status_code == 200
    assert api_post(f"/spaces/{space.slug}/follow", token=token).status_code == 200
    refused = _problem(api_post(f"/spaces/{space.slug}/follow", token=token), 429)
    assert refused["status"] == 429
    response = api_post(f"/spaces/{space.slug}/follow", token=token)
    assert 1 <= int(response["Retry-After"]) <= 60
    # The same counter as the pages': the person's next page write is refused too.
    client.force_login(person)
    assert client.post(f"/spaces/{space.slug}/follow/", {"follow": "0"}).status_code == 429
    # Another person has their own allowance.
    other = token_for(UserFactory(), "write:network")
    assert api_post(f"/spaces/{space.slug}/follow", token=other).status_code == 200


# --- plans ------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestIdeas:
    def test_post_an_idea_as_on_the_page(self, api_post, token_for, topic_factory):
        process, _organiser = process_in_phase("collect")
        person = UserFactory()
        token = token_for(person, "write:plans")
        topic = topic_factory(slug="housing", name="Housing")
        body = {"title": "  A shared garden ", "body": "On the roof.", "topic": "housing"}
        response = api_post(f"/processes/{process.slug}/ideas", body, token=token, key="idea-1")
        assert response.status_code == 201, response.content
        idea = Idea.objects.get()
        assert idea.author == person and idea.title == "A shared garden" and idea.topic == topic
        assert response.json()["id"] == idea.pk and response.json()["url"].endswith(
            idea.get_absolute_url()
        )
        # Its author follows it, as when posted on the page.
        assert Follow.objects.filter(user=person, object_id=idea.pk).exists()
        again = api_post(f"/processes/{process.slug}/ideas", body, token=token, key="idea-1")
        assert again.json() == response.json() and Idea.objects.count() == 1

    def test_invalid_ideas_are_422_by_field(self, api_post, token_for):
        process, _organiser = process_in_phase("collect")
        token = token_for(UserFactory(), "write:plans")
        path = f"/processes/{process.slug}/ideas"
        for body, field in (
            ({"title": "", "body": "x"}, "title"),
            ({"title": "\x01", "body": "x"}, "title"),
            ({"title": "x" * 300, "body": "x"}, "title"),
            ({"title": "t", "body": "b", "topic": "no-such-topic"}, "topic"),
            ({"title": "t", "body": "b", "place": "XX-NOWHERE"}, "place"),
            ({"title": "t", "body": "b", "on_behalf_of": "not-mine"}, "on_behalf_of"),
            ({"title": "t", "body": "b", "latitude": 1e300}, "latitude"),
            ({"title": "t", "body": "b", "latitude": float("nan")}, "latitude"),
            ({"title": "t", "body": "b", "longitude": float("inf")}, "longitude"),
        ):
            problem = _problem(api_post(path, body, token=token), 422)
            assert field in {e["field"] for e in problem["errors"]}, (body, problem)
        _problem(api_post(path, {"title": "t"}, token=token), 422)
        _problem(api_post(path, {"title": ["t"], "body": "b", "extra": 1}, token=token), 422)
        assert not Idea.objects.exists()

    def test_a_closed_phase_is_409_and_a_hidden_process_404(self, api_post, token_for):
        process, _organiser = process_in_phase("monitor")
        token = token_for(UserFactory(), "write:plans")
        body = {"title": "t", "body": "b"}
        refused = _problem(api_post(f"/processes/{process.slug}/ideas", body, token=token), 409)
        assert "current phase" in refused["detail"]
        hidden, _organiser = process_in_phase(
            "collect", space=SpaceFactory(visibility=Space.Visibility.MEMBERS)
        )
        _problem(api_post(f"/processes/{hidden.slug}/ideas", body, token=token), 404)
        _problem(api_post("/processes/no-such-process/ideas", body, token=token), 404)
        assert not Idea.objects.exists()

    def test_support_with_the_process_limit_and_withdraw(self, api_post, token_for):
        process, _organiser = process_in_phase("collect", support_limit=1)
        ideas = [
            Idea.objects.create(process=process, author=UserFactory(), title=f"I{n}", body="b")
            for n in range(2)
        ]
        token = token_for(UserFactory(), "write:plans")
        first = f"/processes/{process.slug}/ideas/{ideas[0].pk}/support"
        response = api_post(first, token=token)
        assert response.status_code == 200, response.content
        assert response.json() == {"idea_id": ideas[0].pk, "supported": True, "support_count": 1}
        _problem(api_post(first, token=token), 409)  # already
        second = f"/processes/{process.slug}/ideas/{ideas[1].pk}/support"
        limit = _problem(api_post(second, token=token), 409)
        assert "1" in limit["detail"]
        withdrawn = api_post(first, token=token, method="delete")
        assert withdrawn.json() == {"idea_id": ideas[0].pk, "supported": False, "support_count": 0}
        assert api_post(second, token=token).status_code == 200
        assert Support.objects.count() == 1
        # An idea of another process, through this one: not found.
        stray = Idea.objects.create(
            process=process_in_phase("collect")[0], author=UserFactory(), title="x", body="b"
        )
        _problem(api_post(f"/processes/{process.slug}/ideas/{stray.pk}/support", token=token), 404)

    def test_comment_and_answer_a_comment(self, api_post, token_for):
        process, _organiser = process_in_phase("collect")
        idea = Idea.objects.create(process=process, author=UserFactory(), title="Trees", body="b")
        token = token_for(UserFactory(), "write:plans")
        path = f"/processes/{process.slug}/ideas/{idea.pk}/comments"
        response = api_post(path, {"body": " Yes! ", "stance": "for"}, token=token)
        assert response.status_code == 201, response.content
        comment = Comment.objects.get()
        assert response.json()["id"] == comment.pk and comment.body == "Yes!"
        assert comment.stance == "for"
        reply = api_post(path, {"body": "Agreed", "parent": comment.pk}, token=token).json()
        assert reply["parent"] == comment.pk and reply["stance"] == "neutral"
        _problem(api_post(path, {"body": ""}, token=token), 422)
        _problem(api_post(path, {"body": "x", "stance": "maybe"}, token=token), 422)
        _problem(api_post(path, {"body": "x", "parent": 2**70}, token=token), 422)
        other = Idea.objects.create(process=process, author=UserFactory(), title="Other", body="b")
        elsewhere = Comment.objects.create(
            content_type=comment.content_type, object_id=other.pk, author=comment.author, body="z"
        )
        _problem(api_post(path, {"body": "x", "parent": elsewhere.pk}, token=token), 422)
        assert Comment.objects.count() == 3
        done, _organiser = process_in_phase("monitor")
        closed = Idea.objects.create(process=done, author=UserFactory(), title="Late", body="b")
        closed_path = f"/processes/{done.slug}/ideas/{closed.pk}/comments"
        _problem(api_post(closed_path, {"body": "x"}, token=token), 409)


# --- network ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_follow_and_unfollow_spaces_and_organisations(api_post, token_for, organisation_factory):
    person = UserFactory()
    token = token_for(person, "write:network")
    space = SpaceFactory()
    assert api_post(f"/spaces/{space.slug}/follow", token=token).json() == {"following": True}
    assert api_post(f"/spaces/{space.slug}/follow", token=token).json() == {"following": True}
    assert Follow.objects.filter(user=person, object_id=space.pk).count() == 1
    gone = api_post(f"/spaces/{space.slug}/follow", token=token, method="delete")
    assert gone.json() == {"following": False} and not Follow.objects.exists()
    hidden = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    _problem(api_post(f"/spaces/{hidden.slug}/follow", token=token), 404)
    organisation = organisation_factory()
    assert api_post(f"/organisations/{organisation.slug}/follow", token=token).status_code == 200
    assert Follow.objects.filter(user=person, object_id=organisation.pk).exists()
    _problem(api_post("/organisations/nobody/follow", token=token), 404)
    _problem(api_post("/spaces/" + "x" * 5000 + "/follow", token=token), 404)


# --- pledges ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestProgressReports:
    def _owned(self):  # type: ignore[no-untyped-def]
        pledge = pledge_with_measures()
        owner = UserFactory()
        OrganisationMembershipFactory(
            organisation=pledge.organisation, user=owner, role=Role.EDITOR
        )
        return pledge, owner

    def test_file_a_report_on_a_measure(self, api_post, token_for):
        pledge, owner = self._owned()
        measure = pledge.measures.get()
        indicator = measure.indicators.get()
        body = {
            "measure": measure.pk,
            "reported_on": "2024-06-01",
            "spent": "250.50",
            "status": "on_track",
            "narrative": "First homes.",
            "indicators": {str(indicator.pk): "12"},
        }
        token = token_for(owner, "write:pledges")
        response = api_post(f"/pledges/{pledge.pk}/reports", body, token=token, key="r1")
        assert response.status_code == 201, response.content
        report = ProgressReport.objects.get()
        assert report.created_by == owner and str(report.spent) == "250.50"
        assert response.json()["id"] == report.pk and response.json()["spent"] == "250.50"
        measure.refresh_from_db()
        indicator.refresh_from_db()
        assert measure.status == "on_track" and indicator.current == 12
        again = api_post(f"/pledges/{pledge.pk}/reports", body, token=token, key="r1")
        assert again.json() == response.json() and ProgressReport.objects.count() == 1

    def test_invalid_reports_are_422_and_other_people_s_pledges_404(self, api_post, token_for):
        pledge, owner = self._owned()
        measure = pledge.measures.get()
        token = token_for(owner, "write:pledges")
        good = {"measure": measure.pk, "reported_on": "2024-06-01", "spent": "1",
                "status": "delayed"}  # fmt: skip
        path = f"/pledges/{pledge.pk}/reports"
        later = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
        for change, field in (
            ({"reported_on": "2023-01-01"}, "reported_on"),  # before the signature
            ({"reported_on": later}, "reported_on"),  # in the future
            ({"spent": "lots"}, "spent"),
            ({"spent": "1e400"}, "spent"),
            ({"measure": 2**40}, "measure"),
            ({"indicators": {"999999": "1"}}, "indicators"),
        ):
            problem = _problem(api_post(path, {**good, **change}, token=token), 422)
            assert field in {e["field"] for e in problem["errors"]}, (change, problem)
        _problem(api_post(path, {**good, "status": "great"}, token=token), 422)
        _problem(api_post(path, {**good, "reported_on": "someday"}, token=token), 422)
        stranger = token_for(UserFactory(), "write:pledges")
        _problem(api_post(path, good, token=stranger), 404)
        draft = pledge_with_measures(organisation=pledge.organisation, publish=False)
        draft_body = {**good, "measure": draft.measures.get().pk}
        _problem(api_post(f"/pledges/{draft.pk}/reports", draft_body, token=token), 404)
        _problem(api_post(f"/pledges/{2**70}/reports", good, token=token), 404)
        assert not ProgressReport.objects.exists()


# --- the same key at the same moment, on PostgreSQL ----------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: two connections at once"
)
def test_the_same_key_at_once_on_two_connections_registers_once(monkeypatch):
    from django.test import Client

    from cocity.events import services as event_services

    event, track = event_with_session(capacity=5)
    person = UserFactory()
    _token, secret = token_create(user=person, name="retrying", scopes=["write:events"])
    path = f"/api/v1/events/{event.slug}/tracks/{track.pk}/registrations"
    inside, release = threading.Event(), threading.Event()
    real = event_services.registration_create
    calls: list[int] = []

    def held(**kwargs):  # type: ignore[no-untyped-def]
        registration = real(**kwargs)
        calls.append(registration.pk)
        inside.set()
        assert release.wait(30)
        return registration

    monkeypatch.setattr(event_services, "registration_create", held)
    results: dict[str, object] = {}

    def send(name: str) -> None:
        try:
            results[name] = Client().post(
                path,
                data="{}",
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {secret}",
                HTTP_IDEMPOTENCY_KEY="same-moment",
            )
        except Exception as error:  # the assertions read it
            results[name] = error
        finally:
            connections.close_all()

    first = threading.Thread(target=send, args=("first",))
    first.start()
    assert inside.wait(30), results
    second = threading.Thread(target=send, args=("second",))
    second.start()
    second.join(1.0)
    assert second.is_alive(), "the second request should wait for the first one's key"
    release.set()
    first.join(30)
    second.join(30)
    a, b = results["first"], results["second"]
    assert a.status_code == b.status_code == 201, (a.content, b.content)  # type: ignore[union-attr]
    assert a.json() == b.json()  # type: ignore[union-attr]
    assert len(calls) == 1
    assert Registration.objects.filter(user=person).count() == 1
    assert IdempotencyKey.objects.get().status == 201


def test_a_method_no_router_has_is_a_405_problem(client):
    response = client.put("/api/v1/spaces/anything/follow")
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM
    assert {"DELETE", "POST"} <= {m.strip() for m in response["Allow"].split(",")}
