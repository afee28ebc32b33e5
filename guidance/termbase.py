"""Termbases: one chosen translation per English term, and the variants that are not used.

`content/<lang>/termbase.md` (Spanish and Indonesian) lists, for each English term, the
translation the guide uses and the forbidden variants. `termbase_problems` finds every
forbidden variant in that language's content files, with file and line;
`translation_status --strict` fails on any. A glossary entry's `abbreviation` (IA for AI)
counts as an entry too: its English form is a forbidden variant in that language's text.
See docs/translating.md.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from .content import ContentError, ContentFile, split_front_matter

TERMBASE = "termbase.md"
# Not checked: a glossary `term:` (the shared English key), and quoted or italic spans and
# link targets, where titles and names keep their own words ("AI Procurement in a Box").
SHARED_KEY_RE = re.compile(r"^\s*-?\s*term:")
QUOTED_RE = re.compile(r'"[^"\n]*"|“[^”\n]*”|\*[^*\n]+\*|\]\([^)]*\)')


@dataclass
class Term:
    english: str
    use: str
    avoid: list[str]
    line: int | None = None


def _variant_pattern(variant: str) -> re.Pattern:
    # An acronym ("AI") matches only in capitals, so it never catches an ordinary word.
    flags = 0 if variant.isupper() else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + re.escape(variant) + r"(?![\w-])", flags)


def termbase_read(root: Path, language: str) -> tuple[list[Term], list[ContentError]]:
    """The language's termbase (empty when it has none) and any problems with the file."""
    path = Path(root) / language / TERMBASE
    if not path.exists():
        return [], []
    rel = f"{language}/{TERMBASE}"
    cf = ContentFile(path, rel, language, TERMBASE, path.read_text(encoding="utf-8"))
    problem = split_front_matter(cf)
    if problem:
        return [], [problem]
    terms, errors = [], []
    entries = cf.meta.get("terms")
    if not isinstance(entries, list):
        return [], [cf.error("the field 'terms' must be a list of entries", needle="terms")]
    for entry in entries:
        english = str((entry or {}).get("en") or "").strip() if isinstance(entry, dict) else ""
        use = str(entry.get("use") or "").strip() if english else ""
        avoid = entry.get("avoid") if english else None
        if not english or not use or not isinstance(avoid, list) or not avoid:
            errors.append(
                cf.error(
                    "every termbase entry needs 'en' (the English term), 'use' (the chosen "
                    "translation) and 'avoid' (a list of forbidden variants)",
                    needle=f"en: {english}" if english else None,
                )
            )
            continue
        avoid = [str(v).strip() for v in avoid if str(v).strip()]
        clash = [v for v in avoid if _variant_pattern(v).search(use)]
        if clash:
            errors.append(
                cf.error(
                    f"'{english}': the chosen translation '{use}' contains the forbidden "
                    f"variant '{clash[0]}'",
                    needle=f"en: {english}",
                )
            )
            continue
        terms.append(Term(english, use, avoid, cf.line_of(f"en: {english}")))
    return terms, errors


def glossary_terms(root: Path, language: str) -> list[Term]:
    """The glossary's own abbreviations (`abbreviation: IA` for `term: AI`) as terms: where
    a language has its own form, the English abbreviation is not used in its text."""
    path = Path(root) / language / "glossary.md"
    if not path.exists():
        return []
    cf = ContentFile(
        path, f"{language}/glossary.md", language, "glossary.md", path.read_text("utf-8")
    )
    if split_front_matter(cf) or not isinstance(cf.meta.get("terms"), list):
        return []  # the loader reports a broken glossary
    terms = []
    for entry in cf.meta["terms"]:
        if isinstance(entry, dict) and entry.get("abbreviation") and entry.get("term"):
            english, form = str(entry["term"]).strip(), str(entry["abbreviation"]).strip()
            line = cf.line_of(f"term: {english}")
            terms.append(Term(english, form, [english, f"{english}s"], line))
    return terms


# Numbers written the English way (142,000) in a translation: Spanish groups thousands with
# a non-breaking space (142 000), Indonesian with a point (142.000); docs/translating.md.
ENGLISH_THOUSANDS_RE = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?!\d|,\d|\.\d)")
NUMBER_STYLE = {"es": "142\u00a0000 (a non-breaking space)", "id": "142.000"}


def termbase_problems(root: Path, language: str) -> list[ContentError]:
    """Every forbidden variant in the language's content files, and termbase file errors."""
    terms, problems = termbase_read(root, language)
    terms += glossary_terms(root, language)
    patterns = [(term, _variant_pattern(v), v.lower()) for term in terms for v in term.avoid]
    folder = Path(root) / language
    numbers = language in NUMBER_STYLE
    for path in sorted(folder.rglob("*.md")) if patterns or numbers else ():
        rel = path.relative_to(Path(root)).as_posix()
        if path.name == TERMBASE:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SHARED_KEY_RE.match(line):
                continue
            line = QUOTED_RE.sub(lambda m: " " * len(m.group(0)), line)
            for found in ENGLISH_THOUSANDS_RE.finditer(line) if numbers else ():
                problems.append(
                    ContentError(
                        rel,
                        f"'{found.group(0)}' is written the English way: write thousands as "
                        f"{NUMBER_STYLE[language]}",
                        number,
                    )
                )
            lower = line.lower()
            # A plain substring test first: the regex runs only where the variant appears.
            for term, pattern, variant in patterns:
                found = variant in lower and pattern.search(line)
                if found:
                    problems.append(
                        ContentError(
                            rel,
                            f"'{found.group(0)}' is not used for '{term.english}': write "
                            f"'{term.use}' (see {language}/{TERMBASE} and the glossary)",
                            number,
                        )
                    )
    return problems
