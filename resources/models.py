"""The resource library: guides, toolkits, standards, laws, reports, data sets and courses.

Resources come from content files (`content/<lang>/resources/<slug>.md`) or from editors in
the admin. As for case studies, `loaded_fingerprint` records the values as last loaded, so a
difference means an editor changed the resource and the loader leaves it alone.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guidance.models import Topic, TranslatedMixin

from .vocabulary import GROUPS, REGIONS, TYPES, language_name


class ResourceQuerySet(models.QuerySet):
    def published(self):
        # Resources have no drafts: a resource in the library is public.
        return self.all()


class Resource(TranslatedMixin, models.Model):
    FROM_FILE = "file"
    FROM_ADMIN = "admin"
    SOURCE_CHOICES = [(FROM_FILE, _("content file")), (FROM_ADMIN, _("admin"))]

    slug = models.SlugField(
        _("slug"),
        unique=True,
        max_length=120,
        help_text=_("Anchor on the library page and file name; letters, digits and hyphens."),
    )
    title = models.CharField(
        _("title"), max_length=300, help_text=_("The resource's own title, not translated.")
    )
    publisher = models.CharField(_("publisher or author"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=list(TYPES.items()))
    region = models.CharField(_("region"), max_length=16, choices=list(REGIONS.items()))
    languages = models.CharField(
        _("languages"),
        max_length=100,
        help_text=_(
            "Language codes it is available in, separated by commas, such as en, es, fr. "
            "The title is in the first."
        ),
    )
    url = models.URLField(_("address"), max_length=500, unique=True)
    group = models.CharField(_("list"), max_length=30, choices=list(GROUPS.items()))
    annotation = models.TextField(
        _("annotation (Markdown)"),
        help_text=_("One or two sentences, in our own words, on what it is and why it helps."),
    )
    annotation_html = models.TextField(_("annotation (HTML)"), blank=True, editable=False)
    topics = models.ManyToManyField(
        Topic, related_name="resources", verbose_name=_("guidance topics")
    )
    source = models.CharField(
        _("source"), max_length=5, choices=SOURCE_CHOICES, default=FROM_ADMIN, editable=False
    )
    loaded_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)

    objects = ResourceQuerySet.as_manager()
    translation_probe = "annotation"

    class Meta:
        ordering = ["title"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:index") + f"#{self.slug}"

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    @property
    def title_language(self) -> str:
        codes = self.language_codes
        return codes[0] if codes else "en"

    @property
    def language_names(self) -> list[str]:
        return [language_name(code) for code in self.language_codes]
