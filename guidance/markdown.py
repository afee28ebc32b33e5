"""Markdown → safe HTML, once, at load or admin-save time (requests never parse Markdown).

- python-markdown with tables and stable heading ids (for deep links);
- raw HTML in the source is shown as text, never interpreted;
- internal links (`/guide/plan/`) are checked and given the page's language prefix;
- the first use of each glossary abbreviation is linked to its glossary entry;
- the result is sanitised with nh3 (an allow-list), so a `<script>`, `onerror=` or
  `javascript:` URL can never reach a page.
"""

import functools
import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "abbr",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "del",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "th": {"scope"},
    "td": set(),
    "ol": {"start"},
}
# Column alignment as classes (static/css/site.css): the public CSP allows no inline style.
ALIGN_CLASSES = {"left": "align-left", "center": "align-center", "right": "align-right"}
ALLOWED_CLASSES = {"th": set(ALIGN_CLASSES.values()), "td": set(ALIGN_CLASSES.values())}
URL_SCHEMES = {"http", "https", "mailto"}
SKIP_GLOSSARY_IN = {"a", "abbr", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
ABBREVIATION_RE = re.compile(r"^[A-Z0-9][A-Za-z0-9&-]*[A-Z][A-Za-z0-9&-]*$")


def sanitise(fragment: str) -> str:
    """The one sanitiser for every HTML fragment we store (content files and the admin)."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        allowed_classes=ALLOWED_CLASSES,
    )


def plain_text(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", " ", fragment)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@dataclass
class Glossary:
    """Abbreviations to link on first use: term → (slug, expansion per language).

    `forms`: language → {that language's abbreviation: the shared English term}, e.g.
    {"es": {"IA": "AI"}}; each language's form links to the same entry as the English one.
    """

    entries: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    forms: dict[str, dict[str, str]] = field(default_factory=dict)

    def names(self, language: str | None = None) -> list[str]:
        """What to look for in a text of `language`: its own forms, else the English term."""
        local = self.forms.get(language, {}) if language else {}
        replaced = set(local.values())
        return [term for term in self.entries if term not in replaced] + list(local)

    def term_of(self, name: str, language: str | None = None) -> str:
        return (self.forms.get(language, {}) if language else {}).get(name, name)

    def pattern(self, language: str | None = None):
        if not self.entries:
            return None
        names = sorted(self.names(language), key=len, reverse=True)
        return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(s?)(?![\w-])")

    @staticmethod
    def is_abbreviation(term: str) -> bool:
        return bool(ABBREVIATION_RE.match(term))

    @classmethod
    def of_terms(cls, terms) -> "Glossary":
        """From (term, slug, {language: expansion}[, {language: abbreviation}]) tuples: the
        abbreviations among them, with each language's own form where it has one."""
        glossary = cls()
        for term, slug, expansions, *rest in terms:
            if not cls.is_abbreviation(term):
                continue
            glossary.entries[term] = (slug, expansions)
            for language, form in (rest[0] if rest else {}).items():
                if form and form != term:
                    glossary.forms.setdefault(language, {})[form] = term
        return glossary


@dataclass
class RenderContext:
    language: str
    link_targets: set[str]  # site paths without language, e.g. "/guide/plan/"
    glossary_slugs: set[str]
    glossary: Glossary | None = None
    # Abbreviations already linked on this page (shared by the fields of one page).
    seen: set[str] = field(default_factory=set)
    broken_links: list[str] = field(default_factory=list)


class LinkProcessor(Treeprocessor):
    def __init__(self, md, ctx: RenderContext):
        super().__init__(md)
        self.ctx = ctx

    def run(self, root):
        for element in root.iter("a"):
            href = element.get("href", "")
            if href.startswith("/") and not href.startswith("//"):
                path, fragment, known = internal_link(href, self.ctx)
                if not known:
                    self.ctx.broken_links.append(href)
                suffix = f"#{fragment}" if fragment else ""
                element.set("href", f"/{self.ctx.language}{path}{suffix}")


def internal_link(href: str, ctx) -> tuple[str, str, bool]:
    """A site link "/x/y#z" → ("/x/y/", "z", whether it leads to a page and anchor we have).

    `ctx`: anything with `link_targets` and `glossary_slugs` (a RenderContext).
    """
    path, _, fragment = href.partition("#")
    if not path.endswith("/"):
        path += "/"
    known = path in ctx.link_targets
    if known and path == "/glossary/" and fragment:
        known = fragment in ctx.glossary_slugs
    return path, fragment, known


class GlossaryProcessor(Treeprocessor):
    def __init__(self, md, ctx: RenderContext):
        super().__init__(md)
        self.ctx = ctx
        self.regex = ctx.glossary.pattern(ctx.language) if ctx.glossary else None

    def run(self, root):
        if self.regex:
            self._walk(root)

    def _walk(self, element):
        if element.tag in SKIP_GLOSSARY_IN:
            return
        element.text = self._link_in(element, element.text, position=0)
        for child in list(element):
            self._walk(child)
            index = list(element).index(child) + 1
            child.tail = self._link_in(element, child.tail, position=index)

    def _link_in(self, parent, text, position):
        """Link the first unseen abbreviation in `text`; insert the link at `position`."""
        if not text:
            return text
        for match in self.regex.finditer(text):
            name = match.group(1)  # as written in this language ("IA")
            term = self.ctx.glossary.term_of(name, self.ctx.language)  # the entry ("AI")
            if term in self.ctx.seen:
                continue
            self.ctx.seen.add(term)
            slug, expansions = self.ctx.glossary.entries[term]
            link = etree.Element("a", href=f"/{self.ctx.language}/glossary/#{slug}")
            abbr = etree.SubElement(link, "abbr")
            expansion = expansions.get(self.ctx.language) or expansions.get("en")
            if expansion:
                abbr.set("title", expansion)
            abbr.text = name
            link.tail = match.group(2) + text[match.end() :]
            parent.insert(position, link)
            # The rest of the text now follows the link; keep looking in it.
            link.tail = self._link_in(parent, link.tail, position + 1)
            return text[: match.start()]
        return text


class AlignmentProcessor(Treeprocessor):
    """`style="text-align: right;"` (python-markdown's tables) → `class="align-right"`."""

    def run(self, root):
        for element in root.iter():
            if element.tag in ("th", "td") and "style" in element.attrib:
                style = element.attrib.pop("style")
                match = re.search(r"text-align:\s*(left|center|right)", style)
                if match:
                    element.set("class", ALIGN_CLASSES[match.group(1)])


@functools.cache
def template_ids() -> tuple[frozenset[str], tuple[str, ...]]:
    """The ids page templates write (`main`, `why`…) and the prefixes of made ones (`cl-`).

    Read from the templates themselves, so a heading id an editor writes never repeats one.
    """
    from django.conf import settings
    from django.template.utils import get_app_template_dirs

    folders = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    folders += [Path(d) for d in get_app_template_dirs("templates")]
    fixed, prefixes = set(), set()
    for folder in folders:
        for template in folder.rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            fixed.update(re.findall(r'\bid="([A-Za-z][\w-]*)"', text))
            prefixes.update(re.findall(r'\bid="([A-Za-z][\w-]*-)\{\{', text))
    return frozenset(fixed), tuple(sorted(prefixes))


def heading_slug(value: str, separator: str) -> str:
    """A heading's id: its words, prefixed `section-` where the page template has that id."""
    slug = slugify_unicode(value, separator)
    fixed, prefixes = template_ids()
    if slug in fixed or slug.startswith(prefixes):
        slug = f"section-{slug}"
    return slug


class SiteExtension(Extension):
    def __init__(self, ctx: RenderContext, **kwargs):
        self.ctx = ctx
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # Raw HTML is shown as text: authors write Markdown, never markup.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(LinkProcessor(md, self.ctx), "site_links", 5)
        md.treeprocessors.register(GlossaryProcessor(md, self.ctx), "site_glossary", 4)
        md.treeprocessors.register(AlignmentProcessor(md), "site_alignment", 3)


def render_markdown(text: str, ctx: RenderContext) -> tuple[str, list[dict]]:
    """Rendered, sanitised HTML and the heading tokens [{level, id, name}, …]."""
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc", SiteExtension(ctx)],
        extension_configs={"toc": {"slugify": heading_slug, "toc_depth": "2-3"}},
        output_format="html",
    )
    rendered = md.convert(text or "")
    headings = [
        {"level": t["level"], "id": t["id"], "name": html.unescape(t["name"])}
        for t in _flatten(md.toc_tokens)
    ]
    return sanitise(rendered), headings


def render_inline(text: str, ctx: RenderContext) -> str:
    """One line of Markdown (a do or don't item) without the paragraph around it."""
    rendered, _ = render_markdown(text, ctx)
    rendered = rendered.strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


def _flatten(tokens):
    for token in tokens:
        yield token
        yield from _flatten(token.get("children", []))


def split_at_h2(rendered: str) -> list[str]:
    """The HTML after each `<h2>` (the heading itself dropped), in order."""
    parts = re.split(r"<h2[^>]*>.*?</h2>", rendered, flags=re.S)
    return [part.strip() for part in parts[1:]]
