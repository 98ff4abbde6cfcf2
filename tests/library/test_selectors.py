import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cocity.library import selectors, services
from cocity.library.models import ContactRequest
from cocity.network.models import Role, Territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roma(editorial, publish, topic_factory, organisation_factory, territory_factory):  # type: ignore[no-untyped-def]
    space, author, editor = editorial
    roma = topic_factory(slug="roma-inclusion", name="Roma inclusion")
    france = territory_factory(code="FR", name="France")
    toulouse_city = territory_factory(
        code="FR-TLS", name="Toulouse", kind=Territory.Kind.CITY, parent=france
    )
    toulouse = organisation_factory(name="Mairie de Toulouse")
    marseille = organisation_factory(name="Ville de Marseille")
    item = publish(
        author=author, editor=editor, space=space,
        title="Toulouse: study visit on Roma access to housing",
        body="How cities support Roma to move from camps into adequate housing.",
        topics=[roma], territories=[toulouse_city], organisations=[toulouse],
    )  # fmt: skip
    return {"topic": roma, "toulouse": toulouse, "marseille": marseille, "item": item}


def test_need_matches_practice_and_peer_with_reasons(
    roma, user_factory, organisation_membership_factory
):
    officer = user_factory()
    organisation_membership_factory(organisation=roma["marseille"], user=officer, role=Role.EDITOR)
    need = services.post_create(
        user=officer, organisation=roma["marseille"], kind="need",
        text="How do other cities help Roma families move from camps into housing?",
        topics=[roma["topic"]],
    )  # fmt: skip
    practices, peers = selectors.matches_for(user=AnonymousUser(), post=need)
    assert practices[0].item == roma["item"]
    assert any("topics" in r for r in practices[0].reasons)
    assert any("words" in r for r in practices[0].reasons)
    assert peers[0].organisation == roma["toulouse"]
    assert "ran the practice" in peers[0].reasons[0]


def test_contact_request_accept_and_decline(
    roma, user_factory, organisation_membership_factory, client, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    asker = user_factory(email="asker@marseille.example")
    answerer = user_factory(email="officer@toulouse.example")
    organisation_membership_factory(organisation=roma["marseille"], user=asker, role=Role.EDITOR)
    organisation_membership_factory(organisation=roma["toulouse"], user=answerer, role=Role.EDITOR)
    need = services.post_create(
        user=asker, organisation=roma["marseille"], kind="need", text="Roma housing?"
    )
    with django_capture_on_commit_callbacks(execute=True):
        contact = services.contact_send(
            user=asker, post=need, from_organisation=roma["marseille"],
            to_organisation=roma["toulouse"], message="Could we visit?",
        )  # fmt: skip
    assert mailoutbox[-1].to == ["officer@toulouse.example"]
    assert "asker@marseille.example" not in mailoutbox[-1].body  # no address before acceptance
    with pytest.raises(ValidationError):
        services.contact_send(
            user=asker, post=need, from_organisation=roma["marseille"],
            to_organisation=roma["toulouse"], message="Again",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.contact_answer(user=asker, contact=contact, accept=True)
    client.force_login(answerer)
    page = client.get(reverse("library:contact_list"))
    assert b"Could we visit?" in page.content and b"asker@marseille.example" not in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("library:contact_answer", args=[contact.pk]), {"answer": "accept"})
    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.ACCEPTED
    to_asker = [m for m in mailoutbox if m.to == ["asker@marseille.example"]][-1]
    assert "officer@toulouse.example" in to_asker.body
    assert b"asker@marseille.example" in client.get(reverse("library:contact_list")).content
    with pytest.raises(PermissionDenied):
        services.contact_answer(user=answerer, contact=contact, accept=False)


def test_related_items(roma, editorial, publish):
    space, author, editor = editorial
    other = publish(author=author, editor=editor, space=space, title="Marseille slums",
                    body="Roma families", topics=[roma["topic"]])  # fmt: skip
    related = selectors.related_items(user=AnonymousUser(), item=roma["item"])
    assert related[0].item == other and related[0].reasons == ["same topics"]
