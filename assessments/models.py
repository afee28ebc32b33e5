"""Self-assessment instruments, one row per instrument and language.

Loaded from `content/<lang>/assessments/<slug>.md` (see docs/assessments.md); read-only in the
admin. `definition` holds the validated structure (categories, indicators, questions, answer
scales) as JSON; `instrument.Instrument.from_json` turns it into objects for the views.
Visitors' answers are never stored: they travel in signed links (codec.py).
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Assessment(models.Model):
    slug = models.SlugField(_("slug"))
    language = models.CharField(_("language"), max_length=5)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    body_html = models.TextField(_("introduction"), blank=True)
    definition = models.JSONField(_("questions and scales"))
    # Hash of the English structure (ids and answer choices): part of every link's signature,
    # so a link made before the questions changed is refused instead of misread.
    fingerprint = models.CharField(_("structure fingerprint"), max_length=16)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="assessment_slug_language")
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"

    def get_absolute_url(self):
        return reverse("assessments:detail", kwargs={"slug": self.slug})

    @property
    def text_language(self) -> str:
        return self.language
