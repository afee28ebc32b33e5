"""Markdown is rendered once at load time and sanitised: hostile input never reaches a page."""

import pytest
from django.core.management import call_command

from guidance.markdown import Glossary, RenderContext, render_markdown, sanitise
from guidance.models import Stage, Topic
from tests.conftest import write
from tests.html_checks import active_content

HOSTILE_BODY = """## Why it's important

<script>alert('x')</script> and <img src=x onerror="alert(1)"> inline.

[click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)

<iframe src="https://evil.example"></iframe>

## What it means

<a href="#" onclick="steal()">link</a> <style>body{display:none}</style>
"""


def test_hostile_markdown_is_inert_after_loading(content_tree, db, client):
    path = content_tree / "en/guide/plan/define-outcomes.md"
    text = path.read_text()
    head = text.split("## Why", 1)[0]
    path.write_text(
        head.replace("title: Define outcomes", 'title: "Define <script>alert(2)</script> outcomes"')
        + HOSTILE_BODY
    )
    call_command("load_content", str(content_tree))
    html = client.get("/en/guide/plan/define-outcomes/").content.decode()
    assert active_content(html) == []
    # The author's text is still there, shown as text rather than interpreted.
    assert "&lt;script&gt;alert('x')&lt;/script&gt; and &lt;img src=x" in html
    assert "Define &lt;script&gt;alert(2)&lt;/script&gt; outcomes" in html


def test_headings_get_stable_ids_and_appear_in_on_this_page(fixture_site, client):
    topic = Topic.objects.get(slug="work-as-a-team")
    assert [h["id"] for h in topic.subheadings] == ["who-to-involve", "when"]
    html = client.get("/en/guide/plan/work-as-a-team/").content.decode()
    assert '<h3 id="who-to-involve">Who to involve</h3>' in html
    assert '<a href="#who-to-involve">Who to involve</a>' in html


def test_internal_links_get_the_language_prefix(fixture_site):
    stage = Stage.objects.get(slug="plan")
    assert 'href="/en/guide/plan/work-as-a-team/"' in stage.body_html_en
    assert 'href="/es/guide/plan/work-as-a-team/"' in stage.body_html_es


def test_first_use_of_a_glossary_abbreviation_is_linked_once_per_page(fixture_site):
    topic = Topic.objects.get(slug="work-as-a-team")
    html = topic.why_html_en + topic.what_html_en
    assert html.count('href="/en/glossary/#ocds"') == 1
    assert '<abbr title="Open Contracting Data Standard">OCDS</abbr>' in html


def test_tables_are_rendered():
    ctx = RenderContext("en", set(), set())
    html, _ = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n", ctx)
    assert "<table>" in html and "<th>a</th>" in html


@pytest.mark.parametrize(
    "fragment",
    [
        '<a href="javascript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        '<p style="color:red" onclick="x()">x</p>',
    ],
)
def test_sanitise_removes_active_content(fragment):
    clean = sanitise(fragment)
    assert "javascript:" not in clean and "onerror" not in clean
    assert "<script" not in clean and "onclick" not in clean


def test_abbreviation_is_not_linked_inside_a_link_or_heading():
    glossary = Glossary({"SME": ("sme", {"en": "Small and medium-sized enterprise"})})
    ctx = RenderContext("en", {"/guide/plan/"}, {"sme"}, glossary)
    html, _ = render_markdown("## SME rules\n\n[SME guide](/guide/plan/) then SMEs win.", ctx)
    assert '<h2 id="sme-rules">SME rules</h2>' in html
    assert '<a href="/en/guide/plan/">SME guide</a>' in html
    abbr = '<abbr title="Small and medium-sized enterprise">SME</abbr>'
    assert f'<a href="/en/glossary/#sme">{abbr}</a>s win' in html


def test_hostile_case_study_front_matter_is_escaped(content_tree, db, client):
    write(
        content_tree,
        "en/case-studies/hostile.md",
        '---\ntitle: "<img src=x onerror=alert(1)>"\nsummary: "<script>x()</script>"\n'
        'country: MX\norganisation: "<b onmouseover=x()>Org</b>"\nupdated: 2024-01-01\n'
        "topics: [plan/work-as-a-team]\nthemes: [open-data]\n"
        'quote: "javascript:alert(1)"\nquote_by: "<svg onload=x()>"\n---\n'
        "[x](javascript:alert(1))\n",
    )
    call_command("load_content", str(content_tree))
    html = client.get("/en/case-studies/hostile/").content.decode()
    assert active_content(html) == []
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
