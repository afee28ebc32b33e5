"""Parse rendered HTML and list anything active that hostile input could have injected."""

import json
import re
from html.parser import HTMLParser

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "form", "svg", "math"}


class _ActiveFinder(HTMLParser):
    def __init__(self, allowed_scripts):
        super().__init__()
        self.problems = []
        self.allowed_scripts = allowed_scripts

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag in DANGEROUS_TAGS
            and not (tag == "script" and attrs.get("src") in self.allowed_scripts)
            and tag != "form"
        ):
            self.problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action", "formaction"} and value:
                lowered = value.strip().lower()
                if lowered.startswith(("javascript:", "data:text", "vbscript:")):
                    self.problems.append(f"<{tag} {name}={value[:30]}>")


_JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def without_jsonld(html: str) -> str:
    """The page without its schema.org data block (never executed; CSP allows it), after
    checking that the block is one JSON value with no markup in it."""
    for block in _JSONLD.findall(html):
        assert "<" not in block, "markup inside the JSON-LD block"
        json.loads(block)
    return _JSONLD.sub("", html)


def active_content(html: str, allowed_scripts=()) -> list[str]:
    html = without_jsonld(html)
    finder = _ActiveFinder(set(allowed_scripts))
    finder.feed(html)
    return finder.problems
