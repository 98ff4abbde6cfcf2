"""The search index's rebuilds (with their progress) and the outbox's backlog, for operators."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import IndexChange, Reindex


@admin.register(Reindex)
class ReindexAdmin(admin.ModelAdmin):
    list_display = ("id", "backend", "state", "phase", "done", "total", "progress", "created_at")
    list_filter = ("backend", "state")
    readonly_fields = [f.name for f in Reindex._meta.fields]

    @admin.display(description=_("progress"))
    def progress(self, run: Reindex) -> str:
        return f"{run.percent}%"

    def has_add_permission(self, request: object) -> bool:
        return False  # `cocity search-reindex --background` starts one


@admin.register(IndexChange)
class IndexChangeAdmin(admin.ModelAdmin):
    """What the indexer has not applied yet (empty when the engine is up to date)."""

    list_display = ("id", "document_id", "created_at")
    readonly_fields = ("document_id", "created_at")

    def has_add_permission(self, request: object) -> bool:
        return False
