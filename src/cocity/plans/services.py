"""Every write of co-production processes: one function per use case, in a transaction, nothing
written when anything is invalid. Permissions are checked by the views (``rules``); the domain
rules (what the active phase allows, the support limit, merging within one process, progress
0-100) are enforced here so every caller gets them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cocity.accounts.types import Actor
from cocity.core import uploads
from cocity.core.cache import rows_changed
from cocity.core.numbers import format_number
from cocity.network.models import Organisation, OrganisationMembership
from cocity.participation import services as participation
from cocity.participation.models import Comment
from cocity.search import index as search_index

from .models import (
    Action,
    Answer,
    Idea,
    IdeaAttachment,
    Phase,
    Process,
    ProgressUpdate,
)

PHASE_MESSAGES = {
    "post": gettext_lazy("New ideas cannot be posted in the current phase of this process."),
    "edit": gettext_lazy("Ideas cannot be edited in the current phase of this process."),
    "comment": gettext_lazy("Ideas cannot be commented on in the current phase of this process."),
    "support": gettext_lazy("Ideas cannot be supported in the current phase of this process."),
}


def _require_phase(process: Process, what: str) -> None:
    if not process.allows(what):
        raise ValidationError(str(PHASE_MESSAGES[what]))


# --- processes and phases ---------------------------------------------------------------------


def process_create(
    *, space: Any, title: str, slug: str, description: str = "", **fields: Any
) -> Process:
    process = Process(space=space, title=title, slug=slug, description=description, **fields)
    process.full_clean()
    with transaction.atomic():
        process.save()
        participation.space_news(
            spaces=[space],
            kind="space_process",
            message=participation.Said(
                gettext_lazy("New process in %(space)s: %(title)s"),
                {"space": (space, "name"), "title": (process, "title")},
            ),
            url=process.get_absolute_url(),
        )
    return process


def process_update(*, process: Process, actor: Actor, **fields: Any) -> Process:
    for name, value in fields.items():
        setattr(process, name, value)
    if process.plan_state == Process.PlanState.DRAFT:
        process.plan_adopted_on = None
    process.full_clean()
    with transaction.atomic():
        process.save()
        participation.activity_record(
            actor=actor,
            space=process.space,
            verb="edit process",
            summary=process.title,
            target=process,
        )
    return process


def phase_add(
    *,
    process: Process,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    name: str = "",
    description: str = "",
) -> Phase:
    phase = Phase(
        process=process,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        name=name,
        description=description,
    )
    phase.full_clean()
    with transaction.atomic():
        phase.save()
    return phase


def phase_switch(*, process: Process, phase: Phase | None, actor: Actor) -> Process:
    """Organisers make a phase active by hand (``None``: back to the dates)."""
    if phase is not None and phase.process_id != process.pk:
        raise ValidationError(_("Choose a phase of this process."))
    with transaction.atomic():
        process.manual_phase = phase
        process.save(update_fields=["manual_phase"])
        participation.activity_record(
            actor=actor,
            space=process.space,
            verb="switch phase",
            summary=f"{process.title}: {phase.label if phase else _('by dates')}",
            target=process,
        )
    return process


# --- ideas ------------------------------------------------------------------------------------


def _check_on_behalf(author: Actor, organisation: Organisation | None) -> None:
    if organisation is None:
        return
    if not OrganisationMembership.objects.filter(organisation=organisation, user=author).exists():
        raise ValidationError(
            {"on_behalf_of": _("You can only post on behalf of an organisation you belong to.")}
        )


ATTACHMENT_KINDS = (uploads.PDF, uploads.IMAGE)


def check_attachment(upload: UploadedFile, field: str = "attachment") -> str:
    """The attachment's MIME type from its content (a PDF or an image: ``cocity.core.uploads``)."""
    return uploads.check_upload(upload, ATTACHMENT_KINDS, field=field).mimetype


def idea_create(
    *,
    process: Process,
    author: Actor,
    title: str,
    body: str,
    topic: Any = None,
    territory: Any = None,
    latitude: Any = None,
    longitude: Any = None,
    on_behalf_of: Organisation | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Idea:
    _require_phase(process, "post")
    _check_on_behalf(author, on_behalf_of)
    idea = Idea(
        process=process,
        author=author,
        title=title,
        body=body,
        topic=topic,
        territory=territory,
        latitude=latitude,
        longitude=longitude,
        on_behalf_of=on_behalf_of,
    )
    idea.full_clean()
    types = [check_attachment(upload) for upload in attachments]
    with transaction.atomic():
        idea.save()
        for upload, mimetype in zip(attachments, types, strict=True):
            IdeaAttachment.objects.create(
                idea=idea,
                file=upload,
                name=(upload.name or "attachment")[:200],
                mimetype=mimetype,
                size=upload.size or 0,
            )
        participation.follow_set(target=idea, user=author, follow=True)
        search_index.update(idea)
    followers = [u for u in participation.followers_of(process) if u != author.pk]
    if followers:
        participation.notify(
            recipients=followers,
            kind="idea_posted",
            message=participation.Said(
                gettext_lazy("New idea in %(process)s: %(title)s"),
                {"process": (process, "title"), "title": (idea, "title")},
            ),
            url=idea.get_absolute_url(),
            space=process.space,
        )
    return idea


def idea_update(*, idea: Idea, editor: Any, **fields: Any) -> Idea:
    if idea.author_id != editor.pk:
        raise ValidationError(_("You can only edit your own ideas."))
    _require_phase(idea.process, "edit")
    attachments = fields.pop("attachments", ())
    if "on_behalf_of" in fields:
        _check_on_behalf(editor, fields["on_behalf_of"])
    for name, value in fields.items():
        setattr(idea, name, value)
    idea.updated_at = timezone.now()
    idea.full_clean()
    types = [check_attachment(upload) for upload in attachments]
    with transaction.atomic():
        idea.save()
        for upload, mimetype in zip(attachments, types, strict=True):
            IdeaAttachment.objects.create(
                idea=idea,
                file=upload,
                name=(upload.name or "attachment")[:200],
                mimetype=mimetype,
                size=upload.size or 0,
            )
        search_index.update(idea)
    return idea


def idea_comment(
    *, idea: Idea, author: Actor, body: str, stance: str, parent: Comment | None = None
) -> Comment:
    _require_phase(idea.process, "comment")
    comment = participation.comment_create(
        target=idea, author=author, body=body, stance=stance, parent=parent
    )
    recipients = [u for u in participation.followers_of(idea) if u != author.pk]
    if recipients:
        participation.notify(
            recipients=recipients,
            kind="comment",
            message=participation.Said(
                gettext_lazy("%(name)s commented on the idea “%(title)s”"),
                {"name": author.public_name, "title": (idea, "title")},
            ),
            url=idea.get_absolute_url(),
            space=idea.process.space,
        )
    return comment


def idea_support(*, idea: Idea, user: Actor) -> None:
    _require_phase(idea.process, "support")
    if idea.is_hidden:
        raise ValidationError(_("This idea was hidden by the moderators."))
    process = idea.process
    participation.support_add(
        target=idea, user=user, scope_id=process.pk, limit=process.support_limit, lock=process
    )


def idea_unsupport(*, idea: Idea, user: Actor) -> None:
    _require_phase(idea.process, "support")
    participation.support_withdraw(target=idea, user=user)


def idea_answer(*, idea: Idea, facilitator: Any, answer: str, reason: str) -> Idea:
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Choose accepted, under study or not pursued.")})
    if not (reason or "").strip():
        raise ValidationError({"answer_reason": _("Give the public reason for the answer.")})
    idea.answer, idea.answer_reason, idea.answered_at = answer, reason.strip(), timezone.now()
    idea.full_clean()
    with transaction.atomic():
        idea.save(update_fields=["answer", "answer_reason", "answered_at"])
        participation.activity_record(
            actor=facilitator,
            space=idea.process.space,
            verb="answer idea",
            summary=f"{idea.title}: {idea.get_answer_display()}",
            target=idea,
            reason=idea.answer_reason,
        )
        _notify_idea_people(
            [idea],
            kind="idea_answered",
            message=participation.Said(
                gettext_lazy("Your idea “%(title)s” was answered: %(answer)s"),
                {"title": (idea, "title"), "answer": Answer(idea.answer).label},
            ),
            url=idea.get_absolute_url(),
        )
    return idea


def _notify_idea_people(
    ideas: Sequence[Idea], *, kind: str, message: participation.Said, url: str
) -> None:
    recipients: set[int] = {idea.author_id for idea in ideas}
    recipients.update(participation.followers_of(*ideas))
    participation.notify(
        recipients=recipients,
        kind=kind,
        message=message,
        url=url,
        space=ideas[0].process.space if ideas else None,
    )


# --- refinement: ideas merged into actions ----------------------------------------------------


def action_merge(
    *,
    process: Process,
    facilitator: Any,
    ideas: Sequence[Idea],
    title: str,
    description: str = "",
    topic: Any = None,
    action: Action | None = None,
) -> Action:
    """Merge ideas into a new proposed action (or into ``action``): every source idea keeps its
    link, and its author and followers hear about it."""
    ideas = list(ideas)
    if not ideas:
        raise ValidationError({"ideas": _("Choose at least one idea to merge.")})
    if any(idea.process_id != process.pk for idea in ideas):
        raise ValidationError(
            {"ideas": _("Only ideas of this process can be merged into its actions.")}
        )
    if action is not None and action.process_id != process.pk:
        raise ValidationError({"action": _("Choose an action of this process.")})
    if action is None:
        action = Action(
            process=process, title=title, description=description, topic=topic or ideas[0].topic
        )
        action.full_clean()
    with transaction.atomic():
        if action.pk is None:
            action.save()
        Idea.objects.filter(pk__in=[i.pk for i in ideas]).update(action=action)
        rows_changed(Idea)  # update() sends no signal (cocity.core.cache)
        participation.activity_record(
            actor=facilitator,
            space=process.space,
            verb="merge ideas",
            summary=ngettext(
                "%(count)s idea into “%(title)s”", "%(count)s ideas into “%(title)s”", len(ideas)
            )
            % {"count": format_number(len(ideas), 0), "title": action.title},
            target=action,
        )
        _notify_idea_people(
            ideas,
            kind="idea_merged",
            message=participation.Said(
                gettext_lazy("An idea you follow became the proposed action “%(title)s”"),
                {"title": (action, "title")},
            ),
            url=action.get_absolute_url(),
        )
    return action


def action_save(
    *, action: Action, actor: Actor, partners: Sequence[Organisation] | None = None
) -> Action:
    action.full_clean()
    with transaction.atomic():
        action.save()
        if partners is not None:
            action.partners.set(partners)
        search_index.update(action)
        participation.activity_record(
            actor=actor,
            space=action.process.space,
            verb="edit action",
            summary=action.title,
            target=action,
        )
    return action


def action_comment(
    *, action: Action, author: Actor, body: str, stance: str, parent: Comment | None = None
) -> Comment:
    return participation.comment_create(
        target=action, author=author, body=body, stance=stance, parent=parent
    )


def progress_add(
    *,
    action: Action,
    author: Actor,
    text: str,
    progress: int,
    status: str,
    on: datetime.date | None = None,
    link: str = "",
    file: UploadedFile | None = None,
) -> ProgressUpdate:
    if progress is None or not 0 <= int(progress) <= 100:
        raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")})
    update = ProgressUpdate(
        action=action,
        author=author,
        text=text,
        progress=progress,
        status=status,
        on=on or timezone.localdate(),
        link=link,
    )
    if file is not None:
        check_attachment(file, "file")
        update.file = file
    update.full_clean()
    with transaction.atomic():
        update.save()
        Action.objects.filter(pk=action.pk).update(progress=update.progress, status=update.status)
        rows_changed(Action)
        action.progress, action.status = update.progress, update.status
        ideas = list(action.source_ideas.all())
        recipients: set[int] = {idea.author_id for idea in ideas}
        recipients.update(participation.followers_of(action, *ideas))
        recipients.discard(getattr(author, "pk", 0))
        participation.notify(
            recipients=recipients,
            kind="progress",
            message=participation.Said(
                gettext_lazy("Progress on “%(title)s”: %(progress)s%% (%(status)s)"),
                {
                    "title": (action, "title"),
                    "progress": update.progress,
                    "status": Action.Status(action.status).label,
                },
            ),
            url=action.get_absolute_url(),
            space=action.process.space,
        )
    return update


def plan_set_state(
    *, process: Process, actor: Actor, state: str, adopted_on: datetime.date | None
) -> Process:
    return process_update(
        process=process, actor=actor, plan_state=state, plan_adopted_on=adopted_on
    )
