"""Case studies and the themes they are tagged with.

Case studies come from content files (`content/<lang>/case-studies/`) or from editors in the
admin. The loader never overwrites an admin edit without --force: `loaded_fingerprint` is
the fingerprint of the values as last loaded, so a difference means an editor changed them.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guidance.content import SLUG_RE
from guidance.languages import LANGUAGE_CODES, TRANSLATION_CODES, localized, localized_value
from guidance.limits import MAX_QUOTE_CHARS, MAX_STORY_CHARS
from guidance.models import Stage, Topic, TranslatedMixin

from .countries import COUNTRIES, country_choices

# Single-field rules, on the fields: the admin form and the loader both run them.
SLUG_MESSAGE = _("Use lower-case letters, digits and single hyphens only, for example open-data.")
validate_content_slug = RegexValidator(SLUG_RE, SLUG_MESSAGE, code="invalid_slug")
YEAR_MESSAGE = _("Write the year with four digits, for example 2021.")
YEAR_VALIDATORS = [
    MinValueValidator(1900, YEAR_MESSAGE),
    MaxValueValidator(2100, YEAR_MESSAGE),
]


CASE_STUDIES_PREFIX = "case-studies/"


def reserved_case_study_slugs() -> set[str]:
    """Slugs whose address the site already uses (`feed` → /case-studies/feed/).

    Read from the app's URL configuration, so a page added there is reserved at once.
    """
    from django.urls import URLPattern

    from . import urls  # not at import time: urls → views → models

    reserved = set()
    for pattern in urls.urlpatterns:
        if not isinstance(pattern, URLPattern):
            continue
        route = str(pattern.pattern)
        if route.startswith(CASE_STUDIES_PREFIX):
            first = route[len(CASE_STUDIES_PREFIX) :].split("/")[0]
            if first and "<" not in first:
                reserved.add(first)
    return reserved


def validate_case_study_slug(slug: str) -> None:
    """A case-study slug may not be one of the site's own addresses (reserved)."""
    if slug in reserved_case_study_slugs():
        raise ValidationError(
            _(
                "“%(slug)s” is already an address of the site (/case-studies/%(slug)s/), so a "
                "case study with it could never be seen. Choose another slug."
            ),
            code="reserved_slug",
            params={"slug": slug},
        )


class ThemeQuerySet(models.QuerySet):
    def published(self):
        return self.all()


class Theme(TranslatedMixin, models.Model):
    slug = models.SlugField(_("slug"), unique=True, validators=[validate_content_slug])
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ThemeQuerySet.as_manager()
    translation_probe = "name"

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name


class Visibility(models.TextChoices):
    """What visitors see of a case study: its status and its publication date together."""

    LIVE = "live", _("Live on the site")
    SCHEDULED = "scheduled", _("Scheduled")
    DRAFT = "draft", _("Draft")


def _empty(field: str) -> models.Q:
    return models.Q(**{f"{field}__isnull": True}) | models.Q(**{field: ""})


class CaseStudyQuerySet(models.QuerySet):
    """One query per visibility; `CaseStudy.visibility` says the same of one object."""

    def published(self, *, today=None):
        """Live: visible to visitors (published, and the publication date has come)."""
        today = today or timezone.localdate()
        # No date (the source gives none): live as soon as it is published.
        return self.filter(status=CaseStudy.PUBLISHED).filter(
            models.Q(published_on__isnull=True) | models.Q(published_on__lte=today)
        )

    def scheduled(self, *, today=None):
        today = today or timezone.localdate()
        return self.filter(status=CaseStudy.PUBLISHED, published_on__gt=today)

    def drafts(self):
        return self.filter(status=CaseStudy.DRAFT)

    def in_every_language(self):
        """Those with a title in every language."""
        queryset = self
        for code in TRANSLATION_CODES:
            queryset = queryset.exclude(_empty(localized("title", code)))
        return queryset

    def missing_language(self, code: str):
        """Those without a title in `code` (so without that language's page)."""
        return self.filter(_empty(localized("title", code)))

    def with_visibility(self, visibility, *, today=None):
        if visibility == Visibility.DRAFT:
            return self.drafts()
        if visibility == Visibility.SCHEDULED:
            return self.scheduled(today=today)
        return self.published(today=today)


class CaseStudy(TranslatedMixin, models.Model):
    DRAFT = "draft"
    PUBLISHED = "published"
    STATUS_CHOICES = [(DRAFT, _("Draft")), (PUBLISHED, _("Published"))]
    FROM_FILE = "file"
    FROM_ADMIN = "admin"
    SOURCE_CHOICES = [(FROM_FILE, _("content file")), (FROM_ADMIN, _("admin"))]

    slug = models.SlugField(
        _("slug"),
        unique=True,
        max_length=120,
        validators=[validate_content_slug, validate_case_study_slug],
        help_text=_("Part of the web address; letters, digits and hyphens."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_("One or two sentences for lists, search and the feed."),
    )
    body = models.TextField(
        _("story (Markdown)"),
        blank=True,
        max_length=MAX_STORY_CHARS,
        help_text=_("Use ## headings such as The problem, The approach, The results."),
    )
    body_html = models.TextField(_("story (HTML)"), blank=True, editable=False)
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    organisation = models.CharField(_("organisation"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    # The source gives no date for the story: the year is our estimate, shown as "about 2021".
    year_inferred = models.BooleanField(_("year is an estimate"), default=False)
    quote = models.TextField(_("quote (paraphrase)"), blank=True, max_length=MAX_QUOTE_CHARS)
    quote_by = models.CharField(_("quote from"), max_length=200, blank=True)
    image = models.ImageField(_("image"), upload_to="case-studies/", blank=True)
    image_alt = models.CharField(_("image text alternative"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=DRAFT)
    # Empty when the source gives no date (content files); the admin fills in today.
    published_on = models.DateField(
        _("publication date"),
        default=timezone.localdate,
        null=True,
        blank=True,
        help_text=_("A future date keeps it hidden until then."),
    )
    topics = models.ManyToManyField(
        Topic, related_name="case_studies", blank=True, verbose_name=_("guidance topics")
    )
    stages = models.ManyToManyField(
        Stage, related_name="case_studies", blank=True, verbose_name=_("stages")
    )
    themes = models.ManyToManyField(
        Theme, related_name="case_studies", blank=True, verbose_name=_("themes")
    )
    # The second guide's guidance notes a case study illustrates (as topics do for the first).
    notes = models.ManyToManyField(
        "proposals.Note",
        related_name="case_studies",
        blank=True,
        verbose_name=_("project-proposal notes"),
    )
    source = models.CharField(
        _("source"), max_length=5, choices=SOURCE_CHOICES, default=FROM_ADMIN, editable=False
    )
    loaded_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # The hash of its content files (and what rendering them depended on) as last loaded:
    # a reload skips rendering and writing a case study whose files did not change.
    loaded_source = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    # The content file's own `updated:` date, per language: when this text last changed.
    updated_on = models.DateField(_("content last changed"), null=True, blank=True)

    # Its public change history (guidance.ChangeNote); deleted with it.
    change_notes = GenericRelation("guidance.ChangeNote")

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        # Newest first by the case study's own date: its publication date, else its year.
        ordering = [
            models.F("published_on").desc(nulls_last=True),
            models.F("year").desc(nulls_last=True),
            "slug",
        ]
        indexes = [models.Index(fields=["status", "published_on"])]
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("casestudies:detail", kwargs={"slug": self.slug})

    @property
    def country_name(self):
        return COUNTRIES.get(self.country, self.country)

    def visibility(self, *, today=None) -> Visibility:
        if self.status != self.PUBLISHED:
            return Visibility.DRAFT
        if self.published_on and self.published_on > (today or timezone.localdate()):
            return Visibility.SCHEDULED
        return Visibility.LIVE

    @property
    def is_visible(self) -> bool:
        return self.visibility() == Visibility.LIVE

    def languages(self) -> list[str]:
        """The languages this case study has a title in."""
        return [code for code in LANGUAGE_CODES if localized_value(self, "title", code)]


class CaseStudyRevision(models.Model):
    """A change an editor proposed, waiting for a reviewer (casestudies/review.py).

    `proposed` holds the form's values as JSON: every translated field in every language
    (`title_en`, `title_es`, `title_ind` …), the shared fields, the tags as primary keys, and
    the change note. The case study row keeps the approved version until a reviewer approves.
    """

    PENDING = "pending"
    APPROVED = "approved"
    SENT_BACK = "sent_back"
    SUPERSEDED = "superseded"
    STATE_CHOICES = [
        (PENDING, _("Waiting for review")),
        (APPROVED, _("Approved")),
        (SENT_BACK, _("Sent back")),
        (SUPERSEDED, _("Replaced by a later change")),
    ]

    case_study = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("case study")
    )
    proposed = models.JSONField(_("proposed values"))
    state = models.CharField(_("state"), max_length=10, choices=STATE_CHOICES, default=PENDING)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    comment = models.TextField(_("reviewer's comment"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        permissions = [("review_casestudyrevision", _("Can approve or send back a change"))]
        verbose_name = _("change for review")
        verbose_name_plural = _("changes for review")

    def __str__(self):
        return str(self.proposed.get("title_en") or self.case_study_id)
