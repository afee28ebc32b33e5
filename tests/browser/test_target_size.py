"""Target size (WCAG 2.5.8, minimum): links and buttons are at least 24 by 24 CSS pixels, or
have the spacing the criterion allows. Inline links in sentences are exempt.

Checked at desktop width and at 320 CSS pixels (where header links wrap and sit closest),
on one page of each kind of control: header navigation and language switcher, breadcrumbs,
search form, filters and active-filter links, pagination, the previous/next pager, the
checklist download button, footer links.
"""

import pytest

from .site_pages import page_id

pytestmark = pytest.mark.browser

PAGES = [
    "/en/",
    "/es/guide/plan/work-as-a-team/",
    "/en/case-studies/?theme=e-procurement&stage=plan",
    "/id/case-studies/?page=2",
    "/en/case-studies/mexico-city-ecobici/",
    "/es/search/?q=proveedores",
    "/id/guide/plan/checklist/",
    "/es/glossary/",
    "/en/resources/?region=north-america",
    "/en/no-such-page/",
]

# The kinds of controls the criterion is about, and which must all be present somewhere in
# PAGES, so that the test cannot pass by finding nothing.
GROUPS = {
    "main navigation": ".site-nav a",
    "language switcher": ".language-switcher a",
    "breadcrumbs": ".breadcrumbs a",
    "buttons": "button, .button-link",
    "search field": "input[type=search]",
    "filters": ".filters select, .filters a",
    "active filters": ".active-filters a",
    "pagination": ".pagination a",
    "pager": ".pager a",
    "footer links": ".site-footer a",
    # Everything else: card titles, lists of topics, links in the facts of a case study...
    "any other link or control": "a[href], button, input:not([type=hidden]), select, summary",
}

MEASURE = """
const groups = arguments[0];
const visible = el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden';
const all = [...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary')].filter(visible);
// A link in running text: its block has words outside the link (WCAG 2.5.8 "inline").
const inSentence = el => {
  if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
  const block = el.closest('p, li, dd, td, th, blockquote, figcaption, h1, h2, h3, h4');
  if (!block) return false;
  let words = '';
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest('a')) words += walker.currentNode.data;
  }
  return words.replace(/[\\s.,;:()·›|–—-]/g, '').length > 0;
};
const box = el => el.getBoundingClientRect();
const small = el => { const r = box(el); return r.width < 24 - 0.05 || r.height < 24 - 0.05; };
const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
const distToRect = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right),
                                             Math.max(r.top - y, 0, y - r.bottom));
const out = {problems: []};
const checked = new Set();
for (const [group, selector] of Object.entries(groups)) {
  const found = [...document.querySelectorAll(selector)].filter(visible);
  for (const el of found) checked.add(el);
}
for (const el of checked) {
  if (!small(el) || inSentence(el)) continue;
  // Spacing exception: a 24px circle centred on the target meets no other target, and no
  // other undersized target's circle.
  const c = centre(box(el));
  const clash = all.find(other => {
    if (other === el || other.contains(el) || el.contains(other)) return false;
    const r = box(other);
    if (distToRect(c, r) < 12) return true;
    if (!small(other)) return false;
    const oc = centre(r);
    return Math.hypot(c[0] - oc[0], c[1] - oc[1]) < 24;
  });
  if (clash) {
    const r = box(el);
    out.problems.push(`<${el.tagName.toLowerCase()}> "${(el.textContent || el.value || '')
      .trim().slice(0, 40)}" is ${r.width.toFixed(1)}x${r.height.toFixed(1)}px and too close to `
      + `"${(clash.textContent || clash.value || '').trim().slice(0, 30)}"`);
  }
}
return out;
"""

COUNT = """
const visible = el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden';
return Object.fromEntries(Object.entries(arguments[0]).map(
  ([group, selector]) => [group, [...document.querySelectorAll(selector)].filter(visible).length]));
"""


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_targets_are_large_enough_or_spaced(site_server, browser, path, width):
    url = site_server.url(path)
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        browser.get(url)
        result = browser.execute_script(MEASURE, GROUPS)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not result["problems"], (
        f"{url} at {width}px (WCAG 2.5.8): targets under 24x24px without enough space; give "
        "them padding or min-height/min-width in static/css/site.css:\n"
        + "\n".join(result["problems"])
    )


def test_every_kind_of_target_is_on_some_page(site_server, browser):
    """So the test above cannot pass by finding nothing: each group is on one of PAGES at
    the narrowest width (counted here, whatever other tests ran before)."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": False},
    )
    seen = dict.fromkeys(GROUPS, 0)
    try:
        for path in PAGES:
            browser.get(site_server.url(path))
            for group, count in browser.execute_script(COUNT, GROUPS).items():
                seen[group] += count
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    missing = [group for group in GROUPS if not seen[group]]
    assert not missing, f"no {', '.join(missing)} found on any page: update PAGES or GROUPS"
