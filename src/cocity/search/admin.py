"""The search index's rebuilds (with their progress) and the outbox's backlog, for operators."""

from django.contrib import admin

from .models import IndexChange, Reindex


@admin.register(Reindex)
class ReindexAdmin(admin.ModelAdmin):
    list_display = ("id", "backend", "state", "phase", "done", "total", "percent", "created_at")
    list_filter = ("backend", "state")
    readonly_fields = [f.name for f in Reindex._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False  # `cocity search-reindex --background` starts one


@admin.register(IndexChange)
class IndexChangeAdmin(admin.ModelAdmin):
    """What the indexer has not applied yet (empty when the engine is up to date)."""

    list_display = ("id", "document_id", "created_at")
    readonly_fields = ("document_id", "created_at")

    def has_add_permission(self, request: object) -> bool:
        return False
