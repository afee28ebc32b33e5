"""Reflow at 320 CSS pixels (WCAG 1.4.10), text spacing (1.4.12) and 200% zoom (1.4.4).

Each page is loaded once, at 320 CSS pixels wide (what a 1280-pixel window shows at 400%
zoom), then checked three ways without reloading: as it is, with the WCAG 1.4.12 text
spacing applied, and at 640 CSS pixels with a device scale of 2 (a 1280-pixel window at 200%
zoom). In each: the page must not scroll sideways, no text may stick out past the window,
and no element that hides its overflow may be cutting off text.
"""

import pytest

from .site_pages import EXTRA_PATHS, page_id, sitemap_paths_for

pytestmark = pytest.mark.browser

# Every sitemap page in English, the extra states, and a sample in Spanish and Indonesian
# (whose words and labels run longer): one page of each template.
SAMPLE = [
    "/",
    "/guide/",
    "/guide/plan/",
    "/guide/plan/work-as-a-team/",
    "/guide/evaluate-and-award/evaluate-suppliers/",
    "/guide/manage-delivery/checklist/",
    "/guide/checklist/",
    "/case-studies/",
    "/case-studies/?page=2",
    "/case-studies/dominican-republic-women-owned-businesses/",
    "/glossary/",
    "/about/",
    "/accessibility/",
]
REFLOW_PATHS = (
    sitemap_paths_for("en")
    + [p for p in EXTRA_PATHS if p not in sitemap_paths_for("en")]
    + [f"/{lang}{path}" for lang in ("es", "id") for path in SAMPLE]
)

# WCAG 1.4.12's own test values, as in the W3C text spacing bookmarklet.
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

CHECK_LAYOUT = """
const doc = document.documentElement;
const vw = doc.clientWidth;
const problems = [];
if (doc.scrollWidth > vw + 1) {
  // Name the widest culprits so the failure says what to fix.
  let widest = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 && r.width > 0) widest.push([r.right, el]);
  }
  widest = widest.filter(([, el]) => !widest.some(([, o]) => o !== el && el.contains(o)));
  problems.push(`the page scrolls sideways: ${doc.scrollWidth}px of content in a ${vw}px window`
    + widest.slice(0, 3).map(([right, el]) => `; <${el.tagName.toLowerCase()}`
      + (el.className ? ` class="${el.className}"` : '') + `> ends at ${Math.round(right)}px`
      + ` ("${el.textContent.trim().slice(0, 40)}")`).join(''));
}
const TEXT = 'p, li, dt, dd, h1, h2, h3, h4, a, button, label, legend, select, input, td, th, '
  + 'blockquote, figcaption, summary, span, time, dfn, abbr, strong, em, code';
const hidesOverflow = v => v === 'hidden' || v === 'clip';
const scrollsItself = el => {
  for (let up = el.parentElement; up; up = up.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return true;
  }
  return false;
};
for (const el of document.body.querySelectorAll('*')) {
  const cs = getComputedStyle(el);
  if (cs.display === 'none' || cs.visibility === 'hidden') continue;
  const clips = hidesOverflow(cs.overflowX) || hidesOverflow(cs.overflowY)
    || cs.textOverflow === 'ellipsis';
  const r = el.getBoundingClientRect();
  const outside = r.width > 0 && (r.left < -1 || r.right > vw + 1);
  if (!clips && !outside) continue;
  const text = (el.textContent || el.value || '').trim();
  if (!text) continue;
  const label = `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}>`
    + ` "${text.replace(/\\s+/g, ' ').slice(0, 40)}"`;
  // An element that hides its overflow must not be cutting its own text off. (The
  // visually-hidden pattern, a 1px box, is for screen readers only: not clipping.)
  if (clips && el.clientWidth > 1 && el.clientHeight > 1
      && (((hidesOverflow(cs.overflowX) || cs.textOverflow === 'ellipsis')
           && el.scrollWidth > el.clientWidth + 1)
          || (hidesOverflow(cs.overflowY) && el.scrollHeight > el.clientHeight + 1))) {
    problems.push(`${label} cuts off its text`);
  }
  // No visible text may sit beyond the window's edges, unless it is inside a box that
  // scrolls by itself (a wide table), or it is the skip link waiting off screen for focus.
  if (outside && el.matches(TEXT) && !el.closest('.skip-link') && !scrollsItself(el)) {
    problems.push(`${label} runs outside the window (${Math.round(r.left)}px to `
      + `${Math.round(r.right)}px of ${vw}px)`);
  }
}
return [...new Set(problems)].slice(0, 12);
"""

# A constructed stylesheet: the Content-Security-Policy (style-src 'self') would block an
# injected <style> element, but not a stylesheet built through the CSSOM, which is what a
# visitor's own user stylesheet or browser extension amounts to.
APPLY_SPACING = """
const sheet = new CSSStyleSheet();
sheet.replaceSync(arguments[0]);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
"""
REMOVE_SPACING = "document.adoptedStyleSheets = [];"


def set_viewport(browser, width, height, scale=1):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False},
    )


@pytest.fixture(scope="module")
def narrow_browser(browser):
    """The session browser, emulating a 320 CSS pixel window for this module only."""
    set_viewport(browser, 320, 640)
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("path", REFLOW_PATHS, ids=page_id)
def test_reflow_text_spacing_and_zoom(site_server, narrow_browser, path):
    browser = narrow_browser
    url = site_server.url(path)
    set_viewport(browser, 320, 640)
    browser.get(url)
    found = []
    found += [f"at 320px: {p}" for p in browser.execute_script(CHECK_LAYOUT)]
    browser.execute_script(APPLY_SPACING, TEXT_SPACING_CSS)
    assert (
        browser.execute_script("return getComputedStyle(document.body).letterSpacing") != "normal"
    ), "the text spacing style was not applied"
    found += [f"at 320px with text spacing: {p}" for p in browser.execute_script(CHECK_LAYOUT)]
    browser.execute_script(REMOVE_SPACING)
    set_viewport(browser, 640, 500, scale=2)
    found += [f"at 200% zoom: {p}" for p in browser.execute_script(CHECK_LAYOUT)]
    browser.execute_script(APPLY_SPACING, TEXT_SPACING_CSS)
    found += [f"at 200% zoom with text spacing: {p}" for p in browser.execute_script(CHECK_LAYOUT)]
    set_viewport(browser, 320, 640)
    assert not found, f"{url} (WCAG 1.4.10, 1.4.12, 1.4.4):\n" + "\n".join(found)
