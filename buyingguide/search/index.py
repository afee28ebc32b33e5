"""Building the search index: one SearchEntry per published thing and language.

`search_index_rebuild` replaces it all (after load_content); `search_index_case_study` and
`search_index_drop_case_study` keep one case study in step (after a save in the admin).
Every entry is made by `_entry`, so each kind only says what its title, section and body are.
On PostgreSQL `search_vectors_fill` then computes the stored vectors inside the database,
one UPDATE per language (never row by row from Python).
"""

import re

from django.db import connection as default_connection
from django.db import transaction
from django.utils import translation

from assessments.search import assessment_entries
from casestudies.models import CaseStudy
from guidance.languages import LANGUAGE_CODES
from guidance.markdown import plain_text
from guidance.models import GlossaryTerm, Stage, Topic
from proposals.selectors import search_entries as proposal_search_entries
from resources.models import Resource

from ..models import SearchEntry, SearchWord
from .query import pg_config


def _entry(obj, language, kind, key, *, title, section, body, **extra) -> SearchEntry:
    """The entry for `obj` in `language` (read with `language` active)."""
    return SearchEntry(
        language=language,
        kind=kind,
        key=key,
        url=obj.get_absolute_url(),
        title=title,
        section=section,
        body=" ".join(part for part in body if part),
        text_language=obj.text_language,
        **extra,
    )


def _stage_entry(stage, language):
    body = [stage.summary, plain_text(stage.body_html)]
    key = f"stage:{stage.slug}"
    return _entry(stage, language, SearchEntry.STAGE, key, title=stage.title, section="", body=body)


def _topic_entry(topic, language):
    body = [topic.summary, plain_text(topic.why_html), plain_text(topic.what_html)]
    body += [item.text for item in topic.items.all()]
    title, section = topic.title, topic.stage.title
    return _entry(topic, language, SearchEntry.TOPIC, f"topic:{topic.key}", title=title,
                  section=section, body=body)  # fmt: skip


def _glossary_entry(term, language):
    body, key = [term.expansion, term.definition], f"glossary:{term.slug}"
    return _entry(term, language, SearchEntry.GLOSSARY, key, title=term.term,
                  section=term.expansion, body=body)  # fmt: skip


def _case_study_entry(case, language):
    body = [case.summary, plain_text(case.body_html), case.organisation, str(case.country_name)]
    section = f"{case.organisation}, {case.country_name}"
    # Drafts and scheduled ones are indexed too; `published()` hides them until they are due.
    visibility = {"is_draft": case.status != CaseStudy.PUBLISHED, "visible_from": case.published_on}
    return _entry(case, language, SearchEntry.CASE_STUDY, f"case-study:{case.pk}",
                  title=case.title, section=section, body=body, **visibility)  # fmt: skip


def _entries_for_language(language):
    with translation.override(language):
        for stage in Stage.objects.published():
            yield _stage_entry(stage, language)
        for topic in Topic.objects.published().prefetch_related("items"):
            yield _topic_entry(topic, language)
        for case in CaseStudy.objects.all():
            yield _case_study_entry(case, language)
        for term in GlossaryTerm.objects.published():
            yield _glossary_entry(term, language)
        for resource in Resource.objects.published():
            yield _resource_entry(resource, language)
    yield from assessment_entries(language, SearchEntry)
    yield from proposal_search_entries(language, SearchEntry)


def _resource_entry(resource, language):
    return _entry(
        resource,
        language,
        SearchEntry.RESOURCE,
        f"resource:{resource.slug}",
        title=resource.title,
        section=resource.publisher,
        body=[resource.publisher, plain_text(resource.annotation_html)],
    )


# Title A, section B, body C: the weights ts_rank uses to put a title match first.
VECTOR_SQL = (
    "setweight(to_tsvector(%(config)s::regconfig, title), 'A') || "
    "setweight(to_tsvector(%(config)s::regconfig, section), 'B') || "
    "setweight(to_tsvector(%(config)s::regconfig, body), 'C')"
)


def search_vectors_fill(*, keys=None, connection=None) -> None:
    """Compute the stored vectors (PostgreSQL; a no-op elsewhere): all, or those of `keys`."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return
    table = SearchEntry._meta.db_table
    with connection.cursor() as cursor:
        for language in LANGUAGE_CODES:
            params = {"config": pg_config(language, connection), "language": language}
            where = "language = %(language)s"
            if keys is not None:
                where += " AND key = ANY(%(keys)s)"
                params["keys"] = list(keys)
            # Only constants are formatted in; every value is a parameter.
            sql = f"UPDATE {table} SET vector = {VECTOR_SQL} WHERE {where}"  # noqa: S608
            cursor.execute(sql, params)


WORD = re.compile(r"[^\W\d_]{3,40}")  # letters only, in any script
# ts_stat lists every word of the published entries of one language ('simple': unstemmed,
# so a suggestion is a word people wrote); the same word rule as WORD, in SQL.
WORDS_SQL = (
    "SELECT %(language)s, word, ndoc FROM ts_stat(format("
    "'SELECT to_tsvector(''simple'', title || '' '' || section || '' '' || body) "
    "FROM {entries} WHERE NOT is_draft AND language = %%L{keys}', %(language)s{key_arg})) "
    "WHERE char_length(word) BETWEEN 3 AND 40 AND word ~ '^[[:alpha:]]+$'"
)


def search_words_rebuild(*, keys=None) -> None:
    """The word list of "Did you mean": all of it, or only add the words of `keys`."""
    if keys is None:
        SearchWord.objects.all().delete()
    if default_connection.vendor == "postgresql":
        _search_words_postgres(keys)
        return
    counts: dict[tuple, int] = {}
    entries = SearchEntry.objects.filter(is_draft=False)
    if keys is not None:
        entries = entries.filter(key__in=keys)
    for language, title, section, body in entries.values_list(
        "language", "title", "section", "body"
    ).iterator(chunk_size=2000):
        for word in {w.lower() for w in WORD.findall(f"{title} {section} {body}")}:
            counts[(language, word)] = counts.get((language, word), 0) + 1
    SearchWord.objects.bulk_create(
        [SearchWord(language=lang, word=word, entries=n) for (lang, word), n in counts.items()],
        batch_size=2000,
        ignore_conflicts=keys is not None,
    )


def _search_words_postgres(keys) -> None:
    entries, words = SearchEntry._meta.db_table, SearchWord._meta.db_table
    key_filter, key_arg = (" AND key = ANY(%%L)", ", %(keys)s") if keys is not None else ("", "")
    select = WORDS_SQL.format(entries=entries, keys=key_filter, key_arg=key_arg)
    conflict = " ON CONFLICT DO NOTHING" if keys is not None else ""
    sql = f"INSERT INTO {words} (language, word, entries) {select}{conflict}"
    with default_connection.cursor() as cursor:
        for language in LANGUAGE_CODES:
            cursor.execute(sql, {"language": language, "keys": list(keys or ())})


def _replace(keys, entries) -> None:
    """Swap the entries of `keys` for `entries`, vectors included, in one transaction."""
    with transaction.atomic():
        SearchEntry.objects.filter(key__in=keys).delete()
        SearchEntry.objects.bulk_create(entries)
        search_vectors_fill(keys=keys)
        search_words_rebuild(keys=keys)


def search_index_resource(resource: Resource) -> None:
    """Re-index one resource in every language (after an admin save)."""
    entries = []
    for language in LANGUAGE_CODES:
        with translation.override(language):
            entries.append(_resource_entry(resource, language))
    _replace([f"resource:{resource.slug}"], entries)


def search_index_drop_resource(resource: Resource) -> None:
    SearchEntry.objects.filter(key=f"resource:{resource.slug}").delete()


def search_index_rebuild() -> int:
    """Replace the whole index; runs inside load_content's transaction."""
    entries = [entry for language in LANGUAGE_CODES for entry in _entries_for_language(language)]
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchEntry.objects.bulk_create(entries, batch_size=1000)
        search_vectors_fill()
        search_words_rebuild()
    return len(entries)


def search_index_case_study(case: CaseStudy) -> None:
    """Re-index one case study in every language (after a save)."""
    entries = []
    for language in LANGUAGE_CODES:
        with translation.override(language):
            entries.append(_case_study_entry(case, language))
    _replace([f"case-study:{case.pk}"], entries)


def search_index_drop_case_study(case: CaseStudy) -> None:
    SearchEntry.objects.filter(key=f"case-study:{case.pk}").delete()
