"""Data many pages build (the guide's reading order, the self-assessments, …), built once
per process and content state instead of on every page-cache miss.

`per_content(name, build, *args)` returns `build(*args)`, remembered under the content key
(guidance/version.py), the visitor's language and `args`. Every content change makes a new
content key, so a memo is never stale: the first miss after a change builds it again, and
the old values are dropped then. Each process keeps its own (nothing to share or clear
between instances); the key itself is read from the shared cache as for the page cache.

`daily=True` adds today's date, for what depends on it (a case study scheduled for today
appears without anyone saving), as the page cache's key does.

The values are shared by all threads and requests of the process: they must be read-only
(lists, dicts, model instances nobody modifies). A memo holds what every page shows, never
one page's own data: that would be a second page cache, and the first visit of each page
after a change would still pay for it.
"""

import threading

from django.utils import timezone
from django.utils.translation import get_language

from .version import content_key

_lock = threading.Lock()
# (content key, {slot: value}): replaced whole, so a thread never pairs a key with the values
# of another.
_memo: tuple = (None, {})


def per_content(name: str, build, *args, daily: bool = False):
    global _memo
    key = content_key()
    memo_key, values = _memo
    if memo_key != key:
        with _lock:
            if _memo[0] != key:
                _memo = (key, {})  # a new content state: the old values are of no use
            memo_key, values = _memo
        if memo_key != key:  # another thread moved on meanwhile: build, do not keep
            return build(*args)
    slot = (name, (get_language() or "en").split("-")[0], args)
    if daily:
        slot += (timezone.localdate(),)
    try:
        return values[slot]
    except KeyError:
        # Two threads may build the same value at once; both are right, one is kept.
        value = build(*args)
        values[slot] = value
        return value


# What depends on the code and the interface translations alone (the site's navigation and
# footer): both change only with a release, which starts new processes.
_static: dict = {}


def per_language(name: str, build, *args):
    """`build(*args)` once per process, language and `args`; never the database."""
    slot = (name, (get_language() or "en").split("-")[0], args)
    try:
        return _static[slot]
    except KeyError:
        value = _static[slot] = build(*args)
        return value


def clear() -> None:
    """Forget every memo (tests: a rolled-back test database repeats content keys)."""
    global _memo
    with _lock:
        _memo = (None, {})
        _static.clear()
