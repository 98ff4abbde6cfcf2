"""The forms of co-production processes, registered with the hostile-input corpus."""

from __future__ import annotations

import secrets
from typing import Any

from cocity.core.testing.forms import FormCase, Scenario, register_form
from cocity.participation.models import Comment, Report
from cocity.plans.models import Action, Idea, Phase, Process, ProgressUpdate
from tests.factories import IdeaFactory, UserFactory, process_in_phase


def _collecting() -> Scenario:
    process, organiser = process_in_phase("collect")
    idea = IdeaFactory(process=process)
    return Scenario(
        user=UserFactory(), objects={"process": process, "idea": idea, "organiser": organiser}
    )


def _organising() -> Scenario:
    process, organiser = process_in_phase("monitor")
    idea = IdeaFactory(process=process)
    action = Action.objects.create(process=process, title="Action")
    return Scenario(user=organiser, objects={"process": process, "idea": idea, "action": action})


def _latest(model: Any) -> Any:
    return model.objects.order_by("-pk").first()


register_form(
    FormCase(
        name="plans idea",
        url_name="plans:idea_create",
        url_kwargs=lambda s: {"slug": s.objects["process"].slug},
        setup=_collecting,
        data=lambda s: {"title": "A idea", "body": "Some text"},
        fields=("title", "body"),
        stored=lambda s, field: getattr(_latest(Idea), field),
    )
)
register_form(
    FormCase(
        name="plans comment",
        url_name="plans:idea_comment",
        url_kwargs=lambda s: {"slug": s.objects["process"].slug, "pk": s.objects["idea"].pk},
        setup=_collecting,
        data=lambda s: {"body": "A comment", "stance": "for"},
        fields=("body",),
        rendered_at=lambda s: s.objects["idea"].get_absolute_url(),
        stored=lambda s, field: getattr(_latest(Comment), field),
    )
)
register_form(
    FormCase(
        name="plans merge",
        url_name="plans:merge",
        url_kwargs=lambda s: {"slug": s.objects["process"].slug},
        setup=_organising,
        data=lambda s: {"ideas": [s.objects["idea"].pk], "title": "Merged", "description": "D"},
        fields=("title", "description"),
        stored=lambda s, field: getattr(_latest(Action), field),
    )
)
register_form(
    FormCase(
        name="plans progress",
        url_name="plans:progress_add",
        url_kwargs=lambda s: {"slug": s.objects["process"].slug, "pk": s.objects["action"].pk},
        setup=_organising,
        data=lambda s: {
            "on": "2025-03-01",
            "text": "Done",
            "progress": "20",
            "status": "in_progress",
        },
        fields=("text", "link"),
        stored=lambda s, field: getattr(_latest(ProgressUpdate), field),
    )
)


def _space_editor() -> Scenario:
    process, organiser = process_in_phase("collect")
    return Scenario(user=organiser, objects={"space": process.space, "process": process})


def _facilitating() -> Scenario:
    process, organiser = process_in_phase("collect")
    idea = IdeaFactory(process=process)
    return Scenario(user=organiser, objects={"process": process, "idea": idea})


register_form(
    FormCase(
        name="plans process create",
        url_name="plans:process_create",
        url_kwargs=lambda s: {"space_slug": s.objects["space"].slug},
        setup=_space_editor,
        data=lambda s: {
            "title": "Greener streets",
            "slug": f"greener-{secrets.token_hex(3)}",
            "description": "",
            "support_limit": "",
            "plan_title": "",
        },
        fields=("title", "description", "plan_title"),
        stored=lambda s, field: getattr(_latest(Process), field, None),
        viewer=lambda s: None,
    )
)
register_form(
    FormCase(
        name="plans phase add",
        url_name="plans:phase_add",
        url_kwargs=lambda s: {"slug": s.objects["process"].slug},
        setup=_space_editor,
        data=lambda s: {
            "kind": "refine",
            "name": "Refining",
            "starts_on": "2031-01-10",
            "ends_on": "2031-02-10",
            "description": "",
        },
        fields=("name", "description"),
        stored=lambda s, field: getattr(_latest(Phase), field, None),
        viewer=lambda s: None,
    )
)
register_form(
    FormCase(
        name="plans action",
        url_name="plans:action_create",
        url_kwargs=lambda s: {"slug": s.objects["process"].slug},
        setup=_organising,
        data=lambda s: {
            "title": "Plant trees",
            "description": "",
            "deliverables": "",
            "status": "proposed",
            "starts_on": "",
            "due_on": "",
        },
        fields=("title", "description", "deliverables"),
        stored=lambda s, field: getattr(_latest(Action), field),
        viewer=lambda s: None,
    )
)
register_form(
    FormCase(
        name="plans idea answer",
        url_name="plans:idea_answer",
        url_kwargs=lambda s: {"slug": s.objects["process"].slug, "pk": s.objects["idea"].pk},
        setup=_facilitating,
        data=lambda s: {"answer": "accepted", "reason": "It fits the plan."},
        fields=("reason",),
        stored=lambda s, field: Idea.objects.get(pk=s.objects["idea"].pk).answer_reason,
        viewer=lambda s: None,  # the reason is public
    )
)
register_form(
    FormCase(
        name="plans idea report",
        url_name="plans:report",
        url_kwargs=lambda s: {
            "slug": s.objects["process"].slug,
            "kind": "idea",
            "pk": s.objects["idea"].pk,
        },
        setup=_collecting,
        data=lambda s: {"reason": "Off topic."},
        fields=("reason",),
        stored=lambda s, field: getattr(_latest(Report), field, None),
        # The space's moderators read the reason in their queue.
        rendered_at=lambda s: (
            f"/participation/spaces/{s.objects['process'].space.slug}/moderation/"
        ),
        viewer=lambda s: s.objects["organiser"],
    )
)
