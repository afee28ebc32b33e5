"""Building what the API and the export publish; both call these, so they always agree."""

import json

from django.utils import translation

from .kinds import KINDS
from .kinds.base import Kind

LICENCE_NAME = "CC BY-NC-SA 3.0 IGO"
LICENCE_URL = "https://creativecommons.org/licenses/by-nc-sa/3.0/igo/"


def serialize(*, kind: Kind, objects, language: str, base_url: str) -> list[dict]:
    context = {"language": language, "base_url": base_url}
    with translation.override(language):
        return list(kind.serializer(objects, many=True, context=context).data)


def all_items(*, kind: Kind, language: str, base_url: str) -> list[dict]:
    """Every published item of a kind, in the API's list order."""
    return serialize(kind=kind, objects=kind.queryset(), language=language, base_url=base_url)


def dumps(data, *, pretty: bool = False) -> bytes:
    if pretty:
        return json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n"
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def kinds() -> list[Kind]:
    return list(KINDS)
