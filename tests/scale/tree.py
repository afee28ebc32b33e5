"""A content tree with N extra case studies in three languages, for load and search at scale.

    scaled_content_tree(dest, 1000)   # content/ copied to dest, plus 1,000 case studies

Each generated case study is a copy of one of the real ones (every language it has), with
its own slug and a numbered title, so the loader parses, renders and indexes realistic
text. Used by the query-count tests (tests/scale/) and `bench/load.py`.
"""

import re
import shutil
from pathlib import Path

REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"
PREFIX = "scale-case-"
TITLE = re.compile(r"^title: (.*)$", re.MULTILINE)


def scaled_slug(n: int) -> str:
    return f"{PREFIX}{n:05d}"


def scaled_content_tree(
    dest: Path, count: int, *, source: Path = REAL_CONTENT, edited: int = 0
) -> Path:
    """Copy `source` to `dest` and add `count` case studies; returns `dest`.

    `edited`: the first `edited` of them get a changed title (an edit to reload).
    """
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    templates = sorted(p.stem for p in (source / "en" / "case-studies").glob("*.md"))
    languages = sorted(p.name for p in source.iterdir() if (p / "case-studies").is_dir())
    texts = {
        (language, slug): (source / language / "case-studies" / f"{slug}.md").read_text("utf-8")
        for language in languages
        for slug in templates
        if (source / language / "case-studies" / f"{slug}.md").is_file()
    }
    for n in range(1, count + 1):
        template = templates[n % len(templates)]
        for language in languages:
            text = texts.get((language, template))
            if text is None:
                continue
            label = f"{n}, revised" if n <= edited else str(n)
            text = TITLE.sub(lambda m, label=label: f"title: {_numbered(m.group(1), label)}", text,
                             count=1)  # fmt: skip
            target = dest / language / "case-studies" / f"{scaled_slug(n)}.md"
            target.write_text(text, encoding="utf-8")
    return dest


def _numbered(title: str, n: str) -> str:
    quoted = title[:1] in "\"'" and title[-1:] == title[:1]
    if quoted:
        return f"{title[:-1]} ({n}){title[-1]}"
    return f"{title} ({n})"
