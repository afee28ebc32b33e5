"""Find text in templates that is not marked for translation.

A visitor reading Spanish should never meet an English word the translators were never given.
Every visible text of the project's templates — text between tags and the attributes people
read or hear (alt, title, aria-label, placeholder, value of a button) — must come from a
translation tag or a variable. This module finds the ones that don't: Django's own lexer splits
the template, each tag and variable becomes a placeholder, and Python's HTML parser reads what
is left.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

# Blocks whose inside is translated as a whole, or never shown.
SKIPPED_BLOCKS = {"blocktranslate", "blocktrans", "comment", "verbatim"}
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}
# A tag or variable becomes a space: it may sit inside an HTML start tag (<li{% if … %}).
PLACEHOLDER = " "
# Code is written as the machine reads it, in every language.
HIDDEN_ELEMENTS = ("script", "style", "code", "pre", "kbd", "samp")
WORD_RE = re.compile(r"[^\W\d_]{2,}")  # two letters or more: a word someone reads
# Marked on purpose as not translated: a brand or code name, the same in every language.
NOT_TRANSLATED = {"Atom", "CSV", "JSON", "PDF", "API", "OpenAPI", "U4SSC", "GitHub", "ZIP"}


@dataclass
class Unmarked:
    path: str
    line: int
    text: str

    def __str__(self):
        return f"{self.path}:{self.line}: “{self.text}” is not marked for translation"


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._hidden = 0  # inside one of HIDDEN_ELEMENTS

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self._hidden += 1
        is_button = tag == "input" and dict(attrs).get("type") in ("submit", "button", "reset")
        for name, value in attrs:
            if value and (name in READ_ATTRIBUTES or (is_button and name == "value")):
                self._check(value)

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self._check(data)

    def _check(self, text):
        if any(word not in NOT_TRANSLATED for word in WORD_RE.findall(text)):
            self.found.append((self.getpos()[0], " ".join(text.split())))


def unmarked_in_template(source: str) -> list[tuple[int, str]]:
    """(line, text) of each visible text in `source` that is not a translation or variable."""
    parts, skipping = [], None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            words = token.contents.split()
            name = words[0] if words else ""
            if skipping is None and (name in SKIPPED_BLOCKS or words == ["block", "bodyclass"]):
                skipping = "block" if name == "block" else name
            elif skipping and name == f"end{skipping}":
                skipping = None
        if token.token_type == TokenType.TEXT and skipping is None:
            parts.append(token.contents)
            continue
        # A tag name made by a variable (<{{ hl }} …>) stays a tag name.
        placeholder = "x-tag" if parts and parts[-1].endswith(("<", "</")) else PLACEHOLDER
        # Keep the line count: the placeholder carries the token's newlines.
        parts.append(placeholder + "\n" * token.contents.count("\n"))
    reader = _Reader()
    reader.feed("".join(parts))
    reader.close()
    return reader.found


def project_templates(base: Path) -> list[Path]:
    """The project's own HTML templates (templates/ and each app's templates/)."""
    base = Path(base)
    skip = {".venv", "node_modules", ".git", "staticfiles"}
    return sorted(
        path
        for path in base.rglob("templates/**/*.html")
        if not skip & set(path.relative_to(base).parts)
    )


def unmarked_template_strings(*, base: Path, paths=None) -> list[Unmarked]:
    found = []
    for path in paths if paths is not None else project_templates(base):
        rel = path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
        for line, text in unmarked_in_template(path.read_text(encoding="utf-8")):
            found.append(Unmarked(rel, line, text))
    return found
