"""Signed tokens: the page's (in the cached HTML) and the one that lets a "No" get a comment.

The page token stands in for a CSRF token: pages are cached and set no cookie, so there is
no per-visitor secret to check. It is the same for every reader of a cached page, names the
page, language and content version, and expires; replaying it is bounded by the throttle.
"""

from django.conf import settings
from django.core import signing

PAGE_SALT = "feedback.page"
COMMENT_SALT = "feedback.comment"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def page_token(*, page: str, language: str, content_version: int) -> str:
    return signing.dumps({"p": page, "l": language, "v": content_version}, salt=PAGE_SALT)


def _load(token: str, *, salt: str, max_age: int) -> dict:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise TokenExpired from error
    except signing.BadSignature as error:
        raise TokenInvalid from error
    if not isinstance(data, dict):
        raise TokenInvalid
    return data


def page_token_version(token: str, *, page: str, language: str) -> int:
    """The content version a valid token for this page and language carries.

    TokenExpired when it is older than FEEDBACK_TOKEN_MAX_AGE; TokenInvalid when it is
    forged, damaged, or made for another page or language.
    """
    data = _load(token, salt=PAGE_SALT, max_age=settings.FEEDBACK_TOKEN_MAX_AGE)
    version = data.get("v")
    if data.get("p") != page or data.get("l") != language or not isinstance(version, int):
        raise TokenInvalid
    return version


def comment_token(*, vote_id: int) -> str:
    return signing.dumps({"vote": vote_id}, salt=COMMENT_SALT)


def comment_token_vote(token: str) -> int:
    data = _load(token, salt=COMMENT_SALT, max_age=settings.FEEDBACK_COMMENT_MAX_AGE)
    vote_id = data.get("vote")
    if not isinstance(vote_id, int):
        raise TokenInvalid
    return vote_id
