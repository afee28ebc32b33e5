"""Answers ⇄ a short signed token for links: no session, no cookie, nothing stored.

The answers (one value per question, see instrument.py) are packed as one mixed-radix
number, written as unpadded URL-safe base64 and signed with django.core.signing. The salt
names the instrument, the language and the structure fingerprint, so a link only opens the
result it was made for. All 44 emergency answers fit in 19 characters before the signature.
"""

import base64
import binascii
from math import prod

from django.core import signing

# Far longer than any real token (the largest instrument needs under 100 characters); longer
# input is refused before any decoding work.
MAX_TOKEN_LENGTH = 400
SEPARATOR = "."


class BadToken(Exception):
    """The token cannot be used; `reason` is one of the REASONS keys in views.py."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _signer(instrument) -> signing.Signer:
    salt = f"assessments:{instrument.slug}:{instrument.language}:{instrument.fingerprint}"
    return signing.Signer(salt=salt, sep=SEPARATOR)


def pack(instrument, answers: dict[str, int]) -> str:
    number = 0
    for question in reversed(instrument.questions):
        value = answers.get(question.id, 0)
        if not 0 <= value < question.radix:
            raise ValueError(f"value {value} out of range for {question.id}")
        number = number * question.radix + value
    size = _size(instrument)
    return base64.urlsafe_b64encode(number.to_bytes(size, "big")).decode().rstrip("=")


def unpack(instrument, payload: str) -> dict[str, int]:
    size = _size(instrument)
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError) as exc:
        raise BadToken("damaged") from exc
    if len(raw) != size:
        raise BadToken("damaged")
    number = int.from_bytes(raw, "big")
    answers = {}
    for question in instrument.questions:
        number, answers[question.id] = divmod(number, question.radix)
    if number:
        raise BadToken("damaged")
    return answers


def _size(instrument) -> int:
    top = prod(q.radix for q in instrument.questions) - 1
    return max(1, (top.bit_length() + 7) // 8)


def encode(instrument, answers: dict[str, int]) -> str:
    """The signed token for these answers (unanswered questions allowed)."""
    return _signer(instrument).sign(pack(instrument, answers))


def decode(instrument, token: str) -> dict[str, int]:
    """The answers in `token`, or BadToken: too long, damaged, or signed for something else."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise BadToken("too-long")
    try:
        payload = _signer(instrument).unsign(token)
    except signing.BadSignature as exc:
        raise BadToken("damaged") from exc
    return unpack(instrument, payload)


def signed_for(instrument, token: str) -> bool:
    """Whether `token` carries a valid signature for this instrument and language."""
    try:
        _signer(instrument).unsign(token)
    except signing.BadSignature:
        return False
    return True
