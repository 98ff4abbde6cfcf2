"""Following a space (participation.Follow on a network.Space): the button on the space page,
404 for a space one may not see, and the notifications (in-app, immediate mail, daily digest)
of new events, processes and library items in a followed space."""

import pytest
from django.core import mail
from django.urls import reverse

from cocity.events import services as event_services
from cocity.library import services as library_services
from cocity.network.models import Role, Space, SpaceMembership
from cocity.participation import services as participation
from cocity.participation.models import Follow, Notification, NotificationPreference
from cocity.plans import services as plan_services
from tests.factories import SpaceFactory, SpaceMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _follow_url(space: Space) -> str:
    return reverse("participation:space_follow", args=[space.slug])


def _follows(space: Space) -> list[int]:
    return participation.followers_of(space)


# The button ---------------------------------------------------------------------------------


def test_follow_and_unfollow_a_space_without_javascript(client):
    space = SpaceFactory()
    person = UserFactory()
    client.force_login(person)
    page = reverse("network:space_detail", args=[space.slug])
    assert "Follow this space" in client.get(page).content.decode()

    response = client.post(_follow_url(space), {"follow": "1"})

    assert response.status_code == 302
    assert response["Location"] == page
    assert _follows(space) == [person.pk]
    html = client.get(page).content.decode()
    assert "Stop following this space" in html
    assert "csrfmiddlewaretoken" in html

    client.post(_follow_url(space), {"follow": "0"})
    assert _follows(space) == []


def test_visitor_is_sent_to_log_in_then_back(client):
    space = SpaceFactory()

    response = client.post(_follow_url(space), {"follow": "1"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]
    assert not Follow.objects.exists()
    # The visitor's page (from the page cache) offers the button too.
    assert "Follow this space" in client.get(space.get_absolute_url()).content.decode()


def test_follow_is_a_post(client):
    space = SpaceFactory()
    client.force_login(UserFactory())
    assert client.get(_follow_url(space)).status_code == 405
    assert not Follow.objects.exists()


def test_members_only_space_answers_404_to_non_members_and_visitors(client):
    secret = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    member = SpaceMembershipFactory(space=secret).user

    assert client.post(_follow_url(secret), {"follow": "1"}).status_code == 404
    client.force_login(UserFactory())
    assert client.post(_follow_url(secret), {"follow": "1"}).status_code == 404
    assert client.post(reverse("participation:space_follow", args=["nowhere"])).status_code == 404
    assert not Follow.objects.exists()

    client.force_login(member)
    assert client.post(_follow_url(secret), {"follow": "1"}).status_code == 302
    assert _follows(secret) == [member.pk]


# Notifications ------------------------------------------------------------------------------


def _following(space: Space, **user_fields):  # type: ignore[no-untyped-def]
    person = UserFactory(**user_fields)
    participation.follow_set(target=space, user=person, follow=True)
    return person


def test_a_new_event_is_notified_to_followers_not_to_others_nor_its_author(
    django_capture_on_commit_callbacks,
):
    space = SpaceFactory(name="Cities of Equality")
    follower = _following(space)
    bystander = UserFactory()
    organiser = _following(space)

    with django_capture_on_commit_callbacks(execute=True):
        event = event_services.event_create(
            space=space,
            actor=organiser,
            title="Housing webinar",
            slug="housing",
            status="published",
        )

    notes = list(Notification.objects.all())
    assert [(n.recipient_id, n.kind, n.space_id) for n in notes] == [
        (follower.pk, "space_event", space.pk)
    ]
    assert notes[0].message == "New event in Cities of Equality: Housing webinar"
    assert notes[0].url == event.get_absolute_url()
    assert not Notification.objects.filter(recipient=bystander).exists()
    # Immediate mail by default.
    assert [m.to for m in mail.outbox] == [[follower.email]]


def test_a_draft_event_is_notified_when_published_not_before():
    space = SpaceFactory()
    follower = _following(space)
    event = event_services.event_create(
        space=space, actor=None, title="Draft", slug="draft", status="draft"
    )
    assert not Notification.objects.exists()

    event_services.event_status_change(event=event, status="published", actor=None)
    event_services.event_update(event=event, actor=None, summary="Changed")

    assert list(Notification.objects.values_list("recipient_id", "kind")) == [
        (follower.pk, "space_event")
    ]


def test_followers_who_may_no_longer_see_a_members_only_space_are_not_notified():
    secret = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    stays = SpaceMembershipFactory(space=secret).user
    leaves = SpaceMembershipFactory(space=secret).user
    for person in (stays, leaves):
        participation.follow_set(target=secret, user=person, follow=True)
    SpaceMembership.objects.filter(space=secret, user=leaves).delete()

    event_services.event_create(
        space=secret, actor=None, title="Closed", slug="closed", status="published"
    )

    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [stays.pk]


def test_a_new_process_is_notified():
    space = SpaceFactory()
    follower = _following(space)

    process = plan_services.process_create(space=space, title="Brainstorm", slug="brainstorm")

    note = Notification.objects.get()
    assert (note.recipient_id, note.kind, note.url) == (
        follower.pk,
        "space_process",
        process.get_absolute_url(),
    )


def test_a_published_library_item_is_notified_to_followers_of_its_spaces_once():
    space = SpaceFactory()
    also = SpaceFactory()
    follower = _following(space)
    participation.follow_set(target=also, user=follower, follow=True)
    other_follower = _following(also)
    author = SpaceMembershipFactory(space=space, role=Role.MEMBER).user
    editor = SpaceMembershipFactory(space=space, role=Role.EDITOR).user
    item = library_services.item_create(
        user=author, space=space, kind="case_study", title="Garden pact", summary="How."
    )
    item.also_in_spaces.add(also)
    library_services.item_submit(user=author, item=item)
    assert not Notification.objects.exists()  # a draft under review is nobody's news

    library_services.item_publish(user=editor, item=item)

    assert sorted(
        Notification.objects.filter(kind="space_publication").values_list("recipient_id", flat=True)
    ) == sorted([follower.pk, other_follower.pk])


def test_daily_digest_carries_the_news(django_capture_on_commit_callbacks):
    from django.core.management import call_command

    space = SpaceFactory(name="Fairville lab")
    follower = _following(space)
    participation.preference_update(user=follower, email=NotificationPreference.Email.DAILY)

    event_services.event_create(
        space=space, actor=None, title="Walk", slug="walk", status="published"
    )
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        call_command("notification_digests")

    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert "New event in Fairville lab: Walk" in mail.outbox[0].body


# Content that belongs to no space: told to the spaces whose page shows it -------------------


def test_a_submitted_pact_is_news_for_the_spaces_of_its_organisation_and_place():
    from tests.commons import scenario

    w = scenario.world()
    owned = SpaceFactory()
    owned.organisations.add(w.comune)
    in_the_city = SpaceFactory(territory=w.city)
    elsewhere = SpaceFactory(territory=w.other)
    told = [_following(space) for space in (owned, in_the_city)]
    untold = _following(elsewhere)

    pact = scenario.draft(w)
    scenario.commit_all(pact, pact.created_by)
    assert not Notification.objects.exists()  # a draft is nobody's news

    from cocity.commons import services as commons_services

    commons_services.pact_transition(pact=pact, action="submit", actor=pact.created_by)

    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert recipients == {person.pk for person in told}
    assert untold.pk not in recipients
    assert Notification.objects.filter(url=pact.get_absolute_url()).count() == 2


def test_a_new_campaign_is_news_for_the_spaces_its_organisation_owns():
    from tests.factories import OrganisationFactory

    city_hall = OrganisationFactory()
    owned = SpaceFactory()
    owned.organisations.add(city_hall)
    follower = _following(owned)
    _following(SpaceFactory())
    from cocity.pledges import services as pledge_services
    from tests.factories import european_pillar

    campaign = pledge_services.campaign_create(
        organisation=city_hall, framework=european_pillar(), name="Fair city", slug="fair-city"
    )

    assert list(Notification.objects.values_list("recipient_id", "url")) == [
        (follower.pk, campaign.get_absolute_url())
    ]


def test_a_new_data_set_is_news_for_the_spaces_in_its_city():
    from cocity.insights import services as insight_services
    from tests.insights.platform_helpers import GROUPS, grid_city

    city, hoods = grid_city(2, 1)
    lab = SpaceFactory(territory=hoods[0])
    follower = _following(lab)
    _following(SpaceFactory())
    rows = "\n".join(f"{hood.code},3,4,7" for hood in hoods)

    dataset = insight_services.dataset_import(
        city=city, name="Census", source="", year=2021, groups=GROUPS, total_column="total",
        id_column="code", csv_text=f"code,a,b,total\n{rows}\n",
    )  # fmt: skip

    assert list(Notification.objects.values_list("recipient_id", "url")) == [
        (follower.pk, dataset.get_absolute_url())
    ]
    insight_services.dataset_import(
        city=city, name="Census", source="", year=2021, groups=GROUPS, total_column="total",
        id_column="code", csv_text=f"code,a,b,total\n{rows}\n", dataset=dataset,
    )  # fmt: skip
    assert Notification.objects.count() == 1  # new counts for the same data set: no news
