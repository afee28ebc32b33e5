"""The second guide: developing a smart-city project proposal (Think, Work, Measure smart).

Its own small models rather than stretching the buying guide's stages and topics (see
docs/decisions.md): a guide of three components, each with guidance notes in four parts
(context, the need, recommendations, linkages), and notes carry numbered checklists of
questions, do's and don'ts or points to consider. All of it comes from content files
(content/<lang>/proposals/, see docs/content.md); the admin shows it read-only.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guidance.models import TranslatedMixin


class ProposalPage(TranslatedMixin, models.Model):
    """The guide's landing text and the introduction to the summary of recommendations."""

    INDEX = "index"
    SUMMARY = "summary"

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    body_html = models.TextField(_("body"), blank=True)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("project-proposal page")
        verbose_name_plural = _("project-proposal pages")

    def __str__(self):
        return self.title


class Component(TranslatedMixin, models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    letter = models.CharField(_("letter"), max_length=1)  # A, B or C, as in the source
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    body_html = models.TextField(_("introduction"), blank=True)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)

    class Meta:
        ordering = ["order"]
        verbose_name = _("component")
        verbose_name_plural = _("components")

    def __str__(self):
        return f"{self.letter} {self.title}"

    def get_absolute_url(self):
        return reverse("proposals:component", kwargs={"component": self.slug})


class Note(TranslatedMixin, models.Model):
    component = models.ForeignKey(
        Component, on_delete=models.CASCADE, related_name="notes", verbose_name=_("component")
    )
    slug = models.SlugField(_("slug"))
    code = models.CharField(_("code"), max_length=4)  # "A", "B3", "C1": how the source cites it
    order = models.PositiveSmallIntegerField(_("order"))
    # Place in the whole guide's reading order, set by the loader (prev/next in one query).
    position = models.PositiveIntegerField(_("position in the guide"), default=0, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    context_html = models.TextField(_("context"))
    need_html = models.TextField(_("the need"))
    recommendations_html = models.TextField(_("recommendations"))
    linkages_html = models.TextField(_("linkages"))
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "slug"], name="note_unique_slug_per_component"
            )
        ]
        verbose_name = _("guidance note")
        verbose_name_plural = _("guidance notes")

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse(
            "proposals:note", kwargs={"component": self.component.slug, "note": self.slug}
        )

    @property
    def key(self) -> str:
        """`component/note`, the way content files refer to a note."""
        return f"{self.component.slug}/{self.slug}"


class Checklist(TranslatedMixin, models.Model):
    QUESTIONS = "questions"
    DOS_AND_DONTS = "dos-and-donts"
    POINTS = "points"
    AGREEMENT = "agreement"  # statements rated from "strongly disagree" to "strongly agree"
    KIND_CHOICES = [
        (QUESTIONS, _("Questions")),
        (DOS_AND_DONTS, _("Do's and don'ts")),
        (POINTS, _("Points to consider")),
        (AGREEMENT, _("Statements to rate")),
    ]

    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, related_name="checklists", verbose_name=_("guidance note")
    )
    slug = models.SlugField(_("slug"), unique=True)
    # The source's checklist number (1-11); none for the critical success factors.
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=KIND_CHOICES)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    intro_html = models.TextField(_("introduction"), blank=True)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)

    class Meta:
        ordering = ["note__position", "order"]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.kind == self.AGREEMENT:
            return reverse("proposals:success-factors")
        return f"{self.note.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"checklist-{self.slug}"


class ChecklistEntry(TranslatedMixin, models.Model):
    QUESTION = "question"
    DO = "do"
    DONT = "dont"
    POINT = "point"
    STATEMENT = "statement"
    KIND_CHOICES = [
        (QUESTION, _("Question")),
        (DO, _("Do")),
        (DONT, _("Don't")),
        (POINT, _("Point to consider")),
        (STATEMENT, _("Statement")),
    ]

    checklist = models.ForeignKey(
        Checklist, on_delete=models.CASCADE, related_name="entries", verbose_name=_("checklist")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=KIND_CHOICES)
    order = models.PositiveSmallIntegerField(_("order"))
    # Critical success factors only: the factor and the sub-factor a statement belongs to.
    group = models.CharField(_("group"), max_length=200, blank=True)
    subgroup = models.CharField(_("sub-group"), max_length=200, blank=True)
    text = models.TextField(_("text"))  # plain text, for CSV and search
    text_html = models.TextField(_("text (HTML)"))

    translation_probe = "text"

    class Meta:
        ordering = ["checklist", "order"]
        verbose_name = _("checklist entry")
        verbose_name_plural = _("checklist entries")

    def __str__(self):
        return self.text
