"""Stored fragments placed in a printed document (printing/html.py)."""

from printing.html import fit_fragment

FRAGMENT = (
    '<h3 id="overview">Overview</h3><p>See <a href="#overview">above</a>, '
    '<a href="/es/guide/plan/define-outcomes/">outcomes</a>, '
    '<a href="/es/guide/buy/">another stage</a>, '
    '<a href="/es/case-studies/india-gem/">a case</a>, '
    '<a href="/es/glossary/#ngo">NGO</a> and '
    '<a href="https://standard.open-contracting.org/">OCDS</a>.</p>'
)


def test_headings_shift_ids_get_a_prefix_and_in_page_links_follow():
    html = fit_fragment(FRAGMENT, shift=2, prefix="t-plan-x-", site_root="https://g.example")
    assert '<h5 id="t-plan-x-overview">Overview</h5>' in html
    assert 'href="#t-plan-x-overview"' in html


def test_links_to_pages_in_the_document_stay_in_it_and_the_rest_become_absolute():
    anchors = {"t-plan-define-outcomes", "s-plan"}
    html = fit_fragment(FRAGMENT, anchors=anchors, site_root="https://g.example")
    assert 'href="#t-plan-define-outcomes"' in html
    # Not in this document (another stage): the web address, written out in print.
    assert 'href="https://g.example/es/guide/buy/"' in html
    assert 'href="https://g.example/es/case-studies/india-gem/"' in html
    assert 'href="/es/glossary/#ngo"' in html
    assert 'href="https://standard.open-contracting.org/"' in html


def test_headings_never_go_past_h6_and_empty_fragments_are_fine():
    assert fit_fragment("<h5>a</h5>", shift=3) == "<h6>a</h6>"
    assert fit_fragment(None) == ""
