import shutil
from pathlib import Path

import pytest
from django.core.cache import cache

from buyingguide.loading import content_load

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
REAL_CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the page cache and the content version)."""
    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture
def real_site(db):
    """The real guide (content/) loaded into the test database."""
    report = content_load(REAL_CONTENT)
    assert report.ok, [str(e) for e in report.errors]
    return report


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
