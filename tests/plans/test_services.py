"""Services: the phase decides, bad input writes nothing, merges keep their sources."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cocity.core.testing import files
from cocity.participation import services as participation
from cocity.participation.models import (
    ActivityEntry,
    Comment,
    Notification,
    NotificationPreference,
    Report,
    Support,
)
from cocity.plans import services
from cocity.plans.models import Action, Idea, Phase, ProgressUpdate
from tests.factories import (
    IdeaFactory,
    OrganisationMembershipFactory,
    ProcessFactory,
    UserFactory,
    process_in_phase,
)

pytestmark = pytest.mark.django_db


def test_posting_outside_the_collect_phase_is_refused_and_writes_nothing():
    process, _organiser = process_in_phase("refine")
    with pytest.raises(ValidationError, match="cannot be posted"):
        services.idea_create(process=process, author=UserFactory(), title="T", body="B")
    assert not Idea.objects.exists()


def test_no_phase_open_means_nothing_allowed():
    process = ProcessFactory()
    assert process.active_phase() is None
    with pytest.raises(ValidationError):
        services.idea_create(process=process, author=UserFactory(), title="T", body="B")


def test_manual_switch_overrides_dates():
    process, organiser = process_in_phase("refine")
    import datetime

    later = Phase.objects.create(
        process=process,
        kind="collect",
        starts_on=datetime.date(2030, 1, 1),
        ends_on=datetime.date(2030, 2, 1),
    )
    assert not process.allows("post")
    services.phase_switch(process=process, phase=later, actor=organiser)
    process.refresh_from_db()
    assert process.allows("post")
    assert ActivityEntry.objects.filter(verb="switch phase").exists()
    other = ProcessFactory()
    with pytest.raises(ValidationError):
        services.phase_switch(process=other, phase=later, actor=organiser)


def test_support_once_withdraw_and_limit():
    process, _ = process_in_phase("collect", support_limit=2)
    ideas = IdeaFactory.create_batch(3, process=process)
    user = UserFactory()
    services.idea_support(idea=ideas[0], user=user)
    with pytest.raises(ValidationError, match="already support"):
        services.idea_support(idea=ideas[0], user=user)
    services.idea_support(idea=ideas[1], user=user)
    with pytest.raises(ValidationError, match="all 2"):
        services.idea_support(idea=ideas[2], user=user)
    assert Support.objects.count() == 2
    assert Idea.objects.get(pk=ideas[2].pk).support_count == 0
    services.idea_unsupport(idea=ideas[0], user=user)
    assert Idea.objects.get(pk=ideas[0].pk).support_count == 0
    services.idea_support(idea=ideas[2], user=user)
    assert Idea.objects.get(pk=ideas[2].pk).support_count == 1
    with pytest.raises(ValidationError):
        services.idea_unsupport(idea=ideas[0], user=user)


def test_support_outside_phase_refused():
    process, _ = process_in_phase("refine")
    idea = IdeaFactory(process=process)
    with pytest.raises(ValidationError, match="cannot be supported"):
        services.idea_support(idea=idea, user=UserFactory())
    assert not Support.objects.exists()


def test_editing_someone_elses_idea_is_refused():
    process, _ = process_in_phase("collect")
    idea = IdeaFactory(process=process, title="Original")
    with pytest.raises(ValidationError, match="your own"):
        services.idea_update(idea=idea, editor=UserFactory(), title="Changed")
    assert Idea.objects.get(pk=idea.pk).title == "Original"


def test_on_behalf_only_of_own_organisation_and_attachment_checks():
    process, _ = process_in_phase("collect")
    membership = OrganisationMembershipFactory()
    user = membership.user
    other = OrganisationMembershipFactory().organisation
    with pytest.raises(ValidationError):
        services.idea_create(process=process, author=user, title="T", body="B", on_behalf_of=other)
    exe = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a PDF or an image"):
        services.idea_create(process=process, author=user, title="T", body="B", attachments=[exe])
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (settings.COCITY_MAX_UPLOAD_BYTES["pdf"]))
    with pytest.raises(ValidationError, match="too large"):
        services.idea_create(process=process, author=user, title="T", body="B", attachments=[big])
    assert not Idea.objects.exists()
    pdf = files.pdf_upload("ok.pdf")
    idea = services.idea_create(
        process=process,
        author=user,
        title="T",
        body="B",
        on_behalf_of=membership.organisation,
        attachments=[pdf],
    )
    assert idea.attachments.get().mimetype == "application/pdf"


def test_merging_ideas_from_another_process_is_refused():
    process, organiser = process_in_phase("refine")
    mine = IdeaFactory(process=process)
    foreign = IdeaFactory()
    with pytest.raises(ValidationError, match="Only ideas of this process"):
        services.action_merge(
            process=process, facilitator=organiser, ideas=[mine, foreign], title="A"
        )
    assert not Action.objects.exists()
    assert Idea.objects.get(pk=mine.pk).action is None


def test_merge_links_sources_and_notifies_authors_and_followers():
    process, organiser = process_in_phase("refine")
    a, b = IdeaFactory.create_batch(2, process=process)
    follower = UserFactory()
    participation.follow_set(target=a, user=follower, follow=True)
    action = services.action_merge(
        process=process, facilitator=organiser, ideas=[a, b], title="Peer exchanges"
    )
    assert set(action.source_ideas.all()) == {a, b}
    assert Idea.objects.get(pk=a.pk).action == action
    recipients = set(
        Notification.objects.filter(kind="idea_merged").values_list("recipient_id", flat=True)
    )
    assert recipients == {a.author_id, b.author_id, follower.pk}
    assert {m.to[0] for m in mail.outbox} >= {a.author.email, follower.email}


def test_progress_outside_0_100_is_refused_and_progress_notifies_authors():
    process, organiser = process_in_phase("monitor")
    idea = IdeaFactory(process=process)
    action = services.action_merge(
        process=process, facilitator=organiser, ideas=[idea], title="Data"
    )
    for bad in (-1, 101):
        with pytest.raises(ValidationError, match="0 to 100"):
            services.progress_add(
                action=action, author=organiser, text="x", progress=bad, status="in_progress"
            )
    assert not ProgressUpdate.objects.exists()
    assert Action.objects.get(pk=action.pk).progress == 0
    services.progress_add(
        action=action, author=organiser, text="Survey done", progress=40, status="in_progress"
    )
    action.refresh_from_db()
    assert (action.progress, action.status) == (40, "in_progress")
    assert Notification.objects.filter(recipient=idea.author, kind="progress").exists()


def test_answer_needs_reason_and_notifies():
    process, organiser = process_in_phase("refine")
    idea = IdeaFactory(process=process)
    with pytest.raises(ValidationError):
        services.idea_answer(idea=idea, facilitator=organiser, answer="accepted", reason="  ")
    services.idea_answer(
        idea=idea, facilitator=organiser, answer="not_pursued", reason="Out of scope"
    )
    assert Notification.objects.filter(recipient=idea.author, kind="idea_answered").exists()


def test_comments_threaded_edit_window_and_moderation():
    process, organiser = process_in_phase("collect")
    idea = IdeaFactory(process=process)
    author = UserFactory()
    first = services.idea_comment(idea=idea, author=author, body="Yes", stance="for")
    reply = services.idea_comment(
        idea=idea, author=UserFactory(), body="No", stance="against", parent=first
    )
    deeper = services.idea_comment(
        idea=idea, author=author, body="Why?", stance="neutral", parent=reply
    )
    assert deeper.parent == first
    assert Idea.objects.get(pk=idea.pk).comment_count == 3
    with pytest.raises(ValidationError):
        participation.comment_update(comment=reply, user=author, body="hack", stance="for")
    import datetime

    Comment.objects.filter(pk=first.pk).update(
        created_at=first.created_at - datetime.timedelta(hours=1)
    )
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="minutes"):
        participation.comment_update(comment=first, user=author, body="late", stance="for")
    report = participation.report_create(
        target=reply, space=process.space, reporter=author, reason="Insulting"
    )
    with pytest.raises(ValidationError):
        participation.report_decide(report=report, moderator=organiser, hide=True, reason="")
    participation.report_decide(
        report=report, moderator=organiser, hide=True, reason="Personal attack"
    )
    reply.refresh_from_db()
    assert reply.is_hidden and reply.hidden_reason == "Personal attack"
    assert Report.objects.get().status == "hidden"
    assert ActivityEntry.objects.filter(verb="hide", reason="Personal attack").exists()


def test_daily_digest_once():
    user = UserFactory()
    participation.preference_update(user=user, email=NotificationPreference.Email.DAILY)
    participation.notify(recipients=[user], kind="x", message="One")
    participation.notify(recipients=[user], kind="x", message="Two")
    assert mail.outbox == []
    assert participation.digests_send() == 1
    assert "One" in mail.outbox[0].body and "Two" in mail.outbox[0].body
    assert participation.digests_send() == 0
    assert len(mail.outbox) == 1


def test_similar_ideas_same_process_only():
    process, _ = process_in_phase("collect")
    IdeaFactory(process=process, title="Better data on spatial segregation")
    IdeaFactory(process=process, title="Peer exchanges with local authorities")
    IdeaFactory(title="Better data on segregation elsewhere")
    from cocity.plans.selectors import similar_ideas

    found = similar_ideas(process, "data on segregation")
    assert [i.title for i in found] == ["Better data on spatial segregation"]
    assert similar_ideas(process, "a b") == []
