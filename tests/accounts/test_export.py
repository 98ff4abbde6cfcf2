"""The personal data export holds everything a person created or holds, app by app: each section
has the person's own rows, never another person's, in a number of queries that does not grow with
the rows. Deleting the account afterwards still anonymises it and keeps what they created."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocity.accounts import exports
from cocity.accounts.services import account_delete, account_export
from cocity.commons.models import PactParty, PactReport, PactVersion
from cocity.events.models import Question, Registration
from cocity.insights.models import DataSet
from cocity.library.models import ContactRequest, ItemTranslation, PeerPost, ReviewComment
from cocity.network.models import Invitation, JoinRequest, Role, Territory
from cocity.participation.models import Comment, Follow, Notification, Report, Support
from cocity.plans.models import Idea, IdeaAttachment, ProgressUpdate
from cocity.pledges.models import Measure, Pledge, ProgressReport
from tests.factories import (
    ActionFactory,
    CampaignFactory,
    IdeaFactory,
    LibraryItemFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    PactFactory,
    ProcessFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    TerritoryFactory,
    event_with_session,
)

pytestmark = pytest.mark.django_db

# Every section and the words one call of ``_one_of_each`` leaves in it. A new section must be
# added here (the first test fails otherwise), so that it is checked like the others.
SECTIONS = {
    "email_addresses": "@example.org",
    "organisation_memberships": "organisation {tag}",
    "space_memberships": "space {tag}",
    "join_requests": "may I join {tag}",
    "invitations_sent": "friend-{tag}@example.org",
    "spaces_created": "space {tag}",
    "event_registrations": "answer {tag}",
    "events_created": "event {tag}",
    "pledges": "measure {tag}",
    "pledge_progress_reports": "pledge report {tag}",
    "comments": "comment {tag}",
    "supports": "idea {tag}",
    "follows": "action {tag}",
    "moderation_reports_filed": "report {tag}",
    "notifications": "notification {tag}",
    "ideas": "attachment {tag}",
    "action_progress_reports": "action report {tag}",
    "pacts_proposed": "pact {tag}",
    "pact_signatures": "pact {tag}",
    "pact_progress_reports": "pact report {tag}",
    "pact_draft_versions": "draft {tag}",
    "library_items": "translation {tag}",
    "needs_and_offers": "need {tag}",
    "contact_requests_sent": "contact {tag}",
    "library_review_comments": "review {tag}",
    "data_sets_uploaded": "data {tag}",
}


def _one_of_each(person, tag: str, city: Territory) -> None:  # type: ignore[no-untyped-def]
    """One of every kind of thing a person can create or hold, each carrying ``tag``."""
    today = datetime.date(2025, 3, 1)
    organisation = OrganisationFactory(name=f"organisation {tag}")
    OrganisationMembershipFactory(user=person, organisation=organisation, role=Role.EDITOR)
    space = SpaceFactory(name=f"space {tag}", created_by=person)
    SpaceMembershipFactory(user=person, space=space, role=Role.EDITOR)
    JoinRequest.objects.create(space=SpaceFactory(), user=person, message=f"may I join {tag}")
    Invitation.objects.create(space=space, email=f"friend-{tag}@example.org", invited_by=person)

    # plans and participation
    process = ProcessFactory(space=space)
    idea = IdeaFactory(process=process, author=person, title=f"idea {tag}")
    IdeaAttachment.objects.create(
        idea=idea, file="ideas/x.pdf", name=f"attachment {tag}", mimetype="application/pdf", size=9
    )
    action = ActionFactory(process=process, title=f"action {tag}")
    ProgressUpdate.objects.create(
        action=action, author=person, text=f"action report {tag}", progress=10, status="planned"
    )
    Comment.objects.create(target=idea, author=person, body=f"comment {tag}")
    Support.objects.create(target=idea, user=person)
    Follow.objects.create(target=action, user=person)
    Report.objects.create(target=idea, space=space, reporter=person, reason=f"report {tag}")
    Notification.objects.create(recipient=person, kind="comment", message=f"notification {tag}")

    # events
    event, track = event_with_session(space=space, created_by=person, title=f"event {tag}")
    question = Question.objects.create(event=event, label=f"question {tag}")
    Registration.objects.create(
        event=event,
        track=track,
        user=person,
        status=Registration.Status.CONFIRMED,
        answers={str(question.pk): f"answer {tag}"},
    )

    # pledges
    pledge = Pledge.objects.create(
        campaign=CampaignFactory(),
        organisation=organisation,
        title=f"pledge {tag}",
        signed_by="The mayor",
        signed_on=today,
        created_by=person,
    )
    measure = Measure.objects.create(
        pledge=pledge,
        description=f"measure {tag}",
        amount="1000.00",
        currency="EUR",
        starts_on=today,
        ends_on=today,
    )
    ProgressReport.objects.create(
        measure=measure,
        reported_on=today,
        spent="10.00",
        status="on_track",
        narrative=f"pledge report {tag}",
        created_by=person,
    )

    # library
    item = LibraryItemFactory(space=space, author=person, title=f"item {tag}")
    ItemTranslation.objects.create(
        item=item, language="fr", title=f"translation {tag}", summary="."
    )
    PeerPost.objects.create(
        organisation=organisation, kind="offer", text=f"need {tag}", author=person
    )
    elsewhere = OrganisationFactory()
    their_post = PeerPost.objects.create(organisation=elsewhere, kind="need", text="Help")
    ContactRequest.objects.create(
        post=their_post,
        from_organisation=organisation,
        to_organisation=elsewhere,
        sender=person,
        message=f"contact {tag}",
    )
    ReviewComment.objects.create(item=item, author=person, body=f"review {tag}")

    # commons
    pact = PactFactory(created_by=person, title=f"pact {tag}")
    PactParty.objects.create(
        pact=pact, role="proponent", person=person, signed_by=person, signed_at=timezone.now()
    )
    PactReport.objects.create(
        pact=pact, period_start=today, period_end=today, summary=f"pact report {tag}", author=person
    )
    PactVersion.objects.create(pact=pact, number=1, text=f"draft {tag}", author=person)

    # insights
    DataSet.objects.create(
        city=city, name=f"data {tag}", year=2024, groups=[{"column": "a"}], created_by=person
    )


@pytest.fixture
def city() -> Territory:
    return TerritoryFactory(name="Lyon", code="FR-LYS", kind=Territory.Kind.CITY)


def test_every_app_registers_its_sections() -> None:
    assert set(exports.sections()) == set(SECTIONS)


def test_each_section_holds_the_persons_things_and_nothing_of_others(user_factory, city) -> None:
    person = user_factory(email="amina@example.org")
    other = user_factory(email="other@example.org")
    _one_of_each(person, "amina", city)
    _one_of_each(other, "zoltan", city)

    data = account_export(user=person)

    for name, words in SECTIONS.items():
        assert data[name], f"section {name} is empty"
        section = json.dumps(data[name], ensure_ascii=False)
        assert words.format(tag="amina") in section, f"{name} misses {words}: {section}"
    text = json.dumps(data, ensure_ascii=False)
    assert "zoltan" not in text and "other@example.org" not in text
    # The answers are labelled with their question; the generic targets with their title.
    assert data["event_registrations"][0]["answers"] == [
        {"question": "question amina", "answer": "answer amina"}
    ]
    assert data["supports"][0]["on"]["type"] == "plans.idea"
    assert data["supports"][0]["on"]["title"] == "idea amina"
    assert data["pledges"][0]["measures"][0]["amount"] == "1000.00"
    assert data["pact_signatures"][0]["signed_by_you"] is True


def test_the_number_of_queries_does_not_grow_with_the_rows(user_factory, city) -> None:
    person = user_factory()
    _one_of_each(person, "first", city)
    with CaptureQueriesContext(connection) as few:
        account_export(user=person)
    for n in range(3):
        _one_of_each(person, f"more {n}", city)
    with CaptureQueriesContext(connection) as many:
        data = account_export(user=person)
    assert len(data["ideas"]) == 4 and len(data["comments"]) == 4
    assert len(few) == len(many), "\n".join(q["sql"] for q in many.captured_queries)


def test_delete_after_export_still_anonymises_and_keeps_what_they_created(
    user_factory, city
) -> None:
    person = user_factory(email="amina@example.org")
    _one_of_each(person, "amina", city)
    for membership in person.space_memberships.all():
        SpaceMembershipFactory(space=membership.space, role=Role.ADMIN)
    account_delete(user=person, confirm_email="amina@example.org")

    person.refresh_from_db()
    assert person.deleted_at is not None and person.public_name == "Former member"
    assert Idea.objects.get(title="idea amina").author_id == person.pk
    data = account_export(user=person)
    assert data["profile"]["email"] == f"deleted-{person.pk}@invalid.cocity"
    assert data["email_addresses"] == [] and data["space_memberships"] == []
    assert [i["title"] for i in data["ideas"]] == ["idea amina"]
