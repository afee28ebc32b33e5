"""Keyboard only: skip link, every control reachable by Tab, visible focus, no keyboard trap.

WCAG 2.1.1 keyboard, 2.1.2 no keyboard trap, 2.4.1 bypass blocks, 2.4.3 focus order,
2.4.7 focus visible, 2.4.11 focus not obscured (minimum).
"""

import itertools

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from .site_pages import page_id

pytestmark = pytest.mark.browser

# Representative pages: each template with controls, in each language somewhere.
WALK_PAGES = [
    "/en/",
    "/en/guide/plan/work-as-a-team/",
    "/en/case-studies/?theme=e-procurement",
    "/id/case-studies/?page=2",
    "/es/search/?q=proveedores",
    "/es/case-studies/india-gem/",
    "/id/guide/plan/checklist/",
]

SKIP_LINK_PAGES = [
    "/en/",
    "/es/guide/plan/",
    "/id/guide/plan/work-as-a-team/",
    "/en/case-studies/",
    "/en/no-such-page/",
]

# Marks every element that Tab should reach, in document order (the site uses no positive
# tabindex, so document order is the tab order), and records how each looks unfocused.
MARK_TABBABLES = """
const STYLE = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'backgroundColor',
               'color', 'textDecorationLine', 'borderTopColor', 'borderBottomColor'];
window.__a11yStyle = el => { const cs = getComputedStyle(el); const s = {};
  for (const p of STYLE) s[p] = cs[p]; return s; };
const candidates = document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]');
const list = [];
for (const el of candidates) {
  if (el.disabled || el.tabIndex < 0 || el.closest('[inert]')) continue;
  // A radio group is one Tab stop (its checked radio, else its first); arrows move inside it.
  if (el.type === 'radio' && el.name) {
    const group = [...document.getElementsByName(el.name)].filter(r => r.form === el.form);
    if (el !== (group.find(r => r.checked) || group[0])) continue;
  }
  const cs = getComputedStyle(el);
  if (cs.visibility === 'hidden' || !el.getClientRects().length) continue;
  el.dataset.a11yIdx = list.length;
  list.push({idx: list.length, tag: el.tagName.toLowerCase(),
             text: (el.textContent || el.value || el.name || '').trim().slice(0, 60),
             unfocused: window.__a11yStyle(el)});
}
return list;
"""

# Describes the focused element: which one, its focused style, and whether it is visible.
FOCUSED = """
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const r = el.getBoundingClientRect();
const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
const cx = Math.min(Math.max(r.left + r.width / 2, 0), vw - 1);
const cy = Math.min(Math.max(r.top + r.height / 2, 0), vh - 1);
const hit = document.elementFromPoint(cx, cy);
return {idx: el.dataset.a11yIdx === undefined ? null : Number(el.dataset.a11yIdx),
        tag: el.tagName.toLowerCase(), id: el.id, cls: el.className,
        text: (el.textContent || el.value || '').trim().slice(0, 60),
        focused: window.__a11yStyle(el),
        inViewport: r.bottom > 0 && r.right > 0 && r.top < vh && r.left < vw
                    && r.width > 0 && r.height > 0,
        covered: !(hit && (hit === el || el.contains(hit) || hit.contains(el)))};
"""

VISIBLE_CHANGE = ("outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor")


def press(browser, *keys):
    ActionChains(browser).send_keys(*keys).perform()


def focus_indicator_changes(unfocused: dict, focused: dict) -> list[str]:
    """Which of outline, box-shadow and background look different when focused."""
    changed = [p for p in VISIBLE_CHANGE if unfocused[p] != focused[p]]
    # A transparent or zero-width outline is no indicator on its own.
    if set(changed) <= {"outlineStyle", "outlineWidth", "outlineColor"} and (
        focused["outlineStyle"] == "none"
        or focused["outlineWidth"] in ("0px", "")
        or focused["outlineColor"] in ("transparent", "rgba(0, 0, 0, 0)")
    ):
        return []
    return changed


def shift_tab(browser):
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()


@pytest.mark.parametrize("path", SKIP_LINK_PAGES, ids=page_id)
def test_first_tab_reaches_skip_link_which_moves_focus_to_main(site_server, browser, path):
    url = site_server.url(path)
    browser.get(url)
    browser.execute_script(MARK_TABBABLES)
    press(browser, Keys.TAB)
    first = browser.execute_script(FOCUSED)
    assert first and "skip-link" in first["cls"], f"{url}: first Tab reached {first}"
    assert first["inViewport"] and not first["covered"], f"{url}: skip link not visible: {first}"
    press(browser, Keys.ENTER)
    active = browser.execute_script(
        "const e = document.activeElement; return e.tagName.toLowerCase() + '#' + e.id"
    )
    assert active == "main#main", f"{url}: after the skip link, focus is on {active}"
    # The main content is scrolled to the top of the window (or as far as a short page goes).
    assert browser.execute_script(
        "const top = document.getElementById('main').getBoundingClientRect().top;"
        "const maxScroll = document.documentElement.scrollHeight - window.innerHeight;"
        "return top >= -1 && (top < 50 || window.scrollY >= maxScroll - 1);"
    ), f"{url}: the skip link did not bring the main content into view"
    # The next Tab continues inside the main content, not back in the header.
    press(browser, Keys.TAB)
    inside = browser.execute_script(
        "return document.getElementById('main').contains(document.activeElement)"
    )
    assert inside, f"{url}: Tab after the skip link left the main content"


@pytest.mark.parametrize("path", WALK_PAGES, ids=page_id)
def test_tab_reaches_every_control_with_visible_focus_and_no_trap(site_server, browser, path):
    check_tab_walk(browser, site_server.url(path))


def check_tab_walk(browser, url):
    """Tab and Shift+Tab round every control of the page at `url` (shared with other tests)."""
    # Forward: Tab through the page, one step past its end (focus leaves the document), and
    # on round to the start again.
    browser.get(url)
    tabbables = browser.execute_script(MARK_TABBABLES)
    assert len(tabbables) > 10, f"{url}: only {len(tabbables)} focusable elements found"
    problems, order = [], []
    for _ in range(len(tabbables)):
        press(browser, Keys.TAB)
        focused = browser.execute_script(FOCUSED)
        if focused is None or focused["idx"] is None:
            problems.append(f"Tab moved focus to something not in the tab order: {focused}")
            break
        order.append(focused["idx"])
        expected = tabbables[focused["idx"]]
        changes = focus_indicator_changes(expected["unfocused"], focused["focused"])
        if not changes:
            problems.append(
                f"no visible focus indicator (outline, box-shadow and background unchanged) on "
                f"<{focused['tag']}> {focused['text']!r} (WCAG 2.4.7): add a :focus-visible "
                f"style in static/css/site.css"
            )
        if not focused["inViewport"] or focused["covered"]:
            problems.append(
                f"focused <{focused['tag']}> {focused['text']!r} is off screen or "
                f"covered (WCAG 2.4.11)"
            )
    missing = [t for t in tabbables if t["idx"] not in order]
    if order != list(range(len(tabbables))):
        problems.append(f"Tab order differs from document order: {order}")
    for t in missing:
        problems.append(f"never reached by Tab: <{t['tag']}> {t['text']!r}")
    # One more Tab leaves the page (to the browser); the next comes back to the skip link.
    press(browser, Keys.TAB)
    press(browser, Keys.TAB)
    wrapped = browser.execute_script(FOCUSED)
    if not wrapped or wrapped["idx"] != 0:
        problems.append(f"Tab after the last control did not cycle back to the start: {wrapped}")
    assert not problems, f"{url}:\n" + "\n".join(problems)

    # Backward: Shift+Tab goes round the same controls in reverse, so nothing traps focus in
    # either direction. (From the first control Chromium may pass straight to the last one or
    # stop once outside the page; both are fine, so steps outside the page are skipped.)
    backward = []
    for _ in range(len(tabbables) + 2):
        shift_tab(browser)
        focused = browser.execute_script(FOCUSED)
        if focused is not None:
            backward.append(focused["idx"])
    n = len(tabbables)
    steps_back = all(b == (a - 1) % n for a, b in itertools.pairwise(backward))
    assert steps_back and set(backward) == set(range(n)), (
        f"{url}: Shift+Tab did not go round the controls in reverse order: {backward}"
    )
