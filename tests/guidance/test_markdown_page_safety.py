"""Rendered Markdown fits the page around it: unique ids, no inline styles (issue 13, 10)."""

from guidance.markdown import RenderContext, render_markdown, sanitise, template_ids

TABLE = "| Item | Cost | Notes |\n|:---|---:|:---:|\n| Licences | 1,200 | yearly |\n"


def test_table_alignment_is_a_class_not_an_inline_style():
    html, _ = render_markdown(TABLE, RenderContext("en", set(), set()))
    assert "style=" not in html
    assert '<th class="align-left">Item</th>' in html
    assert '<td class="align-right">1,200</td>' in html
    assert '<td class="align-center">yearly</td>' in html


def test_only_the_alignment_classes_survive_the_sanitiser():
    html = sanitise('<table><tr><td class="align-right evil" style="color:red">1</td></tr></table>')
    assert 'class="align-right"' in html and "evil" not in html and "style" not in html


def test_template_ids_are_read_from_the_templates():
    fixed, prefixes = template_ids()
    assert {"main", "why", "what", "dos-and-donts", "case-studies", "toc-heading"} <= fixed
    assert "cl-" in prefixes and "stage-" in prefixes


def test_a_heading_never_takes_an_id_the_page_uses():
    text = "## Main\n\nx\n\n## Case studies\n\ny\n\n### Why\n\nz\n\n## Stage plan\n\nw\n"
    html, headings = render_markdown(text, RenderContext("en", set(), set()))
    ids = [h["id"] for h in headings]
    assert ids == ["section-main", "section-case-studies", "section-why", "section-stage-plan"]
    assert 'id="main"' not in html
