"""The forms of co-production processes, registered with the hostile-input corpus."""

from __future__ import annotations

from typing import Any

from cocity.core.testing.forms import FormCase, Scenario, register_form
from cocity.participation.models import Comment
from cocity.plans.models import Action, Idea, ProgressUpdate
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
        fields=("text",),
        stored=lambda s, field: getattr(_latest(ProgressUpdate), field),
    )
)
