"""One rule, two doors: the admin form and the content loader refuse the same case study
(a language with a title and an image needs its own text alternative), each in its words."""

from buyingguide.loading import content_load
from casestudies import rules

from .conftest import ADD_URL, case_data, png_bytes

SPANISH = {
    "title_es": "Reservas compartidas",
    "summary_es": "Tres pueblos.",
    "organisation_es": "Pueblos del valle",
}


def add_image(path, alt_en="Three town halls on a map"):
    text = path.read_text(encoding="utf-8")
    extra = "image: case-studies/map.png\n" + (f"image_alt: {alt_en}\n" if alt_en else "")
    path.write_text(text.replace("\n---\n", f"\n{extra}---\n", 1), encoding="utf-8")


def test_the_rule_itself():
    texts = {
        "en": {"title": "T", "summary": "S", "organisation": "O", "image_alt": "A map"},
        "es": {"title": "T", "summary": "S", "organisation": "O"},
        "id": {},
    }
    problems = rules.case_study_problems(texts=texts, has_image=True)
    assert problems == [rules.Problem(rules.IMAGE_WITHOUT_ALT, "image_alt", "es")]
    # No image: nothing to describe, and a description without an image is refused.
    assert rules.case_study_problems(texts=texts, has_image=False) == [
        rules.Problem(rules.ALT_WITHOUT_IMAGE, "image_alt", "en")
    ]
    # A language without a title is not a page: it needs no alternative (and has no text).
    texts["es"] = {}
    assert rules.case_study_problems(texts=texts, has_image=True) == []


def test_the_loader_refuses_a_translation_without_its_image_alt(content_tree, db):
    add_image(content_tree / "en/case-studies/open-data-portal.md")
    report = content_load(content_tree)
    messages = [str(e) for e in report.errors]
    assert len(messages) == 1, messages
    assert "es/case-studies/open-data-portal.md" in messages[0]
    assert "needs 'image_alt'" in messages[0]
    # Described in Spanish too: the same case study loads.
    spanish = content_tree / "es/case-studies/open-data-portal.md"
    add_image(spanish, alt_en="Tres ayuntamientos en un mapa")
    assert content_load(content_tree).ok


def test_the_loader_refuses_an_image_alt_without_an_image(content_tree, db):
    path = content_tree / "en/case-studies/emergency-masks.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("\n---\n", "\nimage_alt: A mask\n---\n", 1),
        encoding="utf-8",
    )
    messages = [str(e) for e in content_load(content_tree).errors]
    assert len(messages) == 1 and "has no 'image'" in messages[0], messages


def test_the_form_refuses_the_same_case_study(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = SimpleUploadedFile("map.png", png_bytes(), content_type="image/png")
    response = editor_client.post(
        ADD_URL, case_data(image=image, image_alt_en="Three town halls on a map", **SPANISH)
    )
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["image_alt_es"]
    assert errors["image_alt_es"][0].startswith("Describe the image in Español")
