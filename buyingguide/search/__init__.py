"""Site search, in three modules: index.py builds the index, receivers.py keeps it in step
with content, query.py answers a visitor's query."""

from .index import search_index_case_study, search_index_rebuild
from .query import MAX_QUERY_LENGTH, clean_query, did_you_mean, search, search_terms

__all__ = [
    "MAX_QUERY_LENGTH",
    "clean_query",
    "did_you_mean",
    "search",
    "search_index_case_study",
    "search_index_rebuild",
    "search_terms",
]
