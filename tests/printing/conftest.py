import pytest


@pytest.fixture(autouse=True)
def _own_pdf_root(settings, tmp_path):
    """Each test builds into its own directory (content versions repeat between tests)."""
    settings.PDF_ROOT = tmp_path / "pdf"
