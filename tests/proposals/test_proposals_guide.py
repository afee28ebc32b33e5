"""The project-proposals guide as a visitor, a translator and an editor of its files meet it."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from buyingguide.loading import content_load
from casestudies.models import CaseStudy
from proposals.models import Checklist, ChecklistEntry, Component, Note
from tests.conftest import write

LANGS = ["en", "es", "id"]
NOTE = "/project-proposals/work-smart/engage-with-the-market/"
SIX_CASES = [
    "brighton-and-hove-city-vision",
    "waste-self-service-eastbourne-vienna-lewes",
    "recycling-reward-schemes",
    "waste-collection-real-time-data",
    "shared-waste-collection-cornwall-south-coast",
    "tasmania-waste-innovation-prizes",
]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    assert html.count("<h1") == 1, url
    return html


# --- the real guide ----------------------------------------------------------------------


def test_every_note_and_checklist_of_the_source_is_there(real_site):
    assert list(Component.objects.values_list("letter", flat=True)) == ["A", "B", "C"]
    codes = list(Note.objects.order_by("position").values_list("code", flat=True))
    assert codes == ["A", "B1", "B2", "B3", "B4", "B5", "B6", "C1", "C2", "C3", "C4"]
    numbered = Checklist.objects.exclude(number=None).order_by("number")
    assert [c.number for c in numbered] == list(range(1, 12))
    where = {c.number: c.note.code for c in numbered}
    assert where == {1: "A", 2: "A", 3: "A", 4: "A", 5: "B3", 6: "B3", 7: "B4", 8: "B4",
                     9: "B4", 10: "B4", 11: "B6"}  # fmt: skip
    questions = [c.entries.filter(kind=ChecklistEntry.QUESTION).count() for c in numbered[:4]]
    assert questions == [4, 11, 8, 10]  # 33 questions, as in the source
    for number in (5, 6, 11):
        kinds = set(numbered.get(number=number).entries.values_list("kind", flat=True))
        assert kinds == {ChecklistEntry.DO, ChecklistEntry.DONT}
    factors = Checklist.objects.get(kind=Checklist.AGREEMENT)
    assert factors.note.code == "B6"
    groups = list(factors.entries.values_list("group_en", "subgroup_en"))
    assert len({g for g, _s in groups}) == 9
    assert len(set(groups)) == 27


@pytest.mark.parametrize("lang", ["es", "id"])
def test_every_page_of_the_guide_is_translated(real_site, lang):
    from django.utils import translation

    with translation.override(lang):
        for obj in [*Component.objects.all(), *Note.objects.all(), *Checklist.objects.all()]:
            assert obj.has_translation(lang), obj
        entries = ChecklistEntry.objects.all()
        assert all(e.has_translation(lang) for e in entries)


@pytest.mark.parametrize("lang", LANGS)
def test_a_note_has_its_four_parts_checklists_and_real_linkages(client, real_site, lang):
    html = page(client, f"/{lang}{NOTE}")
    for part in ("context", "need", "recommendations", "linkages"):
        assert f'id="{part}"' in html
    assert 'id="checklist-customer-engagement"' in html
    assert 'id="checklist-supplier-engagement"' in html
    assert html.index('id="need"') < html.index('id="checklist-customer-engagement"')
    # Linkages lead on to the buying guide and to the other notes, in the reader's language.
    for target in (
        "/guide/plan/share-information-early/",
        "/guide/inform-the-market/advertise-the-opportunity/",
        "/project-proposals/work-smart/scope-the-solution/",
    ):
        assert f'href="/{lang}{target}"' in html, target
    # On this page, breadcrumbs, previous and next.
    assert 'href="#checklist-supplier-engagement"' in html
    assert f'href="/{lang}/project-proposals/work-smart/"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert f'href="/{lang}/project-proposals/work-smart/checklist/"' in html


@pytest.mark.parametrize(
    "note, targets",
    [
        ("work-smart/focus-on-outcomes", ["/guide/plan/define-outcomes/"]),
        ("work-smart/scope-the-solution", ["/guide/plan/choose-an-approach/",
                                           "/guide/plan/estimate-costs/"]),
    ],
)  # fmt: skip
def test_linkages_continue_into_the_buying_guide(client, real_site, note, targets):
    html = page(client, f"/en/project-proposals/{note}/")
    linkages = html[html.index('id="linkages"') :]
    for target in targets:
        assert f'href="/en{target}"' in linkages


def test_reading_order_runs_through_all_three_components(client, real_site):
    first = page(client, "/en/project-proposals/think-smart/ask-the-smart-questions/")
    assert 'rel="prev"' not in first
    b1 = "/en/project-proposals/work-smart/build-a-clear-vision-and-committed-leadership/"
    assert f'href="{b1}" rel="next"' in first
    last = page(client, "/en/project-proposals/measure-smart/benefit-delivery/")
    assert 'rel="next"' not in last


@pytest.mark.parametrize("lang", LANGS)
def test_summary_of_recommendations_has_one_block_per_note(client, real_site, lang):
    html = page(client, f"/{lang}/project-proposals/summary-of-recommendations/")
    assert html.count('class="summary-block"') == 11
    assert html.index("[B1]") < html.index("[B6]") < html.index("[C4]")
    assert (
        f'href="/{lang}/project-proposals/measure-smart/benefit-delivery/#recommendations"' in html
    )


def test_index_and_component_pages_list_the_notes_and_links(client, real_site):
    html = page(client, "/en/project-proposals/")
    for url in (
        "think-smart/",
        "work-smart/start-learn-scale/",
        "measure-smart/benefit-mapping/",
        "summary-of-recommendations/",
        "critical-success-factors/",
        "checklist/",
    ):
        assert f'href="/en/project-proposals/{url}"' in html, url  # fmt: skip
    html = page(client, "/es/project-proposals/measure-smart/")
    assert html.count('href="/es/project-proposals/measure-smart/') >= 4  # its four notes
    assert "measure-smart/checklist/" not in html  # and no empty checklist page
    assert "Medir de forma inteligente" in html


def test_think_smart_links_its_case_studies_and_each_exists_in_three_languages(client, real_site):
    html = page(client, "/id/project-proposals/think-smart/ask-the-smart-questions/")
    for slug in SIX_CASES:
        assert f'href="/id/case-studies/{slug}/"' in html
        case = CaseStudy.objects.get(slug=slug)
        assert case.has_translation("es") and case.has_translation("id") and case.themes.exists()
        assert "/project-proposals/think-smart/" in page(client, f"/es/case-studies/{slug}/")


@pytest.mark.parametrize("lang", LANGS)
def test_component_checklist_prints_and_downloads(client, real_site, lang):
    html = page(client, f"/{lang}/project-proposals/work-smart/checklist/")
    for slug in (
        "customer-engagement",
        "operating-model",
        "delivery-model",
        "managing-key-project-risks",
    ):
        assert f'id="checklist-{slug}"' in html  # fmt: skip
    assert "tick-list" in html
    response = client.get(f"/{lang}/project-proposals/work-smart/checklist.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    work_smart = ChecklistEntry.objects.filter(
        checklist__note__component__slug="work-smart"
    ).exclude(checklist__kind=Checklist.AGREEMENT)
    assert len(rows) == 1 + work_smart.count()
    assert rows[1][-1].endswith(f"/{lang}{NOTE}#checklist-customer-engagement")
    if lang == "es":
        assert rows[0][0] == "Componente"


def test_whole_guide_checklist_has_all_eleven(client, real_site):
    html = page(client, "/en/project-proposals/checklist/")
    assert len(re.findall(r'<h3 id="checklist-', html)) == 11
    rows = list(csv.reader(io.StringIO(
        client.get("/en/project-proposals/checklist.csv").content.decode().lstrip("\ufeff")
    )))  # fmt: skip
    assert sum(1 for r in rows if r[3] == "Question") == 33


@pytest.mark.parametrize("lang", LANGS)
def test_critical_success_factors_is_a_printable_rating_checklist(client, real_site, lang):
    html = page(client, f"/{lang}/project-proposals/critical-success-factors/")
    assert html.count("<caption") == 27
    assert html.count('<th scope="row"') == 71
    assert f'href="/{lang}/project-proposals/work-smart/manage-the-key-risks/"' in html
    rows = list(csv.reader(io.StringIO(
        client.get(f"/{lang}/project-proposals/critical-success-factors.csv")
        .content.decode().lstrip("\ufeff")
    )))  # fmt: skip
    assert len(rows) == 72 and len(rows[0]) == 7
    # B6 points to it.
    b6 = page(client, f"/{lang}/project-proposals/work-smart/manage-the-key-risks/")
    assert f'href="/{lang}/project-proposals/critical-success-factors/"' in b6


def test_sitemap_lists_the_guide_with_hreflang(client, real_site):
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}  # fmt: skip
    tree = ET.fromstring(client.get("/sitemap.xml").content)
    locs = {el.text for el in tree.iterfind(".//sm:loc", ns)}
    paths = {re.sub(r"^https?://[^/]+", "", loc) for loc in locs}
    for lang in LANGS:
        assert f"/{lang}{NOTE}" in paths
        assert f"/{lang}/project-proposals/critical-success-factors/" in paths
        assert f"/{lang}/project-proposals/think-smart/checklist/" in paths
        assert f"/{lang}/project-proposals/measure-smart/checklist/" not in paths  # none there
    url = next(
        u for u in tree.iterfind("sm:url", ns) if u.find("sm:loc", ns).text.endswith(f"/es{NOTE}")
    )
    langs = {link.get("hreflang") for link in url.iterfind("x:link", ns)}
    assert {"en", "es", "id", "x-default"} <= langs


@pytest.mark.parametrize(
    "lang, query", [("en", "benefit owner"), ("es", "responsable de beneficio"),
                    ("id", "pemilik manfaat")],
)  # fmt: skip
def test_search_finds_the_notes_in_each_language(client, real_site, lang, query):
    html = page(client, f"/{lang}/search/?q={query}")
    assert f'href="/{lang}/project-proposals/measure-smart/benefit-delivery/"' in html


def test_home_and_navigation_lead_to_the_second_guide(client, real_site):
    html = page(client, "/id/")
    assert 'href="/id/project-proposals/"' in html
    assert "Menyusun usulan proyek kota cerdas" in html
    assert 'aria-current="page">Usulan proyek<' in page(client, f"/id{NOTE}")


@pytest.mark.parametrize(
    "url",
    [
        "/en/project-proposals/no-such-component/",
        "/en/project-proposals/work-smart/no-such-note/",
        "/en/project-proposals/think-smart/engage-with-the-market/",  # a note of another part
        "/en/project-proposals/no-such-component/checklist/",
        "/en/project-proposals/no-such-component/checklist.csv",
        "/en/project-proposals/measure-smart/checklist/",  # Measure smart has no checklists
    ],
)
def test_unknown_addresses_are_a_clear_404(client, real_site, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "There is no page at this address" in response.content.decode()


# --- the files: validation and fallback (a small tree beside the fixture guide) ----------

COMPONENT = """---
title: Work smart
summary: Practices.
letter: B
order: 1
---
Intro.
"""
NOTE_FILE = """---
title: Engage with the market
summary: Talk early.
code: B3
order: 1
checklists:
  - number: 5
    slug: customer-engagement
    kind: dos-and-donts
    title: Customers
    dos:
      - Start early, see [outcomes](/guide/plan/define-outcomes/).
    donts:
      - Don't consult once.
      - Don't guess.
---
## Context

Some context.

## The need

A need.

## Recommendations

Do this.

## Linkages

See [the guide](/project-proposals/).
"""
PAGE = "---\ntitle: {title}\nsummary: A summary.\n---\nBody.\n"


def small_guide(root):
    write(root, "en/proposals/_index.md", PAGE.format(title="Project proposals"))
    write(root, "en/proposals/_summary.md", PAGE.format(title="Summary"))
    write(root, "en/proposals/work-smart/_component.md", COMPONENT)
    write(root, "en/proposals/work-smart/engage-with-the-market.md", NOTE_FILE)
    return root


def load_errors(root):
    report = content_load(root)
    assert not report.ok
    return [str(e) for e in report.errors]


def test_a_small_guide_loads_and_a_missing_translation_falls_back_to_english(
    client, content_tree, db
):
    small_guide(content_tree)
    es = NOTE_FILE.replace("title: Engage with the market", "title: Relacionarse con el mercado")
    es = es.replace("Some context.", "Algo de contexto.").replace("      - Don't guess.\n", "")
    es = es.replace("Don't consult once.", "No consulte una sola vez.")
    write(content_tree, "es/proposals/work-smart/engage-with-the-market.md", es)
    call_command("load_content", str(content_tree))
    html = page(client, f"/es{NOTE}")
    assert "Relacionarse con el mercado" in html and "Algo de contexto." in html
    # The don't the translation lacks is shown in English, marked as English.
    assert "<li>No consulte una sola vez.</li>" in html
    assert '<li lang="en">Don\'t guess.</li>' in html
    assert 'href="/es/guide/plan/define-outcomes/"' in html
    # No Indonesian file: the whole note falls back, with a notice and lang="en".
    html = page(client, f"/id{NOTE}")
    assert "fallback-notice" in html and 'lang="en"' in html


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda t: t.replace("## Linkages\n", ""), "exactly four '## ' headings"),
        (lambda t: t.replace("code: B3", "code: C3"), "must be the component's letter (B)"),
        (lambda t: t.replace("kind: dos-and-donts", "kind: maybe"), "'kind' must be one of"),
        (lambda t: t.replace("(/guide/plan/define-outcomes/)", "(/guide/plan/nope/)"),
         "broken internal link '/guide/plan/nope/'"),
        (lambda t: re.sub(r"    dos:\n      - .*\n", "    dos: []\n", t),
         "'dos' must be a list of sentences"),
    ],
)  # fmt: skip
def test_a_malformed_note_is_refused_with_a_clear_message_and_nothing_changes(
    content_tree, db, change, message
):
    small_guide(content_tree)
    call_command("load_content", str(content_tree))
    before = list(Note.objects.values_list("title_en", "context_html_en"))
    path = content_tree / "en/proposals/work-smart/engage-with-the-market.md"
    path.write_text(change(path.read_text()).replace("Some context.", "New context."))
    errors = load_errors(content_tree)
    assert any(message in e and "engage-with-the-market.md" in e for e in errors), errors
    assert list(Note.objects.values_list("title_en", "context_html_en")) == before


def test_folder_and_translation_mistakes_are_named(content_tree, db):
    small_guide(content_tree)
    write(content_tree, "en/proposals/checklist/_component.md", COMPONENT.replace("B", "D"))
    write(content_tree, "en/proposals/nowhere/orphan.md", NOTE_FILE)
    es = NOTE_FILE.replace("slug: customer-engagement", "slug: clientes")
    write(content_tree, "es/proposals/work-smart/engage-with-the-market.md", es)
    errors = load_errors(content_tree)
    assert any("'checklist' cannot name a component folder" in e for e in errors), errors
    assert any("unknown component 'nowhere'" in e for e in errors), errors
    assert any("es/proposals/" in e and "checklist 'clientes' is not in the English" in e
               for e in errors), errors  # fmt: skip


def test_a_removed_note_disappears_with_its_checklists(client, content_tree, db):
    small_guide(content_tree)
    call_command("load_content", str(content_tree))
    assert Checklist.objects.filter(slug="customer-engagement").exists()
    (content_tree / "en/proposals/work-smart/engage-with-the-market.md").unlink()
    call_command("load_content", str(content_tree))
    assert not Note.objects.exists() and not ChecklistEntry.objects.exists()
    assert client.get(f"/en{NOTE}").status_code == 404


def test_the_checklists_link_to_their_interactive_self_assessments(client, real_site):
    for url, instrument in (
        ("think-smart/ask-the-smart-questions/", "think-smart"),
        ("critical-success-factors/", "critical-success-factors"),
    ):
        html = page(client, f"/es/project-proposals/{url}")
        assert f'href="/es/assessments/{instrument}/"' in html, url
        assert client.get(f"/es/assessments/{instrument}/").status_code == 200
    # Notes whose checklists are do's and don'ts have no self-assessment to link to.
    html = page(client, "/en/project-proposals/work-smart/engage-with-the-market/")
    assert "online self-assessment" not in html


def test_an_edited_note_file_is_visible_at_once_through_the_page_cache(
    client, content_tree, db, django_capture_on_commit_callbacks
):
    small_guide(content_tree)
    call_command("load_content", str(content_tree))
    assert client.get(f"/en{NOTE}")["X-Page-Cache"] == "miss"
    assert client.get(f"/en{NOTE}")["X-Page-Cache"] == "hit"
    path = content_tree / "en/proposals/work-smart/engage-with-the-market.md"
    path.write_text(path.read_text().replace("Some context.", "Fresh context."))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", str(content_tree))
    response = client.get(f"/en{NOTE}")
    assert response["X-Page-Cache"] == "miss"
    assert "Fresh context." in response.content.decode()
