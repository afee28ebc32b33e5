"""Writing feedback: record an answer, add its comment once, clear old comments."""

import re

from django.utils import timezone

from .models import Vote

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of at least 7 digits that may be broken by spaces, dots, dashes, slashes or
# brackets, with an optional leading +: phone numbers in the forms people type them.
PHONE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")
MIN_PHONE_DIGITS = 7
# A span of years ("2019-2024") or a date is no phone number.
NOT_PHONE = re.compile(r"\d{4}\s*[-/–]\s*\d{2,4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
EMAIL_REMOVED = "[email removed]"
PHONE_REMOVED = "[phone removed]"


def _phone(match: re.Match) -> str:
    text = match.group(0)
    digits = sum(char.isdigit() for char in text)
    if digits < MIN_PHONE_DIGITS or NOT_PHONE.fullmatch(text.strip()):
        return text
    return PHONE_REMOVED


def strip_personal_data(text: str) -> str:
    """The text with e-mail addresses and phone numbers replaced by a marker."""
    return PHONE.sub(_phone, EMAIL.sub(EMAIL_REMOVED, text))


def vote_record(*, page: str, language: str, content_version: int, useful: bool, now=None):
    """Store one answer. Each is its own row (no counter), so concurrent answers all count."""
    return Vote.objects.create(
        page=page,
        language=language,
        content_version=content_version,
        useful=useful,
        created_at=now or timezone.now(),
    )


def comment_add(*, vote_id: int, text: str, now=None) -> bool:
    """Attach "what were you looking for" to a "No", once; False if it already has one.

    The text is stripped of e-mail addresses and phone numbers before it is stored. One
    UPDATE with the conditions in it, so two posts of the same form cannot both land.
    """
    text = strip_personal_data(text.strip())
    updated = Vote.objects.filter(pk=vote_id, useful=False, commented_at__isnull=True).update(
        comment=text, commented_at=now or timezone.now()
    )
    return updated == 1


def comments_clear(*, votes) -> int:
    """Delete the comments of `votes` (a queryset); the answers stay, so counts are kept."""
    return votes.exclude(comment="").update(comment="")
