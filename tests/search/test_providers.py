import pytest
from django.contrib.auth.models import AnonymousUser

from cocity.events import services as event_services
from cocity.network.models import Space
from cocity.search.models import Document
from cocity.search.registry import providers
from cocity.search.selectors import match, parse_query, visible_documents

pytestmark = pytest.mark.django_db


def test_every_capability_registers_once():
    keys = {p.key for p in providers()}
    assert {"library.item", "events.event", "plans.idea", "plans.action", "commons.pact"} <= keys


def test_event_indexed_on_write_and_hidden_for_members_only(space_factory, user_factory):
    admin = user_factory()
    public = space_factory()
    event = event_services.event_create(
        space=public,
        actor=admin,
        title="Peer learning on commoning",
        slug="peer-commoning",
        summary="Remunicipalisation of basic services",
        status="published",
        time_zone="Europe/Paris",
    )
    found = match(visible_documents(AnonymousUser()), parse_query("remunicipalisation").terms)
    assert [d.object_id for d in found] == [event.pk]
    event_services.event_update(event=event, actor=admin, status="draft")
    assert not Document.objects.filter(provider="events.event").exists()
    secret = space_factory(
        visibility=Space.Visibility.MEMBERS, join_policy=Space.JoinPolicy.INVITATION
    )
    event_services.event_create(
        space=secret,
        actor=admin,
        title="Closed meeting",
        slug="closed",
        status="published",
        summary="remunicipalisation",
        time_zone="Europe/Paris",
    )
    assert not match(
        visible_documents(user_factory()), parse_query("remunicipalisation").terms
    ).exists()


def test_idea_and_action_providers(idea_factory, action_factory):
    from cocity.search import index

    idea, action = idea_factory(), action_factory()
    index.update(idea)
    index.update(action)
    assert set(Document.objects.values_list("provider", flat=True)) == {
        "plans.idea",
        "plans.action",
    }


@pytest.mark.parametrize("how", ["hide", "report"])
def test_an_idea_hidden_by_moderation_leaves_the_index(idea_factory, user_factory, how):
    from cocity.participation import services as participation
    from cocity.search import index

    idea = idea_factory(title="Rooftop gardens for the estate")
    index.update(idea)
    assert match(visible_documents(AnonymousUser()), parse_query("rooftop").terms).exists()
    moderator = user_factory()
    space = idea.process.space
    if how == "hide":
        participation.content_hide(target=idea, space=space, moderator=moderator, reason="Spam")
    else:
        report = participation.report_create(
            target=idea, space=space, reporter=user_factory(), reason="Advertising"
        )
        participation.report_decide(report=report, moderator=moderator, hide=True, reason="Spam")
    assert not match(visible_documents(AnonymousUser()), parse_query("rooftop").terms).exists()
    assert not Document.objects.filter(provider="plans.idea", object_id=idea.pk).exists()
