"""Stored HTML fragments, fitted into a printed document.

The fragments are the ones the web pages show (rendered and sanitised at load time); here
they only move: headings shift to their place in the document's outline, ids get a prefix so
two topics' "Overview" never clash, links to pages that are in the document become links
within it, and the others become absolute so the printed address is one a reader can type
(glossary links excepted).
"""

import re

_HEADING = re.compile(r"<(/?)h([1-6])\b")
_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'\bhref="([^"]*)"')
_GUIDE_LINK = re.compile(r"^/[a-z]{2}/guide/([a-z0-9-]+)/(?:([a-z0-9-]+)/)?$")
_PROPOSALS_LINK = re.compile(r"^/[a-z]{2}/project-proposals/([a-z0-9-]+)/(?:([a-z0-9-]+)/)?$")
# Glossary links stay relative (still links in the PDF, via its base URL): printing their
# address after every first use of an abbreviation would bury the text.
_GLOSSARY_LINK = re.compile(r"^/[a-z]{2}/glossary/")


def stage_anchor(stage_slug: str) -> str:
    return f"s-{stage_slug}"


def topic_anchor(stage_slug: str, topic_slug: str) -> str:
    return f"t-{stage_slug}-{topic_slug}"


def component_anchor(component_slug: str) -> str:
    return f"c-{component_slug}"


def note_anchor(component_slug: str, note_slug: str) -> str:
    return f"n-{component_slug}-{note_slug}"


def _internal_target(url: str) -> str | None:
    guide = _GUIDE_LINK.match(url)
    if guide:
        stage, topic = guide.groups()
        return topic_anchor(stage, topic) if topic else stage_anchor(stage)
    proposal = _PROPOSALS_LINK.match(url)
    if proposal:
        component, note = proposal.groups()
        return note_anchor(component, note) if note else component_anchor(component)
    return None


def fit_fragment(
    html: str, *, shift: int = 0, prefix: str = "", anchors=frozenset(), site_root: str = ""
) -> str:
    """`html` (trusted: sanitised when stored) placed inside a printed document."""

    def heading(match):
        level = min(int(match.group(2)) + shift, 6)
        return f"<{match.group(1)}h{level}"

    def href(match):
        url = match.group(1)
        if url.startswith("#"):
            return f'href="#{prefix}{url[1:]}"' if prefix else match.group(0)
        target = _internal_target(url)
        if target in anchors:
            return f'href="#{target}"'
        if url.startswith("/") and not url.startswith("//") and not _GLOSSARY_LINK.match(url):
            return f'href="{site_root}{url}"'
        return match.group(0)

    html = _HEADING.sub(heading, html or "") if shift else html or ""
    if prefix:
        html = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', html)
    return _HREF.sub(href, html)
