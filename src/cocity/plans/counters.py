"""The counters plans keeps on its rows (cocity.core.counters; ``cocity check-counters``):
ideas' supports and comments and actions' comments, moved by the participation services."""

from django.contrib.contenttypes.models import ContentType

from cocity.core.counters import count_of_rows, register
from cocity.participation.models import Comment, Support

from .models import Action, Idea


def _of(model: type[Idea] | type[Action]) -> ContentType:
    return ContentType.objects.get_for_model(model)


register(
    count_of_rows(
        key="plans.Idea.support_count",
        model=Idea,
        field="support_count",
        rows=lambda: Support.objects.filter(content_type=_of(Idea)),
        by="object_id",
    )
)
register(
    count_of_rows(
        key="plans.Idea.comment_count",
        model=Idea,
        field="comment_count",
        rows=lambda: Comment.objects.filter(content_type=_of(Idea)),
        by="object_id",
    )
)
register(
    count_of_rows(
        key="plans.Action.comment_count",
        model=Action,
        field="comment_count",
        rows=lambda: Comment.objects.filter(content_type=_of(Action)),
        by="object_id",
    )
)
