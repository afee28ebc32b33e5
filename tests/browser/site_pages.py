"""Which pages the browser tests visit, and small helpers shared by them.

Tests are parametrized at collection time, before the session server exists, so the list of
sitemap pages is derived here from the content files (the same files the server loads).
`test_sitemap_lists_exactly_the_pages_we_check` then fetches /sitemap.xml from the running
server and fails, naming the pages, if the two lists ever differ, so no page in the sitemap can
go unchecked.
"""

import re
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
LANGUAGES = ("en", "es", "id")

_SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    return (yaml.safe_load(match.group(1)) or {}) if match else {}


def _stage_dirs():
    stages = []
    for stage_file in (CONTENT / "en" / "guide").glob("*/_stage.md"):
        stages.append((_front_matter(stage_file).get("order", 0), stage_file.parent))
    return [path for _, path in sorted(stages)]


def _proposal_paths(lang: str) -> list[str]:
    """The project-proposals guide: its fixed pages, each component, its checklist, its notes."""
    root = CONTENT / "en" / "proposals"
    if not (root / "_index.md").exists():
        return []
    base = f"/{lang}/project-proposals/"
    paths = [base, f"{base}summary-of-recommendations/", f"{base}checklist/"]
    if (root / "critical-success-factors.md").exists():
        paths.append(f"{base}critical-success-factors/")
    components = sorted(
        (_front_matter(p).get("order", 0), p.parent) for p in root.glob("*/_component.md")
    )
    for _, folder in components:
        paths.append(f"{base}{folder.name}/")
        if any(_front_matter(p).get("checklists") for p in folder.glob("*.md")):
            paths.append(f"{base}{folder.name}/checklist/")
        notes = sorted(
            (_front_matter(p).get("order", 0), p.stem)
            for p in folder.glob("*.md")
            if p.name != "_component.md"
        )
        paths += [f"{base}{folder.name}/{slug}/" for _, slug in notes]
    return paths


def sitemap_paths_for(lang: str) -> list[str]:
    """The language-relative paths the sitemap lists for one language (from content/en)."""
    paths = [
        f"/{lang}/",
        f"/{lang}/about/",
        f"/{lang}/accessibility/",
        f"/{lang}/glossary/",
        f"/{lang}/case-studies/",
        f"/{lang}/guide/checklist/",
        f"/{lang}/developers/",
        f"/{lang}/resources/",
        f"/{lang}/whats-new/",
    ]
    for stage_dir in _stage_dirs():
        stage = stage_dir.name
        paths += [f"/{lang}/guide/{stage}/", f"/{lang}/guide/{stage}/checklist/"]
        topics = sorted(
            (_front_matter(p).get("order", 0), p.stem)
            for p in stage_dir.glob("*.md")
            if p.name != "_stage.md"
        )
        paths += [f"/{lang}/guide/{stage}/{slug}/" for _, slug in topics]
    paths += _proposal_paths(lang)
    for case in sorted((CONTENT / "en" / "case-studies").glob("*.md")):
        if str(_front_matter(case).get("status", "published")).strip() != "draft":
            paths.append(f"/{lang}/case-studies/{case.stem}/")
    paths.append(f"/{lang}/assessments/")
    paths += [f"/{lang}/assessments/{slug}/" for slug in assessment_slugs()]
    return paths


def assessment_slugs() -> list[str]:
    """The self-assessments, in their order (content/en/assessments/)."""
    found = [
        (_front_matter(p).get("order", 0), p.stem)
        for p in (CONTENT / "en" / "assessments").glob("*.md")
    ]
    return [slug for _, slug in sorted(found)]


SITEMAP_PATHS = [path for lang in LANGUAGES for path in sitemap_paths_for(lang)]

# Pages that the sitemap does not list but visitors reach: states of the index and search,
# the guide's table of contents, and the error page.
EXTRA_PATHS = [
    "/en/guide/",
    "/es/guide/",
    "/id/guide/",
    "/en/case-studies/?theme=e-procurement",
    "/en/case-studies/?page=2",
    "/es/case-studies/?stage=plan&theme=e-procurement&page=1",
    "/id/case-studies/?country=ZZ",  # an unknown country: the "no case studies match" state
    "/id/case-studies/?note=think-smart/ask-the-smart-questions",  # the second guide's filter
    "/es/search/?q=proveedores",
    "/id/search/?q=pemasok",
    "/en/search/?q=zzzzqqq",
    "/en/search/?q=+",  # blank query: the "type a word or two" hint
    "/id/guide/plan/checklist/",
    # Print views (printing app): the whole guide in each language, and single stages.
    "/en/print/",
    "/es/print/",
    "/id/print/",
    "/en/print/plan/",
    "/es/print/emergency/",
    "/en/print/project-proposals/",  # the second guide, whole
    "/es/print/project-proposals/",
    "/id/print/project-proposals/",
    "/en/resources/?type=standard&topic=plan/buy-accessible-ict",
    "/es/resources/?type=course&region=africa",  # no resource matches: the empty state
    "/en/no-such-page/",
    "/es/no-existe/",
    # Page feedback (feedback app): the thank-you page, and the page a GET of the endpoint gets.
    "/en/feedback/thanks/",
    "/id/feedback/thanks/?back=/guide/",
    "/es/feedback/",
]

ADMIN_PATHS = [
    "/admin/login/",
    "/admin/casestudies/casestudy/add/",
    "/admin/resources/resource/add/",
    "/admin/casestudies/casestudyrevision/",
    "/admin/translating/translationstatus/",
]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def sitemap_urls(base_url: str) -> set[str]:
    """Every <loc> and xhtml:link href in /sitemap.xml, rewritten to the test server's host."""
    status, body = fetch(base_url + "/sitemap.xml")
    assert status == 200, f"/sitemap.xml answered {status}"
    tree = ET.fromstring(body)
    found = {el.text.strip() for el in tree.iterfind(".//sm:loc", _SITEMAP_NS)}
    found |= {el.get("href") for el in tree.iterfind(".//xhtml:link", _SITEMAP_NS)}
    rewritten = set()
    for url in found:
        parts = urlsplit(url)
        rewritten.add(base_url + parts.path + (f"?{parts.query}" if parts.query else ""))
    return rewritten


def lang_of(path: str) -> str | None:
    first = path.strip("/").split("/", 1)[0]
    return first if first in LANGUAGES else None


def page_id(path: str) -> str:
    return path.strip("/") or "root"


# WCAG 3.1.2 language of parts: every lang attribute, and where text differs from the page.
LANGUAGE_PARTS = """
const page = document.documentElement.getAttribute('lang');
const describe = el => `<${el.tagName.toLowerCase()} lang="${el.getAttribute('lang')}">`
  + ` "${el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 50)}"`;
const notice = document.querySelector('.fallback-notice');
const h1 = document.querySelector('main h1');
const out = {page, invalid: [], foreign: [], notice: !!notice,
             noticeLang: notice ? notice.closest('[lang]').getAttribute('lang') : null,
             h1Lang: h1 ? h1.closest('[lang]').getAttribute('lang') : null};
for (const el of document.querySelectorAll('[lang]')) {
  const value = el.getAttribute('lang');
  // A link in the language of the page it leads to (hreflang) names that page in its own
  // language: the language switchers, and resources' own titles in the library.
  const ownName = el.matches('a[hreflang]') && el.getAttribute('hreflang') === value;
  if (!arguments[0].includes(value) && !ownName) out.invalid.push(describe(el));
  if (el === document.documentElement || value === page) continue;
  if (ownName) continue;
  if (!el.textContent.trim()) continue;
  // The page the passage stands for: its own link, or the link of the list item it is in.
  const link = el.closest('a[href]') || el.querySelector('a[href]')
    || el.closest('li')?.querySelector('a[href]');
  out.foreign.push({lang: value, what: describe(el), link: link ? link.href : null});
}
return out;
"""


def language_problems(driver, expected_lang: str | None) -> list[str]:
    """WCAG 3.1.1 and 3.1.2 on the loaded page, as a list of problems (empty when fine).

    - <html lang> is the language in the address (3.1.1);
    - every lang attribute is one of the site's languages (valid BCP 47, and true);
    - a passage in another language than the page's is English shown as a fallback: either
      the page says so with its fallback notice (in the page's language, with the English
      heading marked lang="en"), or the passage is a link or list item naming a page that
      itself shows the fallback notice (a case study card, a topic in a list, the pager).
    """
    info = driver.execute_script(LANGUAGE_PARTS, list(LANGUAGES))
    problems = []
    if expected_lang and info["page"] != expected_lang:
        problems.append(
            f'<html lang="{info["page"]}"> on a page whose address says '
            f'"{expected_lang}" (WCAG 3.1.1)'
        )
    problems += [f"{what}: not a language of this site (WCAG 3.1.2)" for what in info["invalid"]]
    if info["notice"]:
        if info["noticeLang"] != info["page"]:
            problems.append("the fallback notice is not in the page's language")
        if info["h1Lang"] != "en":
            problems.append(
                "the page shows the English fallback notice but its heading is not "
                'marked lang="en" (WCAG 3.1.2)'
            )
    linked_cache = {}
    for part in info["foreign"]:
        if part["lang"] != "en" or info["page"] == "en":
            problems.append(
                f"{part['what']} on a {info['page']} page: only English fallback "
                "text should be in another language"
            )
        elif info["notice"]:
            continue
        elif not part["link"]:
            problems.append(f"{part['what']}: English text on a page with no fallback notice")
        else:
            if part["link"] not in linked_cache:
                linked_cache[part["link"]] = "fallback-notice" in fetch(part["link"])[1]
            if not linked_cache[part["link"]]:
                problems.append(
                    f"{part['what']} is marked English, but the page it links to "
                    f"({part['link']}) is translated"
                )
    return problems
