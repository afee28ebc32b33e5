"""Rules a careful reader asked for: truthful dates, one form of don't, one word per term.

Each rule is tried on a broken file (it must be reported, naming the file and line) and on
the real content (which must pass: tests/guidance/test_translations.py runs --strict).
"""

import datetime
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from buyingguide.loading import content_load
from casestudies.models import CaseStudy
from guidance.models import Page, Topic
from guidance.termbase import termbase_problems
from tests.conftest import FIXTURE_CONTENT, declare_change, write

TERMBASE_FIXTURE = FIXTURE_CONTENT.parent / "termbase"
ABOUT = "---\ntitle: About\nupdated: {date}\n---\nAbout the guide.\n"


def errors_for(root):
    report = content_load(root)
    assert not report.ok
    return [str(e) for e in report.errors]


# --- updated: --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        (None, "en/pages/about.md: the required field 'updated' is missing"),
        ("22/11/2026", "en/pages/about.md:3: 'updated' must be a date written YYYY-MM-DD"),
        ("2999-01-01", "en/pages/about.md:3: 'updated' is 2999-01-01, a date in the future"),
    ],
)
def test_a_page_needs_a_true_updated_date(db, content_tree, value, message):
    line = f"updated: {value}\n" if value else ""
    write(content_tree, "en/pages/about.md", f"---\ntitle: About\n{line}---\nText.\n")
    assert any(e.startswith(message) for e in errors_for(content_tree)), errors_for(content_tree)


def test_the_page_shows_its_file_date_stable_across_reloads(db, content_tree):
    write(content_tree, "en/pages/about.md", ABOUT.format(date="2024-05-06"))
    assert content_load(content_tree).ok
    assert content_load(content_tree).ok  # a second load keeps the file's date
    html = Client().get("/en/about/").content.decode()
    assert '<time datetime="2024-05-06">' in html
    assert Page.objects.get(slug="about").updated_on == datetime.date(2024, 5, 6)
    sitemap = Client().get("/sitemap.xml").content.decode()
    assert re.search(r"/en/about/</loc>\s*<lastmod>2024-05-06</lastmod>", sitemap)


def test_a_translation_has_its_own_date_in_page_and_sitemap(db, content_tree):
    es = content_tree / "es/guide/plan/work-as-a-team.md"
    es.write_text(es.read_text().replace("updated: 2024-03-01", "updated: 2024-04-02"))
    assert content_load(content_tree).ok
    assert (
        '<time datetime="2024-04-02">'
        in Client().get("/es/guide/plan/work-as-a-team/").content.decode()
    )
    assert (
        '<time datetime="2024-03-01">'
        in Client().get("/en/guide/plan/work-as-a-team/").content.decode()
    )
    sitemap = Client().get("/sitemap.xml").content.decode()
    lastmod = dict(
        re.findall(
            r"<loc>[^<]*/(en|es)/guide/plan/work-as-a-team/</loc>\s*<lastmod>([^<]+)", sitemap
        )
    )
    assert lastmod == {"en": "2024-03-01", "es": "2024-04-02"}


def test_text_changed_without_a_new_date_is_reported(db, content_tree, capsys):
    call_command("load_content", str(content_tree))
    topic = content_tree / "en/guide/plan/work-as-a-team.md"
    topic.write_text(topic.read_text().replace("Teams make", "Good teams make"))
    declare_change(topic)
    call_command("load_content", str(content_tree))
    err = capsys.readouterr().err
    assert (
        "warning: en/guide/plan/work-as-a-team.md: the text changed but 'updated' is still "
        "2024-03-01" in err
    )
    # The text is still loaded: the warning asks for a date, it loses nothing.
    assert "Good teams make" in Topic.objects.get(slug="work-as-a-team").why_html_en
    topic.write_text(topic.read_text().replace("updated: 2024-03-01", "updated: 2024-06-01"))
    topic.write_text(topic.read_text().replace("Good teams make", "Strong teams make"))
    declare_change(topic, date="2024-06-02")
    call_command("load_content", str(content_tree))
    assert "warning:" not in capsys.readouterr().err


def test_a_changed_dont_list_without_a_new_date_is_reported(db, content_tree):
    assert content_load(content_tree).ok
    topic = content_tree / "en/guide/plan/work-as-a-team.md"
    topic.write_text(topic.read_text().replace("leave it to one person", "leave it to one team"))
    declare_change(topic)
    report = content_load(content_tree)
    assert [w.split(":")[0] for w in report.stats.warnings] == ["en/guide/plan/work-as-a-team.md"]


# --- published and year ---------------------------------------------------------------

CASE = """---
title: {title}
summary: A summary.
country: MX
organisation: City Hall
{extra}topics:
  - plan/work-as-a-team
themes:
  - open-data
updated: 2024-03-01
---
## The problem

Text.
"""


def test_no_published_date_is_fine_and_shows_none(db, content_tree):
    write(
        content_tree,
        "en/case-studies/undated.md",
        CASE.format(title="Undated", extra="year: 2021\n"),
    )
    assert content_load(content_tree).ok
    case = CaseStudy.objects.get(slug="undated")
    assert case.published_on is None and case.is_visible
    html = Client().get("/en/case-studies/undated/").content.decode()
    assert "Published" not in html and "<dd>2021</dd>" in html


def test_an_inferred_year_reads_about(db, content_tree):
    write(
        content_tree,
        "en/case-studies/guessed.md",
        CASE.format(title="Guessed", extra="year: 2021\nyear_inferred: true\n"),
    )
    assert content_load(content_tree).ok
    html = Client().get("/en/case-studies/guessed/").content.decode()
    assert "<dd>about 2021</dd>" in html
    assert "about 2021" in Client().get("/en/case-studies/").content.decode()


@pytest.mark.parametrize(
    "extra, message",
    [
        ("year_inferred: true\n", "'year_inferred' needs a 'year' to qualify"),
        ("year: 2021\nyear_inferred: maybe\n", "'year_inferred' must be true or false"),
        ("published: 2024-13-01\n", "is not a real date (month must be in 1..12)"),
        ("published: 1 May 2024\n", "'published' must be a date written YYYY-MM-DD"),
    ],
)
def test_bad_dates_and_years_are_errors(db, content_tree, extra, message):
    write(content_tree, "en/case-studies/bad.md", CASE.format(title="Bad", extra=extra))
    assert any(message in e for e in errors_for(content_tree))


def test_home_lists_the_latest_case_studies_newest_first(db, content_tree):
    write(
        content_tree, "en/case-studies/old.md", CASE.format(title="Old story", extra="year: 2012\n")
    )
    write(
        content_tree, "en/case-studies/new.md", CASE.format(title="New story", extra="year: 2023\n")
    )
    assert content_load(content_tree).ok
    html = Client().get("/en/").content.decode()
    latest = html[html.index('id="latest-heading"') :]
    # Fixture: "open-data-portal" published 2024-01-10 and "emergency-masks" 2024-02-01; then
    # undated ones by year. Alphabetical order would put "emergency-masks" first anyway, so
    # the years decide: New (2023) before Old (2012) is not the alphabetical order.
    titles = re.findall(r'class="card-title"><a href="/en/case-studies/([^/]+)/', latest)
    assert titles == ["emergency-masks", "open-data-portal", "new"]
    assert "Newest first" in latest
    index = Client().get("/en/case-studies/").content.decode()
    order = re.findall(r'class="card-title"><a href="/en/case-studies/([^/]+)/', index)
    assert order.index("new") < order.index("old")


# --- don'ts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, old, new",
    [
        ("en/guide/plan/work-as-a-team.md", "Don't leave it", "Leave it"),
        ("es/guide/plan/work-as-a-team.md", "No lo deje", "Dejarlo"),
    ],
)
def test_every_dont_opens_with_its_languages_dont(db, content_tree, path, old, new):
    topic = content_tree / path
    topic.write_text(topic.read_text().replace(old, new))
    errors = errors_for(content_tree)
    assert any(
        e.startswith(f"{path}:") and "item 1 of 'donts' must start with" in e for e in errors
    )


# --- termbase and abbreviations -------------------------------------------------------


def test_termbase_reports_every_forbidden_variant_with_file_and_line():
    problems = [str(p) for p in termbase_problems(TERMBASE_FIXTURE, "es")]
    assert problems == [
        "es/pages/about.md:5: 'Valor por dinero' is not used for 'value for money': write "
        "'relación calidad-precio' (see es/termbase.md and the glossary)",
        "es/pages/about.md:5: 'el COVID-19' is not used for 'COVID-19': write 'la COVID-19' "
        "(see es/termbase.md and the glossary)",
        "es/pages/about.md:7: '142,000' is written the English way: write thousands as "
        "142\u00a0000 (a non-breaking space)",
        "es/pages/about.md:7: 'AI' is not used for 'AI': write 'IA' (see es/termbase.md and "
        "the glossary)",
    ]


def test_strict_translation_status_fails_on_a_forbidden_variant(capsys):
    with pytest.raises(CommandError):
        call_command("translation_status", "--strict", "--content", str(TERMBASE_FIXTURE))
    assert "es  term         es/pages/about.md:5:" in capsys.readouterr().out


def test_the_real_content_uses_one_word_per_term():
    from tests.conftest import REAL_CONTENT

    for language in ("es", "id"):
        assert [str(p) for p in termbase_problems(REAL_CONTENT, language)] == []


def test_a_languages_own_abbreviation_links_to_the_same_entry(db, content_tree):
    write(
        content_tree,
        "es/glossary.md",
        "---\ntitle: Glosario\nterms:\n  - term: OCDS\n    abbreviation: EDCA\n"
        "    expansion: Estándar de Datos para las Contrataciones Abiertas\n"
        "    definition: Un estándar abierto.\n---\n",
    )
    topic = content_tree / "es/guide/plan/work-as-a-team.md"
    topic.write_text(
        topic.read_text().replace("Publique datos con OCDS.", "Publique datos con EDCA.")
    )
    assert content_load(content_tree).ok
    html = Client().get("/es/guide/plan/work-as-a-team/").content.decode()
    assert re.search(r'<a href="/es/glossary/#ocds"><abbr title="[^"]*">EDCA</abbr></a>', html)
    assert "<dfn>EDCA</dfn> (en inglés: OCDS)" in Client().get("/es/glossary/").content.decode()
    # English keeps linking its own form.
    english = Client().get("/en/guide/plan/work-as-a-team/").content.decode()
    assert re.search(r'<a href="/en/glossary/#ocds"><abbr title="[^"]*">OCDS</abbr></a>', english)


def test_abbreviation_is_for_translations_and_short_forms(db, content_tree):
    glossary = content_tree / "en/glossary.md"
    glossary.write_text(
        glossary.read_text().replace("  - term: OCDS\n", "  - term: OCDS\n    abbreviation: X\n")
    )
    assert any("'abbreviation' is for translations" in e for e in errors_for(content_tree))


def test_the_feed_dates_entries_by_their_files_not_the_load(db, content_tree):
    es = content_tree / "es/case-studies/open-data-portal.md"
    es.write_text(es.read_text().replace("updated: 2024-03-01", "updated: 2024-04-02"))
    assert content_load(content_tree).ok
    english = Client().get("/en/case-studies/feed/").content.decode()
    spanish = Client().get("/es/case-studies/feed/").content.decode()
    entry = english[english.index("/en/case-studies/open-data-portal/") :]
    assert "<updated>2024-03-01T00:00:00" in entry.split("</entry>")[0]
    entry = spanish[spanish.index("/es/case-studies/open-data-portal/") :]
    assert "<updated>2024-04-02T00:00:00" in entry.split("</entry>")[0]
    assert "<published>2024-01-10T00:00:00" in entry.split("</entry>")[0]
    assert str(datetime.date.today()) not in english  # never the day it was loaded
