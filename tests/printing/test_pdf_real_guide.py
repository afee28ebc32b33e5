"""The PDFs of the real guide: their text, language and structure, as a reader's tools see them.

The whole-guide PDF is built once per language for the module (about 2 s each) and reused.
"""

import io
import re

import pytest
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from guidance.languages import localized
from guidance.models import ChecklistItem, Stage, Topic
from printing.documents import resolve
from printing.selectors import content_state
from printing.services import get_or_build_pdf
from tests.conftest import REAL_CONTENT


def _words(text: str) -> str:
    """Extracted text with line breaks and runs of spaces as single spaces."""
    return re.sub(r"\s+", " ", text).replace("\u00ad", "")


@pytest.fixture(scope="module")
def guide_pdfs(_real_site_for_module, django_db_blocker):
    pdfs = {}
    with django_db_blocker.unblock():
        for language in ("en", "es"):
            with translation.override(language):
                built = get_or_build_pdf(resolve("guide"), language)
            reader = PdfReader(io.BytesIO(built.path.read_bytes()))
            text = _words(" ".join(page.extract_text() for page in reader.pages))
            pdfs[language] = {"built": built, "reader": reader, "text": text}
    return pdfs


def _plain(html_text: str) -> str:
    return _words(re.sub(r"<[^>]+>", "", html_text)).replace("&amp;", "&").strip()


@pytest.mark.parametrize("language", ["en", "es"])
def test_whole_guide_pdf_has_every_title_and_the_dos_and_donts_of_a_sample(
    real_site, guide_pdfs, language
):
    text = guide_pdfs[language]["text"]
    field = localized("title", language)
    stages = list(Stage.objects.order_by("order"))
    topics = list(Topic.objects.order_by("position"))
    guide = REAL_CONTENT / "en" / "guide"
    assert len(stages) == sum(1 for p in guide.iterdir() if p.is_dir()) and len(topics) > 15
    missing = [getattr(o, field) for o in stages + topics if _words(getattr(o, field)) not in text]
    assert not missing, f"titles not in the {language} PDF: {missing}"
    # The first topic of each stage: every do and don't, in the PDF's language.
    sample = [t for t in topics if t.order == min(x.order for x in topics if x.stage == t.stage)]
    items = ChecklistItem.objects.filter(topic__in=sample)
    assert items.count() >= 10
    text_field = localized("text_html", language)
    absent = [
        _plain(getattr(i, text_field)) for i in items if _plain(getattr(i, text_field)) not in text
    ]
    assert not absent, f"do/don't items not in the {language} PDF: {absent[:3]}"


def test_spanish_pdf_is_in_spanish(real_site, guide_pdfs):
    spanish, english = guide_pdfs["es"], guide_pdfs["en"]
    assert spanish["reader"].trailer["/Root"]["/Lang"] == "es"
    assert english["reader"].trailer["/Root"]["/Lang"] == "en"
    assert "Por qué es importante" in spanish["text"]
    assert "Idioma: Español" in spanish["text"]
    assert "Why it’s important" not in spanish["text"]
    assert "Why it’s important" in english["text"]
    assert "/es/guide/" in spanish["text"]  # the web page it prints


def test_first_page_states_language_version_date_and_address(real_site, guide_pdfs):
    first = _words(guide_pdfs["en"]["reader"].pages[0].extract_text())
    version, changed = content_state()
    assert "Language: English" in first
    assert f"Content version: {version}" in first
    with translation.override("en"):
        assert f"Content last changed: {date_format(changed, 'DATE_FORMAT')}" in first
    assert "Web page: http://localhost:8000/en/guide/" in first  # no SITE_URL, no request


def _struct_tags(node, found, depth=0):
    if depth > 60:
        return
    node = node.get_object()
    if isinstance(node, dict):
        if "/S" in node:
            found.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
                    _struct_tags(kid, found, depth + 1)


def test_pdf_is_tagged_with_title_outline_and_embedded_fonts(real_site, guide_pdfs):
    reader = guide_pdfs["en"]["reader"]
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    tags = set()
    _struct_tags(root["/StructTreeRoot"], tags)
    assert {"/Document", "/H1", "/H2", "/H3", "/H4", "/P", "/L", "/LI", "/Link"} <= tags, tags
    assert reader.metadata.title == "The whole guide · Digital Buying Guide"

    # Bookmarks from headings: one per stage and topic at least, nested under the title.
    def count(outline):
        return sum(count(o) if isinstance(o, list) else 1 for o in outline)

    assert count(reader.outline) > Topic.objects.count() + Stage.objects.count()
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "The whole guide" in titles
    fonts = set()
    for page in reader.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()
            descendant = descriptor.get("/DescendantFonts")
            if descendant:
                descriptor = descendant[0].get_object()
            fonts.add(any(k in descriptor["/FontDescriptor"] for k in ("/FontFile", "/FontFile2")))
    assert fonts == {True}, "every font is embedded"


def test_every_pdf_of_a_stage_checklist_and_case_study_is_served(client, real_site):
    for path in (
        "/en/pdf/stage/plan.pdf",
        "/id/pdf/stage-checklist/emergency.pdf",
        "/es/pdf/checklist.pdf",
        "/en/pdf/case-study/india-gem.pdf",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/pdf"
        data = b"".join(response.streaming_content)
        assert data.startswith(b"%PDF-")
        language = path.split("/")[1]
        assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == language
        assert f"-{language}.pdf" in response["Content-Disposition"]
