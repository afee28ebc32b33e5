"""Site search: the query, in the visitor's language, over the index (index.py).

PostgreSQL: full-text search over the stored, GIN-indexed `SearchEntry.vector` (english /
spanish / indonesian configurations, title weighted above section and body), ts_rank
ordering and ts_headline snippets. SQLite (the zero-setup default): whole-word matching
with a light suffix stemmer and the same result shape.
"""

import difflib
import re
from functools import lru_cache

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.html import escape

from ..models import SearchEntry, SearchWord

PG_CONFIGS = {"en": "english", "es": "spanish", "id": "indonesian"}
# PostgreSQL before 13 has no Snowball "indonesian"; there Indonesian is matched unstemmed.
PG_FALLBACK_CONFIG = "simple"
MAX_QUERY_LENGTH = 200
TRIGRAM_THRESHOLD = 0.3  # pg_trgm similarity a suggestion needs (its default for %)
CLOSE_MATCH_CUTOFF = 0.75  # the same for difflib, where pg_trgm is not installed
MAX_TERMS = 8
SNIPPET_WORDS = 30
# Common endings, stripped on SQLite so "contratos" finds "contrato" and "suppliers" "supplier".
SUFFIXES = {
    "en": ("ing", "ed", "es", "s"),
    "es": ("aciones", "ación", "es", "os", "as", "s"),
    "id": ("kan", "nya", "an", "i"),
}


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


@lru_cache(maxsize=8)
def _installed_configs(alias: str, wanted: tuple) -> frozenset:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config WHERE cfgname = ANY(%s)", [list(wanted)])
        return frozenset(row[0] for row in cursor.fetchall())


def pg_config(language: str, conn=None) -> str:
    """The text-search configuration for `language`, the same for the index and the query."""
    conn = conn or connection
    wanted = PG_CONFIGS.get(language, PG_FALLBACK_CONFIG)
    installed = _installed_configs(conn.alias, tuple(sorted(PG_CONFIGS.values())))
    return wanted if wanted in installed else PG_FALLBACK_CONFIG


def _search_postgres(entries, query, language):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    config = pg_config(language)
    search_query = SearchQuery(query, search_type="websearch", config=config)
    results = (
        entries.filter(vector=search_query)
        .annotate(rank=SearchRank(F("vector"), search_query))
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


# --- "Did you mean" ----------------------------------------------------------------------


def did_you_mean(query: str, language: str) -> str | None:
    """A respelt query when a word of `query` occurs nowhere in the index, else None.

    Such a word is replaced by its nearest listed word (SearchWord): trigram similarity on
    PostgreSQL with pg_trgm, difflib elsewhere. Offered even when stemming found results
    ("procurment" and "procurement" share the English stem "procur"): the spelling is
    still wrong, and the respelt query usually finds more.
    """
    terms = search_terms(query)
    if not terms:
        return None
    words = [term.lower() for term in terms]
    known = set(
        SearchWord.objects.filter(language=language, word__in=words).values_list("word", flat=True)
    )
    respelt = [word if word in known else (_nearest(word, language) or word) for word in words]
    return " ".join(respelt) if respelt != words else None


@lru_cache(maxsize=8)
def _has_trigrams(alias: str) -> bool:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def _nearest(word: str, language: str) -> str | None:
    if len(word) < 4 or not word.isalpha():
        return None  # too short to guess from, or a number/code
    if connection.vendor == "postgresql" and _has_trigrams(connection.alias):
        table = SearchWord._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word FROM {table} WHERE language = %s AND word %% %s "  # noqa: S608
                "AND similarity(word, %s) >= %s ORDER BY similarity(word, %s) DESC, "
                "entries DESC, word LIMIT 1",
                [language, word, word, TRIGRAM_THRESHOLD, word],
            )
            row = cursor.fetchone()
        return row[0] if row else None
    # Portable: the words that share the first letter and are about as long.
    candidates = (
        SearchWord.objects.filter(language=language, word__startswith=word[0])
        .order_by("-entries")
        .values_list("word", flat=True)
    )
    close = [c for c in candidates if abs(len(c) - len(word)) <= 2]
    matches = difflib.get_close_matches(word, close, n=1, cutoff=CLOSE_MATCH_CUTOFF)
    return matches[0] if matches else None
