"""The library of practices: items (case studies, policy examples, publications...) with their
translations, figures, attachments, links and review comments; and peer matching: needs and
offers published by organisations, and contact requests between them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from cocity.core import media
from cocity.core.languages import SPOKEN_LANGUAGES


class LibraryItem(models.Model):
    class Kind(models.TextChoices):
        CASE_STUDY = "case_study", _("case study")
        POLICY_EXAMPLE = "policy_example", _("policy example")
        PUBLICATION = "publication", _("publication")
        NEWS = "news", _("news")
        MANIFESTO = "manifesto", _("manifesto")
        CONCEPT_NOTE = "concept_note", _("concept note")
        TOOLKIT = "toolkit", _("toolkit")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    # Kinds whose items report outcomes and figures (budget, people reached...).
    KINDS_WITH_FIGURES = (Kind.CASE_STUDY, Kind.POLICY_EXAMPLE, Kind.NEWS, Kind.TOOLKIT)

    space = models.ForeignKey(
        "network.Space",
        verbose_name=_("space"),
        on_delete=models.PROTECT,
        related_name="library_items",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, editable=False, allow_unicode=False)
    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(
        _("text"), blank=True, validators=[MaxLengthValidator(60_000)], help_text=_("Markdown.")
    )
    language = models.CharField(
        _("language of the original"), max_length=12, choices=SPOKEN_LANGUAGES, default="en"
    )
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    territories = models.ManyToManyField(
        "network.Territory", verbose_name=_("places"), related_name="library_items", blank=True
    )
    organisations = models.ManyToManyField(
        "network.Organisation",
        verbose_name=_("organisations"),
        related_name="library_items",
        blank=True,
    )
    also_in_spaces = models.ManyToManyField(
        "network.Space", verbose_name=_("also shown in"), related_name="+", blank=True
    )
    topics = models.ManyToManyField(
        "network.Topic", verbose_name=_("topics"), related_name="library_items", blank=True
    )
    cover = media.ImageField(_("cover image"), upload_to="library/covers/%Y/", blank=True)
    cover_alt = models.CharField(_("cover image text alternative"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="library_items",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ("-published_on", "-id")
        indexes = [models.Index(fields=["status", "space"], name="library_item_status_space")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.slug = slugify(self.title)[:200] or "item"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("library:item_detail", args=[self.pk, slugify(self.title)[:200] or "item"])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def has_figures(self) -> bool:
        return self.kind in self.KINDS_WITH_FIGURES

    def clean(self) -> None:
        super().clean()
        if self.cover and not (self.cover_alt or "").strip():
            raise ValidationError(
                {"cover_alt": _("Describe the cover image for people who cannot see it.")}
            )


class ItemTranslation(models.Model):
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=12, choices=SPOKEN_LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(_("text"), blank=True, validators=[MaxLengthValidator(60_000)])
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ("language",)
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="one_item_translation")
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.language})"

    def clean(self) -> None:
        super().clean()
        if self.item_id and self.language == self.item.language:
            raise ValidationError(
                {"language": _("This is the language of the original; choose another.")}
            )


class ItemFigure(models.Model):
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(_("what"), max_length=120)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}".strip()


class ItemAttachment(models.Model):
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="attachments")
    file = media.FileField(_("file"), upload_to="library/files/%Y/")
    name = models.CharField(_("name"), max_length=200)
    mimetype = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.name


class ItemLink(models.Model):
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.title


class ReviewComment(models.Model):
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="review_comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    # What the comment came with: a return to the author, a publication, or just a remark.
    action = models.CharField(_("action"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.body[:60]


class PeerPost(models.Model):
    """A need or an offer published by an organisation."""

    class Kind(models.TextChoices):
        NEED = "need", _("need")
        OFFER = "offer", _("offer")

    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="peer_posts",
    )
    kind = models.CharField(_("need or offer"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("in a few words"), max_length=500)
    topics = models.ManyToManyField(
        "network.Topic", verbose_name=_("topics"), related_name="peer_posts", blank=True
    )
    territories = models.ManyToManyField(
        "network.Territory", verbose_name=_("places"), related_name="peer_posts", blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("need or offer")
        verbose_name_plural = _("needs and offers")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("library:post_detail", args=[self.pk])


class ContactRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    post = models.ForeignKey(
        PeerPost, verbose_name=_("need"), on_delete=models.CASCADE, related_name="contacts"
    )
    from_organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="contacts_sent"
    )
    to_organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="contacts_received"
    )
    item = models.ForeignKey(
        LibraryItem,
        verbose_name=_("about the practice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts_sent"
    )
    message = models.TextField(_("message"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "to_organisation"],
                condition=Q(status="pending"),
                name="one_pending_contact",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_organisation} → {self.to_organisation}"
