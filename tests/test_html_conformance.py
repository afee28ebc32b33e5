"""The HTML checks themselves (Nu Html Checker + ID references) catch each class of defect.

The same checks run on every page of the real site in tests/browser/test_html_checker.py.
"""

from pathlib import Path

from .html_conformance import dangling_references, html_problems

BROKEN = Path(__file__).parent / "fixtures" / "html" / "broken.html"


def test_the_checks_report_every_defect_of_the_broken_page_and_pass_the_fixed_one(tmp_path):
    broken = BROKEN.read_text()
    fixed = (
        broken.replace("<h3>A card heading that skips h2</h3>", "<h2>A card heading</h2>")
        .replace('<p id="twice">Another', '<p id="once">Another')
        .replace("cl-emergency", "twice")
        .replace("no-such-hint", "once")
        .replace("no-such-field", "a-field")
    )
    # One run of the checker for both pages (starting Java is the slow part).
    problems = html_problems({"broken": broken, "fixed": fixed}, tmp_path)
    assert not [p for p in problems if p.startswith("fixed:")], problems
    found = "\n".join(problems)
    assert "skipping 1 heading level" in found  # h1 → h3
    assert "Duplicate ID “twice”" in found
    assert "“for” attribute of the “label” element" in found
    assert 'aria-labelledby="cl-emergency">: no element has id="cl-emergency"' in found
    assert 'aria-describedby="no-such-hint">: no element has id="no-such-hint"' in found


def test_references_lists_each_missing_id_of_several():
    html = '<h2 id="a">A</h2><nav aria-labelledby="a b"></nav><p aria-describedby="">x</p>'
    assert dangling_references(html) == [
        'line 1: <nav aria-labelledby="b">: no element has id="b"',
        'line 1: <p aria-describedby="">: no element has id=""',
    ]
