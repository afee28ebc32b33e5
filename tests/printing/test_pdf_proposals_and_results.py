"""PDFs and the print page of the second guide (project proposals), and of a self-assessment
result, on the real content: their text, language and structure as a reader's tools see them.

The whole proposals PDF is built once per language for the module (a few seconds each).
"""

import io
import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from assessments import codec
from assessments.selectors import instrument_in
from guidance.languages import localized
from printing.documents import resolve
from printing.services import get_or_build_pdf
from proposals.models import Checklist, Component, Note
from tests.printing.test_pdf_real_guide import _struct_tags
from tests.printing.test_print_pages import _outline


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("\u00ad", "")


def _read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, _words(" ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def proposal_pdfs(_real_site_for_module, django_db_blocker):
    pdfs = {}
    with django_db_blocker.unblock():
        for language in ("en", "es"):
            with translation.override(language):
                built = get_or_build_pdf(resolve("proposals"), language)
            reader, text = _read(built.path.read_bytes())
            pdfs[language] = {"built": built, "reader": reader, "text": text}
    return pdfs


@pytest.mark.parametrize("language", ["en", "es"])
def test_proposals_pdf_has_every_component_note_and_checklist_title(
    real_site, proposal_pdfs, language
):
    text = proposal_pdfs[language]["text"]
    field = localized("title", language)
    components = list(Component.objects.all())
    notes = list(Note.objects.all())
    checklists = list(Checklist.objects.all())
    assert len(components) == 3 and len(notes) > 8 and len(checklists) > 8
    missing = [
        getattr(o, field)
        for o in components + notes + checklists
        if _words(getattr(o, field)) not in text
    ]
    assert not missing, f"titles not in the {language} PDF: {missing}"


def test_spanish_proposals_pdf_is_in_spanish(real_site, proposal_pdfs):
    spanish, english = proposal_pdfs["es"], proposal_pdfs["en"]
    assert spanish["reader"].trailer["/Root"]["/Lang"] == "es"
    assert english["reader"].trailer["/Root"]["/Lang"] == "en"
    assert "Idioma: Español" in spanish["text"] and "Language: English" in english["text"]
    for english_words in ("The need", "Recommendations", "Summary of recommendations"):
        assert english_words in english["text"]
        assert english_words not in spanish["text"]
    assert (
        "Resumen de las recomendaciones" in spanish["text"] or "Recomendaciones" in spanish["text"]
    )
    assert "/es/project-proposals/" in spanish["text"]  # the web page it prints


def test_proposals_pdf_is_tagged_with_title_and_outline(real_site, proposal_pdfs):
    reader = proposal_pdfs["en"]["reader"]
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    tags = set()
    _struct_tags(root["/StructTreeRoot"], tags)
    assert {"/Document", "/H1", "/H2", "/H3", "/H4", "/P", "/L", "/LI", "/Table"} <= tags, tags
    with translation.override("en"):
        title = resolve("proposals").title
    assert reader.metadata.title == f"{title} · Digital Buying Guide"

    def count(outline):
        return sum(count(o) if isinstance(o, list) else 1 for o in outline)

    assert count(reader.outline) > Note.objects.count() + Component.objects.count()


@pytest.mark.parametrize(
    "path",
    [
        "/en/pdf/component/work-smart.pdf",
        "/id/pdf/component-checklist/work-smart.pdf",
        "/es/pdf/proposals-checklist.pdf",
    ],
)
def test_component_and_checklist_pdfs_are_served_in_their_language(client, real_site, path):
    response = client.get(path)
    assert response.status_code == 200, path
    data = b"".join(response.streaming_content)
    reader, text = _read(data)
    language = path.split("/")[1]
    assert reader.trailer["/Root"]["/Lang"] == language
    slug = path.rsplit("/", 1)[1].removesuffix(".pdf")
    component = Component.objects.filter(slug=slug).first()
    if component is not None:
        assert _words(getattr(component, localized("title", language))) in text
        notes = component.notes.all()
        if "checklist" in path:  # a checklist holds the notes that have checklists
            notes = notes.filter(checklists__isnull=False).distinct()
        assert notes
        for note in notes:
            assert _words(getattr(note, localized("title", language))) in text


@pytest.mark.parametrize(
    "path",
    [
        "/en/pdf/component/no-such-component.pdf",
        "/en/pdf/component-checklist/think-smart/extra.pdf",
        "/en/pdf/proposals/anything.pdf",
        "/en/print/project-proposals/x/",
    ],
)
def test_unknown_proposal_pdfs_are_404(client, real_site, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("language", ["en", "es", "id"])
def test_proposals_print_page_holds_the_whole_guide_in_order(client, real_site, language):
    response = client.get(f"/{language}/print/project-proposals/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    field = localized("title", language)
    titles = [getattr(n, field) for n in Note.objects.order_by("position")]
    positions = [html.find(title) for title in titles]
    assert -1 not in positions and positions == sorted(positions)
    outline = _outline(html)
    assert outline.headings.count(1) == 1
    skips = [
        (a, b) for a, b in zip(outline.headings, outline.headings[1:], strict=False) if b > a + 1
    ]
    assert not skips, skips[:5]
    assert not {i for i in outline.ids if outline.ids.count(i) > 1}
    assert set(outline.anchors) <= set(outline.ids), "every in-page link has its target"
    assert outline.navs == ["contents"]
    # Linked from the whole guide's print page.
    assert (
        f'href="/{language}/print/project-proposals/"'
        in client.get(f"/{language}/print/").content.decode()
    )


@pytest.mark.parametrize(
    ("path", "pdf"),
    [
        ("/en/project-proposals/", "/en/pdf/proposals.pdf"),
        ("/es/project-proposals/work-smart/", "/es/pdf/component/work-smart.pdf"),
        ("/id/project-proposals/work-smart/", "/id/pdf/component-checklist/work-smart.pdf"),
        ("/en/project-proposals/checklist/", "/en/pdf/proposals-checklist.pdf"),
        (
            "/es/project-proposals/think-smart/checklist/",
            "/es/pdf/component-checklist/think-smart.pdf",
        ),
    ],
)
def test_proposal_pages_link_to_their_pdfs(client, real_site, path, pdf):
    assert f'href="{pdf}" type="application/pdf"' in client.get(path).content.decode()


def _gesi_token(language="en", value=lambda q: 1):
    instrument = instrument_in("gesi", language)
    return codec.encode(instrument, {q.id: value(q) for q in instrument.questions})


def test_a_result_pdf_carries_the_score_and_every_answer(client, real_site):
    token = _gesi_token()
    page = client.get(f"/en/assessments/gesi/result/{token}/").content.decode()
    pdf_path = f"/en/pdf/result/gesi/{token}.pdf"
    assert f'href="{pdf_path}" type="application/pdf"' in page
    overall = re.search(r"Overall score: (\d+) out of 100", page).group(1)
    response = client.get(pdf_path)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"] and response["ETag"]
    reader, text = _read(b"".join(response.streaming_content))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert f"Overall score: {overall} out of 100" in text
    instrument = instrument_in("gesi", "en")
    for question in instrument.questions:
        assert _words(question.text)[:60] in text, question.text
    assert (
        "Your answers" in text and "Web page: http://testserver/en/assessments/gesi/result/" in text
    )
    # Asked again with its ETag: a 304, without building it again.
    again = client.get(pdf_path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_result_pdfs_are_never_stored(client, real_site, settings):
    client.get(f"/en/pdf/result/gesi/{_gesi_token()}.pdf")
    stored = list(settings.PDF_ROOT.rglob("*.pdf")) if settings.PDF_ROOT.exists() else []
    assert stored == []  # the result page promises nothing answered is kept


def test_other_answers_make_another_result_pdf(client, real_site):
    low = client.get(f"/en/pdf/result/gesi/{_gesi_token()}.pdf")
    high = client.get(f"/en/pdf/result/gesi/{_gesi_token(value=lambda q: q.radix - 1)}.pdf")
    assert low["ETag"] != high["ETag"]
    _, low_text = _read(b"".join(low.streaming_content))
    _, high_text = _read(b"".join(high.streaming_content))
    assert re.search(r"Overall score: (\d+)", low_text).group(1) != re.search(
        r"Overall score: (\d+)", high_text
    ).group(1)


def test_spanish_result_pdf_is_in_spanish(client, real_site):
    token = _gesi_token("es")
    response = client.get(f"/es/pdf/result/gesi/{token}.pdf")
    reader, text = _read(b"".join(response.streaming_content))
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert "Puntuación total" in text and "Sus respuestas" in text
    assert "Your answers" not in text and "Overall score" not in text


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: "A" + t[1:] if not t.startswith("A") else "B" + t[1:],  # answers changed
        lambda t: t.split(".")[0],  # no signature
        lambda t: "x" * 500,  # far too long
        lambda t: "%3Cscript%3E",
        lambda t: "..%2F..%2Fetc",
    ],
)
def test_a_tampered_result_token_is_a_404(client, real_site, tamper):
    token = tamper(_gesi_token())
    assert client.get(f"/en/pdf/result/gesi/{token}.pdf").status_code == 404


def test_unfinished_answers_other_languages_and_unknown_instruments_are_404(client, real_site):
    instrument = instrument_in("gesi", "en")
    unfinished = codec.encode(instrument, {instrument.questions[0].id: 1})
    assert client.get(f"/en/pdf/result/gesi/{unfinished}.pdf").status_code == 404
    assert client.get(f"/es/pdf/result/gesi/{_gesi_token()}.pdf").status_code == 404
    assert client.get(f"/en/pdf/result/emergency/{_gesi_token()}.pdf").status_code == 404
    assert client.get(f"/en/pdf/result/nothing/{_gesi_token()}.pdf").status_code == 404
    assert client.get("/en/pdf/result/gesi.pdf").status_code == 404


def test_a_component_without_checklists_has_no_checklist_pdf(client, real_site):
    assert client.get("/en/pdf/component-checklist/measure-smart.pdf").status_code == 404
    page = client.get("/en/project-proposals/measure-smart/").content.decode()
    assert "/pdf/component-checklist/" not in page
    assert 'href="/en/pdf/component/measure-smart.pdf"' in page


def test_a_content_change_makes_new_proposal_and_result_pdfs(
    client, real_site, django_capture_on_commit_callbacks
):
    from guidance.version import content_version_bump

    path = "/en/pdf/component-checklist/think-smart.pdf"
    old = client.get(path)
    result_path = f"/en/pdf/result/gesi/{_gesi_token()}.pdf"
    old_result = client.get(result_path)
    assert "Ask the smart questions" in _read(b"".join(old.streaming_content))[1]
    with django_capture_on_commit_callbacks(execute=True):
        Note.objects.filter(slug="ask-the-smart-questions").update(title_en="Ask the right things")
        content_version_bump()
    new = client.get(path, HTTP_IF_NONE_MATCH=old["ETag"])
    assert new.status_code == 200 and new["ETag"] != old["ETag"]
    text = _read(b"".join(new.streaming_content))[1]
    assert "Ask the right things" in text and "Ask the smart questions" not in text
    # A result points to guidance by title: its PDF follows the content too.
    again = client.get(result_path, HTTP_IF_NONE_MATCH=old_result["ETag"])
    assert again.status_code == 200 and again["ETag"] != old_result["ETag"]


def test_build_pdfs_lists_the_second_guide_but_no_results(real_site):
    from printing.documents import all_documents

    with translation.override("en"):
        listed = {(d.kind, d.key) for d in all_documents()}
    assert {
        ("proposals", ""),
        ("proposals-checklist", ""),
        ("component", "think-smart"),
        ("component", "work-smart"),
        ("component", "measure-smart"),
        ("component-checklist", "think-smart"),
        ("component-checklist", "work-smart"),
    } <= listed
    assert ("component-checklist", "measure-smart") not in listed
    assert not [kind for kind, _key in listed if kind == "result"]
