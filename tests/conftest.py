import datetime
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.cache import cache
from django.db import transaction

from buyingguide.loading import content_load
from buyingguide.middleware import clear_local_page_caches
from guidance import memo

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
REAL_CONTENT = Path(__file__).resolve().parent.parent / "content"


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].lstrip("-\n"))


def declare_change(path: Path, date="2024-06-01", note=None) -> None:
    """Add a `changes:` entry to a content file's front matter (a minor one without `note`),
    as a writer does with every change of English text (docs/content.md)."""
    entry = f"  - date: {date}\n" + (f"    note: {note}\n" if note else "    minor: true\n")
    text = path.read_text(encoding="utf-8")
    if "\nchanges:\n" in text:
        text = text.replace("\nchanges:\n", "\nchanges:\n" + entry, 1)
    else:
        text = text.replace("\n---\n", "\nchanges:\n" + entry + "---\n", 1)
    path.write_text(text, encoding="utf-8")


def real_content_counts() -> dict:
    """What content/ holds, counted from the English files themselves, so that adding a
    topic or a case study breaks no test: "topics" per stage, "case_studies" (all),
    "published" (live today), "glossary" terms."""
    english = REAL_CONTENT / "en"
    stages = [path for path in (english / "guide").iterdir() if path.is_dir()]
    cases = [_front_matter(path) for path in (english / "case-studies").glob("*.md")]
    today = datetime.date.today()
    return {
        "topics": {
            stage.name: sum(1 for p in stage.glob("*.md") if not p.name.startswith("_"))
            for stage in stages
        },
        "case_studies": len(cases),
        "published": sum(
            1
            for meta in cases
            if meta.get("status", "published") == "published"
            # No date (the source gives none): live as soon as it is published.
            and (
                not meta.get("published")
                or datetime.date.fromisoformat(str(meta["published"])) <= today
            )
        ),
        "glossary": len(_front_matter(english / "glossary.md")["terms"]),
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the page cache, the content version and the
    per-content memos: a rolled-back test database repeats its content key)."""
    cache.clear()
    clear_local_page_caches()
    memo.clear()
    yield
    cache.clear()
    clear_local_page_caches()
    memo.clear()


@pytest.fixture
def content_tree(tmp_path):
    """A writable copy of the small fixture content tree."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


@pytest.fixture
def fixture_site(db):
    """The fixture guide loaded into the test database."""
    report = content_load(FIXTURE_CONTENT)
    assert report.ok, [str(e) for e in report.errors]
    return report


@pytest.fixture(scope="module")
def _real_site_for_module(django_db_setup, django_db_blocker):
    """Load the real guide once per test module, inside a transaction rolled back after it.

    Each test then runs in its own savepoint (pytest-django's `db`), so tests can still
    change things freely without seeing each other's changes.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        report = content_load(REAL_CONTENT)
        assert report.ok, [str(e) for e in report.errors]
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def real_site(_real_site_for_module, db):
    """The real guide (content/) loaded into the test database."""
    return _real_site_for_module


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
