"""Redis as a cache that degrades: when it is unreachable the site is served uncached.

Django's RedisCache raises on every call while Redis is down, so every page (they all read
the content key from the cache) would answer 500. `ResilientRedisCache` turns an
unreachable Redis into a miss: reads find nothing, writes are dropped, the API's rate-limit
counter starts again at 1 (requests are let through, not refused). One warning is logged per
process and WARN_SECONDS, not one per request, and after a failure Redis is left alone for
RETRY_SECONDS so a request does not wait for a connection timeout at every cache call.

Settings use it whenever CACHE_URL is redis:// (buyingguide/settings/base.py). `/readyz`
asks `ping()`, which does raise, so an operator still learns that Redis is down.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 5
WARN_SECONDS = 60

clock = time.monotonic  # tests move time forward instead of sleeping

# Per process and server, shared by the threads' cache objects (Django makes one per thread).
_lock = threading.Lock()
_state: dict[str, dict[str, float]] = {}


def _server_state(location: str) -> dict[str, float]:
    return _state.setdefault(location, {"down_until": 0.0, "warned_at": float("-inf")})


def reset_state() -> None:
    """Forget past failures (tests)."""
    with _lock:
        _state.clear()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", RETRY_SECONDS))
        self.warn_seconds = float(options.pop("WARN_SECONDS", WARN_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = server if isinstance(server, str) else ",".join(server)

    def _failed(self, error) -> None:
        now = clock()
        with _lock:
            state = _server_state(self._location)
            state["down_until"] = now + self.retry_seconds
            warn = now - state["warned_at"] >= self.warn_seconds
            if warn:
                state["warned_at"] = now
        if warn:
            logger.warning(
                "Redis (%s) is unreachable: %s. Pages and API answers are served uncached; "
                "trying again every %g s. This is logged at most every %g s.",
                _redacted(self._location),
                error,
                self.retry_seconds,
                self.warn_seconds,
            )

    def _call(self, method, fallback, *args, **kwargs):
        state = _server_state(self._location)
        if clock() < state["down_until"]:
            return fallback
        try:
            result = method(*args, **kwargs)
        except UNREACHABLE as error:
            self._failed(error)
            return fallback
        if state["warned_at"] != float("-inf") and state["down_until"]:
            with _lock:
                state["down_until"] = 0.0
            logger.warning("Redis (%s) answers again: caching resumed.", _redacted(self._location))
        return result

    def ping(self) -> bool:
        """True if Redis answers now; raises if not (for /readyz, never for pages)."""
        return self._cache.get_client(write=True).ping()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        # A counter nobody can read starts again: the caller sees a first request.
        return self._call(super().incr, delta, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, None, keys, version)

    def clear(self):
        return self._call(super().clear, False)


def _redacted(location: str) -> str:
    """The address without a password (redis://:secret@host → redis://***@host)."""
    scheme, sep, rest = location.partition("://")
    if "@" in rest:
        rest = "***@" + rest.rpartition("@")[2]
    return f"{scheme}{sep}{rest}"
