"""One table of search documents, whatever capability they come from.

The full-text part lives beside it: on PostgreSQL a ``search_vector`` tsvector column (built with
the text-search configuration of the document's language) with a GIN index; on SQLite an FTS5
table ``search_fts`` whose rowid is the document id. Both are created by migration 0002.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    provider = models.CharField(_("provider"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    kind_label = models.CharField(_("kind label"), max_length=80, blank=True)
    city = models.CharField(_("city"), max_length=32, blank=True, db_index=True)
    city_name = models.CharField(_("city name"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True)
    space = models.ForeignKey(
        "network.Space",
        verbose_name=_("space"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Public documents are visible to everyone; the others only to who may see ``space``.
    is_public = models.BooleanField(_("public"), default=True)
    url = models.CharField(_("address"), max_length=400)
    updated_at = models.DateTimeField(_("indexed"), default=timezone.now)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["provider", "object_id"], name="one_search_document")
        ]
        indexes = [
            models.Index(fields=["is_public", "space"], name="search_doc_access"),
            # The newest documents first (the search page without words).
            models.Index(fields=["year", "id"], name="search_doc_newest"),
        ]

    def __str__(self) -> str:
        return self.title


class DocumentTopic(models.Model):
    """The topics of a document, one row each: the topic facet counts rows of this table."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="topic_rows")
    slug = models.CharField(_("topic"), max_length=120)
    label = models.CharField(_("label"), max_length=120)

    class Meta:
        verbose_name = _("document topic")
        verbose_name_plural = _("document topics")
        constraints = [
            models.UniqueConstraint(fields=["document", "slug"], name="one_document_topic")
        ]
        indexes = [models.Index(fields=["slug", "document"], name="search_topic_slug")]

    def __str__(self) -> str:
        return self.slug


class FacetCount(models.Model):
    """How many documents have each facet value, kept by the index writes, so the facet counts of
    the search page without words (and with one filter) never read the documents.

    ``scope`` is who may see the documents: a space id, or 0 for public documents without a
    space (documents without a space that are not public are seen by nobody and not counted).
    ``condition`` is "" (every document) or ``"facet=value"`` (the documents a one-facet filter
    keeps). Index writes append rows of +1/-1 (``folded`` false); ``index.fold_facet_counts``
    folds each key's rows into one; a count is the sum of its key's rows.
    """

    scope = models.BigIntegerField(_("scope"))
    condition = models.CharField(_("condition"), max_length=200, blank=True)
    facet = models.CharField(_("facet"), max_length=12)
    value = models.CharField(_("value"), max_length=120)
    label = models.CharField(_("label"), max_length=200, blank=True)
    n = models.IntegerField(_("count"))
    folded = models.BooleanField(_("folded"), default=False)

    class Meta:
        verbose_name = _("facet count")
        verbose_name_plural = _("facet counts")
        indexes = [
            models.Index(fields=["condition", "scope"], name="search_facet_read"),
            models.Index(
                fields=["scope", "condition", "facet", "value"],
                name="search_facet_pending",
                condition=models.Q(folded=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}: {self.n}"


class IndexChange(models.Model):
    """The outbox: one row per change of a document, written in the transaction of the change
    (``index.write_entry`` / ``index._delete``) when the backend keeps its own index. The indexer
    (``indexer.apply_pending``, run by the task worker) applies the documents' current state to
    the backend and then deletes the rows it applied: a rolled-back write leaves no row, and an
    indexer stopped half-way leaves its rows for the next run."""

    document_id = models.BigIntegerField(_("document"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("index change")
        verbose_name_plural = _("index changes")

    def __str__(self) -> str:
        return f"{self.pk}: {self.document_id}"


class Reindex(models.Model):
    """One rebuild of the index from scratch (``cocity search-reindex``), with its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    backend = models.CharField(_("backend"), max_length=20)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    # First write every document again from the objects (providers), then build the index.
    from_objects = models.BooleanField(_("from the objects"), default=True)
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    total = models.PositiveIntegerField(_("documents"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("reindex")
        verbose_name_plural = _("reindexes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.backend} {self.state} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.done / self.total)) if self.total else 0


class SearchWord(models.Model):
    """The words of the documents' titles, folded (``analysis.words``), for the suggestion a
    search that finds nothing makes ("Did you mean ..."). Added by the index writes; a word
    whose documents are gone stays until ``cocity search-reindex`` (harmless: a suggestion is
    only made when it finds something)."""

    word = models.CharField(_("word"), max_length=64, unique=True)
    length = models.PositiveSmallIntegerField(_("length"))

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [models.Index(fields=["length", "word"], name="search_word_length")]

    def __str__(self) -> str:
        return self.word
