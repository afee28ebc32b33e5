"""Hostile input typed into every text field of the case-study admin is stored exactly as
typed and shown inert, but still readable, on every public page."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from casestudies.models import CaseStudy
from tests.html_checks import active_content, without_jsonld

from .conftest import ADD_URL, case_data, change_url, png_bytes

SCRIPT = '<script>alert("owned")</script>'
IMG = "<img src=x onerror=alert(1)>"
QUOTES = '" onmouseover="alert(1)" x="'
RTL = "مرحبا بالعالم \u202egnp.exe שלום"
EMOJI = "👩🏽‍💻 🇮🇩 ✅"
JS_LINKS = (
    "[click me](javascript:alert(1)) [again](JaVaScRiPt:alert(2)) "
    "<javascript:alert(3)> [data](data:text/html;base64,PHNjcmlwdD4=) "
    "[vb](vbscript:msgbox(1))"
)


def fill(text: str, length: int) -> str:
    """`text` padded with words to exactly `length` characters (a very long value)."""
    value = (text + " lorem ipsum" * length)[:length]
    return value[:-1] + "x" if value.endswith(" ") else value


HOSTILE = {
    "title_en": fill(f"{SCRIPT} {IMG} {EMOJI}", 200),
    "summary_en": fill(f"{QUOTES} {IMG} {RTL}", 600),
    "body_en": f"## {SCRIPT}\n\n{IMG} {JS_LINKS}\n\n{RTL} {EMOJI}\n\n" + "word " * 10000 + "end",
    "organisation_en": fill(f"{QUOTES}{SCRIPT}", 200),
    "quote_en": f"{SCRIPT} {RTL}",
    "quote_by_en": f"{IMG} {EMOJI}",
    "image_alt_en": f"{QUOTES} {SCRIPT}",
    "title_es": f"{RTL} {SCRIPT}",
    "summary_es": f"{IMG} {EMOJI}",
    "body_es": f"{JS_LINKS}\n\n{SCRIPT}",
    "organisation_es": f"{QUOTES} {RTL}",
    "quote_es": IMG,
    "quote_by_es": SCRIPT,
    "image_alt_es": f"{EMOJI} {QUOTES}",
}


class TextOf(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.attributes = [], []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.attributes += [value or "" for _name, value in attrs]


def text_and_attributes(html: str) -> tuple[str, str]:
    parser = TextOf()
    parser.feed(html)
    return " ".join(parser.parts), " ".join(parser.attributes)


def assert_inert(html: str, where: str):
    problems = active_content(html)
    assert not problems, f"{where}: {problems}"
    lowered = without_jsonld(html).lower()
    assert "<script" not in lowered, where
    assert "javascript:" not in " ".join(text_and_attributes(html)[1].lower().split()), where


def make_hostile_case(editor_client, media_root) -> CaseStudy:
    image = SimpleUploadedFile(f"{SCRIPT}.png", png_bytes(), content_type="image/png")
    response = editor_client.post(
        ADD_URL,
        case_data(
            **HOSTILE,
            image=image,
            status="published",
            published_on=timezone.localdate().isoformat(),
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return CaseStudy.objects.get(slug="town-booking-system")


def test_hostile_input_is_stored_as_typed(editor_client, media_root):
    case = make_hostile_case(editor_client, media_root)
    for name, typed in HOSTILE.items():
        assert getattr(case, name) == typed, name
    assert len(case.title_en) == 200 and len(case.summary_en) == 600
    # The file name was not trusted either: it is named after its verified format.
    assert case.image.name.startswith("case-studies/script") and "<" not in case.image.name


def test_hostile_input_is_inert_on_every_public_page(editor_client, media_root):
    case = make_hostile_case(editor_client, media_root)
    visitor = Client()
    pages = {
        "detail en": "/en/case-studies/town-booking-system/",
        "detail es": "/es/case-studies/town-booking-system/",
        "detail id": "/id/case-studies/town-booking-system/",
        "index en": "/en/case-studies/",
        "index es": "/es/case-studies/?country=CL",
        "topic": "/en/guide/plan/work-as-a-team/",
        "home": "/en/",
        "search": "/en/search/?q=lorem",
        "search es": "/es/search/?q=%3Cscript%3E+alert",
    }
    texts = {}
    for where, url in pages.items():
        response = visitor.get(url)
        assert response.status_code == 200, where
        html = response.content.decode()
        assert_inert(html, where)
        texts[where] = text_and_attributes(html)

    # The text itself is still there for people to read, escaped rather than removed.
    text, attributes = texts["detail en"]
    for typed in (HOSTILE["title_en"], HOSTILE["organisation_en"], HOSTILE["quote_en"]):
        assert typed in text
    assert HOSTILE["summary_en"] in text and HOSTILE["summary_en"] in attributes  # meta
    assert HOSTILE["image_alt_en"] in attributes  # the img alt attribute, quoted safely
    for piece in (SCRIPT, IMG, RTL, EMOJI, "click me"):
        assert piece in text, piece
    text_es, attributes_es = texts["detail es"]
    for name in ("title_es", "summary_es", "organisation_es", "quote_es", "quote_by_es"):
        assert HOSTILE[name] in text_es, name
    assert HOSTILE["image_alt_es"] in attributes_es
    assert HOSTILE["title_en"] in texts["detail id"][0]  # the English fallback
    assert HOSTILE["title_en"] in texts["index en"][0]
    assert HOSTILE["title_es"] in texts["index es"][0]
    assert HOSTILE["title_en"] in texts["topic"][0]
    assert "lorem" in texts["search"][0].lower()

    detail = visitor.get("/en/case-studies/town-booking-system/").content.decode()
    assert "&lt;script&gt;" in detail  # escaped, not stripped
    body = case.body_html_en
    assert_inert(body, "stored HTML")
    assert "<a>click me</a>" in body  # the link text stays, the javascript: address goes
    assert "&lt;javascript:alert(3)&gt;" in body
    assert "<img" not in body and "<script" not in body


def test_hostile_input_is_inert_in_the_feed(editor_client, media_root):
    make_hostile_case(editor_client, media_root)
    for language, title in (("en", HOSTILE["title_en"]), ("es", HOSTILE["title_es"])):
        response = Client().get(f"/{language}/case-studies/feed/")
        assert response.status_code == 200
        root = ET.fromstring(response.content)  # well-formed XML despite the input
        ns = {"atom": "http://www.w3.org/2005/Atom"}
        titles = [e.findtext("atom:title", namespaces=ns) for e in root.findall("atom:entry", ns)]
        assert title in titles
        assert b"<script" not in response.content


def test_hostile_input_is_inert_in_the_admin_too(editor_client, media_root):
    case = make_hostile_case(editor_client, media_root)
    for url in (
        "/admin/casestudies/casestudy/",
        change_url(case),
        f"/en/case-studies/{case.slug}/",  # the preview, for staff
        f"/admin/casestudies/casestudy/{case.pk}/history/",
    ):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert SCRIPT not in html and IMG not in html and QUOTES not in html, url
    change = editor_client.get(change_url(case)).content.decode()
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in change


def test_too_long_values_are_refused_with_a_message_not_an_error(editor_client):
    response = editor_client.post(ADD_URL, case_data(title_en="x" * 201, summary_en="y" * 601))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "at most 200 characters" in errors["title_en"][0]
    assert "at most 600 characters" in errors["summary_en"][0]
    html = response.content.decode()
    assert "x" * 201 in html  # still in the form, nothing lost
