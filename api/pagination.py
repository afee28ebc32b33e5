"""Page-number pagination with strict parameters: a bad value is a 400, never a 500."""

import math

from rest_framework import exceptions

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10**9


def _positive(params, name: str, default: int, maximum: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10 or not 1 <= int(raw) <= maximum:
        raise exceptions.ValidationError(
            {name: f"{name} must be a whole number from 1 to {maximum}."}
        )
    return int(raw)


def page_parameters(params) -> tuple[int, int]:
    size = _positive(params, "page_size", PAGE_SIZE, MAX_PAGE_SIZE)
    number = _positive(params, "page", 1, MAX_PAGE)
    return number, size


def paginate(queryset, number: int, size: int):
    """(items on the page, total count, number of pages); 404 past the last page."""
    count = queryset.count()
    pages = max(1, math.ceil(count / size))
    if number > pages:
        raise exceptions.NotFound(f"Page {number} does not exist: there are {pages}.")
    start = (number - 1) * size
    return list(queryset[start : start + size]), count, pages
