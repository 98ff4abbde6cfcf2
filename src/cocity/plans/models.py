"""Co-production processes: dated phases, ideas, the actions ideas become, progress reports.

An idea keeps the action it was merged into (``Idea.action``), so a person who proposed something
can always see what became of it; an action lists its source ideas through the same key.
Comments, supports, follows and reports live in ``cocity.participation``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.core import media
from cocity.core.translations import Translatable, translated
from cocity.participation.models import Moderated


class PhaseKind(models.TextChoices):
    COLLECT = "collect", _("collect ideas")
    REFINE = "refine", _("refine")
    PRIORITISE = "prioritise", _("prioritise")
    PLAN = "plan", _("plan")
    MONITOR = "monitor", _("monitor")


# What each kind of phase lets participants do (facilitators refine and plan at any time).
PHASE_ALLOWS: dict[str, frozenset[str]] = {
    PhaseKind.COLLECT: frozenset({"post", "edit", "comment", "support"}),
    PhaseKind.REFINE: frozenset({"comment"}),
    PhaseKind.PRIORITISE: frozenset({"comment", "support"}),
    PhaseKind.PLAN: frozenset({"comment_action"}),
    PhaseKind.MONITOR: frozenset({"comment_action"}),
}


class Process(Translatable):
    translatable_fields = ("title", "description")

    class PlanState(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted")

    space = models.ForeignKey(
        "network.Space", verbose_name=_("space"), on_delete=models.CASCADE, related_name="processes"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=20_000)
    support_limit = models.PositiveSmallIntegerField(
        _("supports per person"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    # The organisers' hand: when set, this phase is active whatever the dates say.
    manual_phase = models.ForeignKey(
        "Phase",
        verbose_name=_("active phase (set by hand)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    plan_title = models.CharField(_("action plan title"), max_length=200, blank=True)
    plan_state = models.CharField(
        _("action plan"), max_length=8, choices=PlanState.choices, default=PlanState.DRAFT
    )
    plan_adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ("-created_at", "id")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:process_detail", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        if self.plan_state == self.PlanState.ADOPTED and not self.plan_adopted_on:
            raise ValidationError({"plan_adopted_on": _("Give the date the plan was adopted.")})
        if self.manual_phase_id and self.manual_phase and self.manual_phase.process_id != self.pk:
            raise ValidationError({"manual_phase": _("Choose a phase of this process.")})

    def active_phase(self, today: datetime.date | None = None) -> Phase | None:
        if self.manual_phase_id:
            return self.manual_phase
        today = today or timezone.localdate()
        phases = getattr(self, "_prefetched_objects_cache", {}).get("phases")
        if phases is None:
            phases = self.phases.all()
        for phase in phases:
            if phase.starts_on <= today <= phase.ends_on:
                return phase
        return None

    def allows(self, what: str) -> bool:
        phase = self.active_phase()
        return phase is not None and what in PHASE_ALLOWS[phase.kind]


class Phase(Translatable):
    translatable_fields = ("name", "description")

    def translation_owner(self) -> tuple[str, object]:
        return "plans.change_process", self.process

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=12, choices=PhaseKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ("starts_on", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.get_kind_display())

    @property
    def label(self) -> str:
        """The phase's name in the viewer's language, else its kind."""
        return translated(self, "name") or str(self.get_kind_display())

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A phase cannot end before it starts.")})

    @property
    def allows(self) -> frozenset[str]:
        return PHASE_ALLOWS[self.kind]


class Answer(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    UNDER_STUDY = "under_study", _("under study")
    NOT_PURSUED = "not_pursued", _("not pursued")


class Idea(Moderated, Translatable):
    translatable_fields = ("title", "body")

    def translation_owner(self) -> tuple[str, object]:
        return "plans.change_process", self.process

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("description"), max_length=10_000, help_text=_("Markdown."))
    topic = models.ForeignKey(
        "network.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    territory = models.ForeignKey(
        "network.Territory",
        verbose_name=_("neighbourhood or place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ideas"
    )
    on_behalf_of = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices, blank=True)
    answer_reason = models.TextField(_("reason"), blank=True, max_length=5000)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    action = models.ForeignKey(
        "Action",
        verbose_name=_("became the action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_ideas",
    )

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["process", "-created_at", "-id"], name="idea_newest_idx"),
            models.Index(fields=["process", "-support_count", "-id"], name="idea_supported_idx"),
            models.Index(fields=["process", "-comment_count", "-id"], name="idea_discussed_idx"),
            models.Index(fields=["process", "topic", "-created_at"], name="idea_topic_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="idea_point_both_or_none",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:idea_detail", args=[self.process.slug, self.pk])

    def clean(self) -> None:
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                _("Give both latitude and longitude for a map point, or neither.")
            )


class IdeaAttachment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    file = media.FileField(_("file"), upload_to="ideas/%Y/")
    name = models.CharField(_("name"), max_length=200)
    mimetype = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class Action(Translatable):
    translatable_fields = ("title", "description")

    def translation_owner(self) -> tuple[str, object]:
        return "plans.change_process", self.process

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")
        DELAYED = "delayed", _("delayed")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=20_000)
    topic = models.ForeignKey(
        "network.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partners = models.ManyToManyField(
        "network.Organisation", verbose_name=_("partners"), blank=True, related_name="+"
    )
    deliverables = models.TextField(_("deliverables"), blank=True, max_length=5000)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ("starts_on", "id")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_0_100"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:action_detail", args=[self.process.slug, self.pk])

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.due_on and self.due_on < self.starts_on:
            raise ValidationError({"due_on": _("An action cannot be due before it starts.")})


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("what happened"), max_length=10_000)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=12, choices=Action.Status.choices)
    link = models.URLField(_("evidence link"), blank=True)
    file = media.FileField(_("evidence file"), upload_to="progress/%Y/", blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ("-on", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="update_progress_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.on}: {self.progress}%"
