"""make bench: production settings with every page-cache store a no-op (the miss path).

Used for the bench's second set of instances (the "uncached" figures) and its query
counts. The page cache middleware still runs: it looks the page up (shared cache, then the
capped per-process one), finds nothing, calls the view and stores the answer with a
lifetime of 0 s, which the cache backends treat as "delete" (Redis) or "already expired"
(local memory). The API's cache (api/http.py) reads PAGE_CACHE_SECONDS the same way. No
local copy in front of Redis: it would keep pages 300 s whatever SECONDS says.
"""

from buyingguide.settings.base import *  # noqa: F403
from buyingguide.settings.base import PAGE_CACHE

PAGE_CACHE_SECONDS = 0
PAGE_CACHE = {**PAGE_CACHE, "SECONDS": 0, "LOCAL_COPY": False}
