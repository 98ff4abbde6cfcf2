"""Pages: one idea from posting to a progress update, members-only 404, bad input, query counts."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cocity.participation.models import Notification, Report
from cocity.plans import services
from cocity.plans.models import Action, Idea, ProgressUpdate
from tests.factories import (
    IdeaFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
    process_in_phase,
)

pytestmark = pytest.mark.django_db


def test_idea_from_posting_to_progress_update(client):
    process, organiser = process_in_phase("collect")
    author, supporter = UserFactory(), UserFactory()
    client.force_login(author)
    response = client.post(
        reverse("plans:idea_create", args=[process.slug]),
        {"title": "Better data on segregation", "body": "Count **per neighbourhood**"},
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    client.force_login(supporter)
    client.post(
        reverse("plans:idea_comment", args=[process.slug, idea.pk]),
        {"body": "Yes!", "stance": "for"},
    )
    client.post(reverse("plans:idea_support", args=[process.slug, idea.pk]), {"support": "1"})
    response = client.post(
        reverse("plans:idea_support", args=[process.slug, idea.pk]), {"support": "1"}, follow=True
    )
    assert "already support" in response.content.decode()
    idea.refresh_from_db()
    assert (idea.support_count, idea.comment_count) == (1, 1)
    client.force_login(organiser)
    response = client.post(
        reverse("plans:merge", args=[process.slug]),
        {"ideas": [idea.pk], "title": "City segregation data"},
    )
    action = Action.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("plans:progress_add", args=[process.slug, action.pk]),
        {"on": "2025-03-01", "text": "Survey", "progress": "150", "status": "in_progress"},
    )
    assert response.status_code == 400 and "0 to 100" in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    client.post(
        reverse("plans:progress_add", args=[process.slug, action.pk]),
        {"on": "2025-03-01", "text": "Survey", "progress": "30", "status": "in_progress"},
    )
    assert Notification.objects.filter(recipient=author, kind="progress").exists()
    assert any(author.email in m.to and "30%" in m.subject for m in mail.outbox)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "City segregation data" in page
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Better data on segregation" in page and author.public_name in page
    csv = client.get(reverse("plans:plan_csv", args=[process.slug])).content.decode()
    assert "City segregation data" in csv
    assert client.get(reverse("plans:plan_print", args=[process.slug])).status_code == 200


def test_members_only_space_processes_are_404_for_outsiders(client):
    space = SpaceFactory(visibility="members", join_policy="invitation")
    process, _ = process_in_phase("collect", space=space)
    idea = IdeaFactory(process=process)
    client.force_login(UserFactory())
    for url in (
        process.get_absolute_url(),
        reverse("plans:idea_list", args=[process.slug]),
        idea.get_absolute_url(),
        reverse("plans:plan", args=[process.slug]),
        reverse("plans:plan_csv", args=[process.slug]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("plans:idea_support", args=[process.slug, idea.pk])).status_code == 404
    )
    assert process.title not in client.get(reverse("plans:process_list")).content.decode()
    member = SpaceMembershipFactory(space=space).user
    client.force_login(member)
    assert client.get(idea.get_absolute_url()).status_code == 200


def test_editing_someone_elses_idea_is_refused_with_a_message(client):
    process, _ = process_in_phase("collect")
    idea = IdeaFactory(process=process, title="Mine")
    client.force_login(UserFactory())
    response = client.post(
        reverse("plans:idea_edit", args=[process.slug, idea.pk]), {"title": "Yours", "body": "x"}
    )
    assert response.status_code == 403 and "your own ideas" in response.content.decode()
    assert Idea.objects.get().title == "Mine"


def test_posting_outside_phase_shows_message(client):
    process, _ = process_in_phase("refine")
    client.force_login(UserFactory())
    response = client.post(
        reverse("plans:idea_create", args=[process.slug]), {"title": "T", "body": "B"}
    )
    assert response.status_code == 400 and "cannot be posted" in response.content.decode()
    assert not Idea.objects.exists()


def test_report_and_moderation_queue(client):
    process, organiser = process_in_phase("collect")
    idea = IdeaFactory(process=process)
    client.force_login(UserFactory())
    client.post(reverse("plans:report", args=[process.slug, "idea", idea.pk]), {"reason": "Spam"})
    report = Report.objects.get()
    assert (
        client.get(reverse("participation:moderation", args=[process.space.slug])).status_code
        == 404
    )
    client.force_login(organiser)
    assert (
        "Spam"
        in client.get(
            reverse("participation:moderation", args=[process.space.slug])
        ).content.decode()
    )
    client.post(
        reverse("participation:report_decide", args=[process.space.slug, report.pk]),
        {"decision": "hide", "reason": "Advertising"},
    )
    assert (
        "Hidden by the moderators: Advertising"
        in client.get(idea.get_absolute_url()).content.decode()
    )
    assert (
        "Advertising"
        in client.get(reverse("participation:activity", args=[process.space.slug])).content.decode()
    )


def test_hostile_text_is_inert(client):
    process, _ = process_in_phase("collect")
    client.force_login(UserFactory())
    client.post(
        reverse("plans:idea_create", args=[process.slug]),
        {
            "title": "<script>alert(1)</script>",
            "body": "<img src=x onerror=alert(1)> [x](javascript:alert(1))",
        },
    )
    idea = Idea.objects.get()
    page = client.get(idea.get_absolute_url()).content.decode()
    assert (
        "<script>alert(1)" not in page and "onerror" not in page and "javascript:alert" not in page
    )


@pytest.mark.parametrize("sort", ["newest", "supported", "discussed", "random&seed=7"])
def test_idea_list_query_count_is_flat(client, assert_same_query_count, sort):
    process, _ = process_in_phase("collect")
    client.force_login(UserFactory())
    url = reverse("plans:idea_list", args=[process.slug]) + f"?sort={sort}"

    def make(n):  # type: ignore[no-untyped-def]
        IdeaFactory.create_batch(n, process=process)

    assert_same_query_count(url, make)


def test_random_order_is_stable_per_visitor(client, settings):
    settings.COCITY_PAGE_CACHE = False  # reads the rendering's context (a cache hit has none)
    process, _ = process_in_phase("collect")
    IdeaFactory.create_batch(45, process=process)
    url = reverse("plans:idea_list", args=[process.slug]) + "?sort=random"
    response = client.get(url)
    assert response.status_code == 302 and "seed=" in response["Location"]
    seeded = response["Location"]
    first = [p.pk for p in client.get(seeded).context["page_obj"]]
    again = [p.pk for p in client.get(url, follow=True).context["page_obj"]]
    second_page = [p.pk for p in client.get(seeded + "&page=2").context["page_obj"]]
    assert first == again and not set(first) & set(second_page)
    other = [p.pk for p in Client().get(url, follow=True).context["page_obj"]]
    assert other != first  # another visitor, another order (1 chance in 2**31 to collide)
    for bad in ("0", "-3", "abc", "99999999999", str(2**31)):
        assert client.get(url + f"&seed={bad}")["Location"] == seeded  # replaced, not used


def test_idea_page_query_count_is_flat(client, assert_same_query_count):
    process, _ = process_in_phase("collect")
    idea = IdeaFactory(process=process)
    client.force_login(UserFactory())
    from cocity.plans import services

    def make(n):  # type: ignore[no-untyped-def]
        for _ in range(n):
            parent = services.idea_comment(idea=idea, author=UserFactory(), body="c", stance="for")
            services.idea_comment(
                idea=idea, author=UserFactory(), body="r", stance="against", parent=parent
            )

    assert_same_query_count(idea.get_absolute_url(), make, few=1, many=15)


def test_similar_endpoint_htmx_and_plain(client):
    process, _ = process_in_phase("collect")
    IdeaFactory(process=process, title="Peer exchanges with local authorities")
    url = reverse("plans:idea_similar", args=[process.slug]) + "?title=peer+exchanges"
    assert "Peer exchanges" in client.get(url, headers={"HX-Request": "true"}).content.decode()
    page = client.get(url)
    assert "<h1>" in page.content.decode() and "Peer exchanges" in page.content.decode()
    assert "HX-Request" in page["Vary"]


def test_organiser_pages_and_notifications(client):
    process, organiser = process_in_phase("collect")
    client.force_login(organiser)
    space = process.space
    response = client.post(
        reverse("plans:process_create", args=[space.slug]),
        {"title": "Second round", "slug": "second-round", "description": "D"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("plans:phase_add", args=["second-round"]),
        {"kind": "collect", "starts_on": "2025-02-01", "ends_on": "2025-01-01"},
    )
    assert (
        response.status_code == 400 and "cannot end before it starts" in response.content.decode()
    )
    response = client.post(
        reverse("plans:plan_state", args=[process.slug]), {"state": "adopted", "adopted_on": ""}
    )
    process.refresh_from_db()
    assert process.plan_state == "draft"
    client.post(
        reverse("plans:plan_state", args=[process.slug]),
        {"state": "adopted", "adopted_on": "2025-05-20"},
    )
    process.refresh_from_db()
    assert process.plan_state == "adopted" and str(process.plan_adopted_on) == "2025-05-20"
    assert "Adopted on" in client.get(reverse("plans:plan", args=[process.slug])).content.decode()
    idea = IdeaFactory(process=process)
    client.post(
        reverse("plans:idea_answer", args=[process.slug, idea.pk]),
        {"answer": "under_study", "reason": "We will study it in spring."},
    )
    client.force_login(idea.author)
    page = client.get(reverse("participation:notifications")).content.decode()
    assert "was answered: under study" in page
    client.post(reverse("participation:notifications"), {"email": "daily"})
    from cocity.participation.models import NotificationPreference

    assert NotificationPreference.objects.get(user=idea.author).email == "daily"
    outsider = UserFactory()
    client.force_login(outsider)
    response = client.post(
        reverse("plans:process_create", args=[space.slug]), {"title": "X", "slug": "x"}
    )
    assert response.status_code == 403


def test_cached_pages_for_visitors_change_right_after_a_support_or_a_comment(client, settings):
    settings.COCITY_PAGE_CACHE = True
    process, _organiser = process_in_phase("collect")
    idea = IdeaFactory(process=process, title="Cached idea")
    list_url = reverse("plans:idea_list", args=[process.slug])
    assert "0 supports" in client.get(list_url).content.decode()
    assert "Cached idea" in client.get(idea.get_absolute_url()).content.decode()
    services.idea_support(idea=idea, user=UserFactory())
    assert "1 support " in client.get(list_url).content.decode()
    services.idea_comment(idea=idea, author=UserFactory(), body="A fresh remark", stance="for")
    assert "A fresh remark" in client.get(idea.get_absolute_url()).content.decode()
    services.idea_create(process=process, author=UserFactory(), title="Newer idea", body="b")
    assert "Newer idea" in client.get(list_url).content.decode()


def test_a_random_order_is_cached_by_its_seed_and_never_given_to_another_visitor(client, settings):
    settings.COCITY_PAGE_CACHE = True
    process, _organiser = process_in_phase("collect")
    IdeaFactory.create_batch(30, process=process)
    url = reverse("plans:idea_list", args=[process.slug]) + "?sort=random"
    first = client.get(url)
    assert first.status_code == 302 and "sessionid" in first.cookies  # the seed, kept
    other = Client()
    redirected = other.get(url)
    assert redirected.status_code == 302 and redirected["Location"] != first["Location"]
    page = Client().get(first["Location"])  # the seeded address itself: a shareable page
    assert page.status_code == 200 and "sessionid" not in page.cookies
