"""Site search: index building and the query, in the visitor's language.

PostgreSQL: full-text search with the english / spanish / indonesian configurations, title
weighted above body, ts_rank ordering and ts_headline snippets. SQLite (the zero-setup
default): whole-word matching with a light suffix stemmer and the same result shape.
"""

import re

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from casestudies.models import CaseStudy
from guidance.languages import LANGUAGE_CODES
from guidance.markdown import plain_text
from guidance.models import GlossaryTerm, Stage, Topic
from guidance.signals import content_loaded
from guidance.version import in_content_batch

from .models import SearchEntry

PG_CONFIGS = {"en": "english", "es": "spanish", "id": "indonesian"}
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
SNIPPET_WORDS = 30
# Common endings, stripped on SQLite so "contratos" finds "contrato" and "suppliers" "supplier".
SUFFIXES = {
    "en": ("ing", "ed", "es", "s"),
    "es": ("aciones", "ación", "es", "os", "as", "s"),
    "id": ("kan", "nya", "an", "i"),
}


# --- building the index ------------------------------------------------------------------


def _entries_for_language(language):
    with translation.override(language):
        for stage in Stage.objects.published():
            yield SearchEntry(
                language=language,
                kind=SearchEntry.STAGE,
                key=f"stage:{stage.slug}",
                url=stage.get_absolute_url(),
                title=stage.title,
                section="",
                body=f"{stage.summary} {plain_text(stage.body_html)}",
                text_language=stage.text_language,
            )
        topics = Topic.objects.published().prefetch_related("items")
        for topic in topics:
            items = " ".join(item.text for item in topic.items.all())
            yield SearchEntry(
                language=language,
                kind=SearchEntry.TOPIC,
                key=f"topic:{topic.key}",
                url=topic.get_absolute_url(),
                title=topic.title,
                section=topic.stage.title,
                body=" ".join(
                    [topic.summary, plain_text(topic.why_html), plain_text(topic.what_html), items]
                ),
                text_language=topic.text_language,
            )
        for case in CaseStudy.objects.all():
            yield _case_study_entry(case, language)
        glossary_url = reverse("guidance:glossary")
        for term in GlossaryTerm.objects.published():
            yield SearchEntry(
                language=language,
                kind=SearchEntry.GLOSSARY,
                key=f"glossary:{term.slug}",
                url=f"{glossary_url}#{term.slug}",
                title=term.term,
                section=term.expansion,
                body=f"{term.expansion} {term.definition}",
                text_language=term.text_language,
            )


def _case_study_entry(case, language):
    with translation.override(language):
        return SearchEntry(
            language=language,
            kind=SearchEntry.CASE_STUDY,
            key=f"case-study:{case.pk}",
            url=case.get_absolute_url(),
            title=case.title,
            section=f"{case.organisation}, {case.country_name}",
            body=" ".join(
                [
                    case.summary,
                    plain_text(case.body_html),
                    case.organisation,
                    str(case.country_name),
                ]
            ),
            text_language=case.text_language,
            is_draft=case.status != CaseStudy.PUBLISHED,
            visible_from=case.published_on,
        )


def search_index_rebuild() -> int:
    """Replace the whole index; runs inside load_content's transaction."""
    entries = [entry for language in LANGUAGE_CODES for entry in _entries_for_language(language)]
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def search_index_case_study(case: CaseStudy) -> None:
    """Re-index one case study in every language (after an admin save)."""
    with transaction.atomic():
        SearchEntry.objects.filter(key=f"case-study:{case.pk}").delete()
        SearchEntry.objects.bulk_create(
            [_case_study_entry(case, language) for language in LANGUAGE_CODES]
        )


@receiver(content_loaded)
def _rebuild_after_load(sender, **kwargs):
    search_index_rebuild()


@receiver(post_save, sender=CaseStudy)
def _reindex_case_study(sender, instance, raw=False, **kwargs):
    if not raw and not in_content_batch():
        transaction.on_commit(lambda: search_index_case_study(instance))


@receiver(post_delete, sender=CaseStudy)
def _unindex_case_study(sender, instance, **kwargs):
    SearchEntry.objects.filter(key=f"case-study:{instance.pk}").delete()


@receiver(m2m_changed, sender=CaseStudy.topics.through)
def _reindex_on_topics(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, CaseStudy) and not in_content_batch():
        transaction.on_commit(lambda: search_index_case_study(instance))


# --- querying ----------------------------------------------------------------------------


def clean_query(raw: str) -> str:
    """Letters, digits and spaces only (any script), trimmed to a sane length."""
    text = re.sub(r"[^\w\s-]", " ", (raw or "")[: MAX_QUERY_LENGTH * 2], flags=re.UNICODE)
    text = re.sub(r"[\s_]+", " ", text).strip()
    return text[:MAX_QUERY_LENGTH]


def search_terms(query: str) -> list[str]:
    return [t for t in clean_query(query).split(" ") if t.strip("-")][:MAX_TERMS]


def search(query: str, language: str):
    """Ranked published entries for `query` in `language`, each with a `.snippet` (HTML)."""
    terms = search_terms(query)
    if not terms:
        return []
    entries = SearchEntry.objects.published().filter(language=language)
    if connection.vendor == "postgresql":
        return _search_postgres(entries, " ".join(terms), language)
    return _search_simple(entries, terms, language)


def _search_postgres(entries, query, language):
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    config = PG_CONFIGS.get(language, "simple")
    vector = (
        SearchVector("title", weight="A", config=config)
        + SearchVector("section", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )
    search_query = SearchQuery(query, search_type="websearch", config=config)
    results = (
        entries.annotate(rank=SearchRank(vector, search_query))
        .filter(rank__gt=0)
        .annotate(
            headline=SearchHeadline(
                "body",
                search_query,
                config=config,
                start_sel="\x02",
                stop_sel="\x03",
                max_words=SNIPPET_WORDS,
                min_words=15,
                short_word=2,
                max_fragments=1,
            )
        )
        .order_by("-rank", "title")[:50]
    )
    results = list(results)
    for entry in results:
        entry.snippet = _mark(entry.headline)
    return results


def _mark(text: str) -> str:
    """Escape, then turn the private markers into <mark> (so content can't inject HTML)."""
    return escape(text).replace("\x02", "<mark>").replace("\x03", "</mark>")


# Indonesian builds words with prefixes too (pe-masok, me-masok, pasok-an).
PREFIXES = {
    "id": (
        "meng",
        "meny",
        "mem",
        "men",
        "peng",
        "peny",
        "pem",
        "pen",
        "ber",
        "ter",
        "me",
        "pe",
        "di",
        "ke",
    )
}


def _stem(term: str, language: str) -> tuple[str, bool]:
    """A crude stem and whether a prefix was cut (SQLite only; PostgreSQL uses Snowball)."""
    lowered = term.lower()
    cut_prefix = False
    for prefix in PREFIXES.get(language, ()):
        if lowered.startswith(prefix) and len(lowered) - len(prefix) >= 4:
            lowered, cut_prefix = lowered[len(prefix) :], True
            break
    for suffix in SUFFIXES.get(language, ()):
        if lowered.endswith(suffix) and len(lowered) - len(suffix) >= 4:
            lowered = lowered[: -len(suffix)]
            break
    return lowered, cut_prefix


def _pattern(term: str, language: str) -> str:
    stem, cut_prefix = _stem(term, language)
    start = r"(?<!\w)\w{0,4}" if cut_prefix else r"(?<!\w)"
    return start + re.escape(stem) + r"\w*"


def _search_simple(entries, terms, language):
    patterns = [_pattern(t, language) for t in terms]
    condition = Q()
    title_hits = []
    for pattern in patterns:
        condition &= Q(title__iregex=pattern) | Q(body__iregex=pattern) | Q(section__iregex=pattern)
        title_hits.append(When(title__iregex=pattern, then=Value(1)))
    results = (
        entries.filter(condition)
        .annotate(title_hit=Case(*title_hits, default=Value(0), output_field=IntegerField()))
        .order_by(F("title_hit").desc(), "kind", "title")[:50]
    )
    results = list(results)
    regex = re.compile("|".join(patterns), re.IGNORECASE)
    for entry in results:
        entry.snippet = _simple_snippet(entry.body, regex)
    return results


def _simple_snippet(body: str, regex) -> str:
    match = regex.search(body)
    words = body.split()
    if match:
        start = len(body[: match.start()].split())
        words = words[max(0, start - 10) : start + SNIPPET_WORDS - 10]
        prefix = "… " if start > 10 else ""
    else:
        words, prefix = words[:SNIPPET_WORDS], ""
    text = prefix + " ".join(words) + (" …" if len(body.split()) > len(words) else "")
    return _mark(regex.sub(lambda m: f"\x02{m.group(0)}\x03", text))
