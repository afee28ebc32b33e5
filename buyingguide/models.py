"""The site's search index: one row per searchable page per language.

Derived data, rebuilt from the guide and case studies whenever content changes (see
search.py), so a search is one query over one table in the visitor's language.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntryQuerySet(models.QuerySet):
    def published(self):
        from django.db.models import Q
        from django.utils import timezone

        return self.filter(
            Q(visible_from__isnull=True) | Q(visible_from__lte=timezone.localdate()), is_draft=False
        )


class SearchEntry(models.Model):
    STAGE = "stage"
    TOPIC = "topic"
    CASE_STUDY = "case-study"
    GLOSSARY = "glossary"
    ASSESSMENT = "assessment"
    RESOURCE = "resource"
    KIND_CHOICES = [
        (STAGE, _("Stage")),
        (TOPIC, _("Guidance")),
        (CASE_STUDY, _("Case study")),
        (GLOSSARY, _("Glossary")),
        (ASSESSMENT, _("Self-assessment")),
        (RESOURCE, _("Resource")),
    ]

    language = models.CharField(max_length=5)
    kind = models.CharField(max_length=12, choices=KIND_CHOICES)
    key = models.CharField(max_length=200)  # what it indexes, e.g. "topic:plan/work-as-a-team"
    url = models.CharField(max_length=300)
    title = models.CharField(max_length=300)
    section = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    text_language = models.CharField(max_length=5)  # "en" when shown as the fallback
    is_draft = models.BooleanField(default=False)
    visible_from = models.DateField(null=True, blank=True)
    # PostgreSQL only: title (A), section (B), body (C) in the language's configuration,
    # written by search/index.py in one UPDATE; GIN-indexed by migration 0004. Unused (and
    # always empty) on SQLite.
    vector = SearchVectorField(null=True, editable=False)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["language", "kind"])]
        constraints = [
            models.UniqueConstraint(fields=["language", "key"], name="search_entry_unique_key")
        ]

    def __str__(self):
        return f"{self.language} {self.title}"


class SearchWord(models.Model):
    """A word that occurs in the published index of one language, for "Did you mean".

    Derived data, rebuilt with the index (search/index.py); on PostgreSQL a trigram index
    (pg_trgm, migration 0005) finds the nearest word to a misspelt one.
    """

    language = models.CharField(max_length=5)
    word = models.CharField(max_length=40)
    entries = models.PositiveIntegerField(default=0)  # in how many entries: a tie-breaker

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="search_word_unique")
        ]

    def __str__(self):
        return f"{self.language} {self.word}"
