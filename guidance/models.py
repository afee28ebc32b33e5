"""The guide itself: stages, topics with their do and don't items, glossary, static pages.

All of it is loaded from content files (see docs/content.md); the admin shows it read-only.
Text fields ending in `_html` hold Markdown already rendered and sanitised at load time.
"""

import json

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .languages import localized
from .version import new_generation


class TranslatedMixin:
    """Tells whether the visitor's language has its own text or falls back to English."""

    translation_probe = "title"

    def has_translation(self, language: str | None = None) -> bool:
        language = (language or get_language() or "en").split("-")[0]
        if language == "en":
            return True
        return bool(getattr(self, localized(self.translation_probe, language), ""))

    @property
    def text_language(self) -> str:
        """The language the visitor actually reads this object in."""
        language = (get_language() or "en").split("-")[0]
        return language if self.has_translation(language) else "en"


class StageQuerySet(models.QuerySet):
    def published(self):
        # Guidance has no drafts: what is in the content files is published.
        return self.all()


class Stage(TranslatedMixin, models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    body_html = models.TextField(_("overview"), blank=True)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)
    # The content file's own `updated:` date, per language: when this text last changed.
    updated_on = models.DateField(_("content last changed"), null=True, blank=True)

    change_notes = GenericRelation("guidance.ChangeNote")
    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guidance:stage", kwargs={"stage": self.slug})


class TopicQuerySet(models.QuerySet):
    def published(self):
        return self.select_related("stage")


class Topic(TranslatedMixin, models.Model):
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="topics", verbose_name=_("stage")
    )
    slug = models.SlugField(_("slug"))
    order = models.PositiveSmallIntegerField(_("order"))
    # Place in the whole guide's reading order, set by the loader; makes prev/next one query.
    position = models.PositiveIntegerField(_("position in the guide"), default=0, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    why_html = models.TextField(_("why it's important"))
    what_html = models.TextField(_("what it means"))
    # JSON list of {"id", "text"} for the sub-headings of "what it means".
    toc = models.TextField(_("sub-headings"), blank=True, default="[]")
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)
    # The content file's own `updated:` date, per language: when this text last changed.
    updated_on = models.DateField(_("content last changed"), null=True, blank=True)

    change_notes = GenericRelation("guidance.ChangeNote")
    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "slug"], name="topic_unique_slug_per_stage")
        ]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guidance:topic", kwargs={"stage": self.stage.slug, "topic": self.slug})

    @property
    def key(self) -> str:
        """`stage/topic`, the way content files refer to a topic."""
        return f"{self.stage.slug}/{self.slug}"

    @property
    def subheadings(self) -> list[dict]:
        return json.loads(self.toc or "[]")


class ChecklistItem(TranslatedMixin, models.Model):
    DO = "do"
    DONT = "dont"
    KIND_CHOICES = [(DO, _("Do")), (DONT, _("Don't"))]

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="items", verbose_name=_("topic")
    )
    kind = models.CharField(_("kind"), max_length=4, choices=KIND_CHOICES)
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))  # plain text, for CSV and search
    text_html = models.TextField(_("text (HTML)"))

    translation_probe = "text"

    class Meta:
        ordering = ["topic__position", "kind", "order"]
        verbose_name = _("do or don't item")
        verbose_name_plural = _("do and don't items")

    def __str__(self):
        return self.text


class GlossaryTermQuerySet(models.QuerySet):
    def published(self):
        return self.all()


class GlossaryTerm(TranslatedMixin, models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    term = models.CharField(_("term"), max_length=120)  # shared by every language
    # A translation's own form of an abbreviation (IA for AI); linked to the same entry.
    abbreviation = models.CharField(_("abbreviation in this language"), max_length=40, blank=True)
    expansion = models.CharField(_("expansion"), max_length=300, blank=True)
    definition = models.TextField(_("definition"))  # plain text, for search
    definition_html = models.TextField(_("definition (HTML)"))

    objects = GlossaryTermQuerySet.as_manager()
    translation_probe = "definition"

    class Meta:
        ordering = ["term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("guidance:glossary") + f"#{self.slug}"


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.all()


class Page(TranslatedMixin, models.Model):
    """Home introduction, about and accessibility statement."""

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body_html = models.TextField(_("body"), blank=True)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)
    # The content file's own `updated:` date, per language: when this text last changed.
    updated_on = models.DateField(_("content last changed"), null=True, blank=True)

    change_notes = GenericRelation("guidance.ChangeNote")
    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.slug == "home":
            return reverse("home")
        return reverse("page", kwargs={"slug": self.slug})


class ContentVersion(models.Model):
    """One row: a number bumped on every content change; page-cache keys include it."""

    version = models.PositiveBigIntegerField(default=1)
    # New at every bump (guidance/version.py): the number repeats in a recreated database,
    # number and generation together never do.
    generation = models.CharField(max_length=32, default=new_generation, editable=False)
    changed_at = models.DateTimeField(default=timezone.now)
    # The content folder of the last load (guidance/version.py): the change-note rule
    # compares a load with the database only when that is the same folder.
    content_root = models.CharField(max_length=1000, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return str(self.version)


class ChangeNoteQuerySet(models.QuerySet):
    def public(self):
        """What readers see: the notes of real changes (a minor change has no note)."""
        return self.filter(minor=False)

    def of(self, obj):
        # By the type's name (a join), not ContentType's per-process cache: every page
        # then costs the same one query, cold or warm.
        meta = obj._meta
        return self.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id=obj.pk,
        )


class ChangeNote(TranslatedMixin, models.Model):
    """One dated change to a page (guide page, stage, topic or case study), with a note per
    language for readers. Written by the content loader (front matter `changes:`) and by an
    approved case-study revision; shown as "Last updated", "Page history" and "What's new".
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    date = models.DateField(_("date"))
    note = models.CharField(_("change note"), max_length=300, blank=True)
    # A typo fix: recorded (so the loader knows the change was declared), never shown.
    minor = models.BooleanField(_("minor change"), default=False)

    objects = ChangeNoteQuerySet.as_manager()
    translation_probe = "note"

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("change note")
        verbose_name_plural = _("change notes")

    def __str__(self):
        return f"{self.date}: {self.note}"
