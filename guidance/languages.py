"""The site's languages: declared once, in settings.LANGUAGES; everything here derives from it.

English (settings.LANGUAGE_CODE) is the source: it defines what exists, the other languages
translate it. modeltranslation names a language's field `<name>_<code>` (`title_es`), with
one exception (Indonesian is `_ind`, since `id` would clash with the primary key): always ask
`localized()`, never build the name by hand.
"""

from django.conf import settings
from modeltranslation.utils import build_localized_fieldname

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)
SOURCE_LANGUAGE: str = settings.LANGUAGE_CODE
TRANSLATION_CODES: tuple[str, ...] = tuple(c for c in LANGUAGE_CODES if c != SOURCE_LANGUAGE)


def language_name(code: str) -> str:
    """The language in its own name (`Español`), as the switcher shows it."""
    return dict(settings.LANGUAGES)[code]


def localized(name: str, language: str) -> str:
    """`body`, `id` → `body_ind`: the model field holding `name` in `language`."""
    return build_localized_fieldname(name, language)


def localized_value(obj, name: str, language: str) -> str:
    """The text of `name` in `language` on `obj`, "" when there is none."""
    return getattr(obj, localized(name, language), None) or ""
