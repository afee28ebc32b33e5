"""What an instance depends on, and whether each answers: for /readyz and the 503 page."""

import logging

from django.core.cache import cache
from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError

logger = logging.getLogger(__name__)

# A database that does not answer (refused, gone away, timed out): a 503, not a 500.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Readiness: the database is unreachable: %s", error)
        return "unreachable"
    return "ok"


def _cache() -> str:
    ping = getattr(cache, "ping", None)  # the Redis backend (buyingguide/cache.py)
    if ping is None:
        return "ok"  # a cache in this process's memory cannot be unreachable
    try:
        ping()
    except Exception as error:  # a readiness check reports, it never raises
        logger.warning("Readiness: the cache is unreachable: %s", error)
        return "unreachable"
    return "ok"


def dependency_status() -> dict[str, str]:
    """{"database": "ok" | "unreachable", "cache": "ok" | "unreachable"}."""
    return {"database": _database(), "cache": _cache()}
