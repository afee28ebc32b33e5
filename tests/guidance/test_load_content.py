"""load_content: validation errors, atomicity, idempotency, summary, --language, --dry-run."""

import pytest
from django.core.management import CommandError, call_command

from buyingguide.loading import content_load
from casestudies.models import CaseStudy, Theme
from guidance.models import ChecklistItem, GlossaryTerm, Page, Stage, Topic
from tests.conftest import FIXTURE_CONTENT, declare_change, write


def snapshot():
    """Everything a visitor could see, to prove a failed load changed nothing."""
    return (
        sorted(Stage.objects.values_list("slug", "title_en", "title_es")),
        sorted(Topic.objects.values_list("slug", "title_en", "why_html_en", "position")),
        sorted(ChecklistItem.objects.values_list("topic__slug", "kind", "order", "text_en")),
        sorted(GlossaryTerm.objects.values_list("slug", "definition_en")),
        sorted(Page.objects.values_list("slug", "title_en")),
        sorted(CaseStudy.objects.values_list("slug", "title_en", "body_html_en")),
        sorted(Theme.objects.values_list("slug", "name_en")),
    )


def errors_for(root):
    report = content_load(root)
    assert not report.ok
    return [str(e) for e in report.errors]


def test_loads_the_fixture_and_prints_a_summary(db, capsys):
    call_command("load_content", str(FIXTURE_CONTENT))
    out = capsys.readouterr().out
    assert "17 files read" in out
    assert "topic         en                  3" in out
    assert "case study    es                  1" in out
    assert Topic.objects.count() == 3
    assert ChecklistItem.objects.filter(topic__slug="work-as-a-team").count() == 3


def test_second_run_writes_nothing_and_says_so(db, capsys):
    call_command("load_content", str(FIXTURE_CONTENT))
    capsys.readouterr()
    from guidance.version import content_version

    before = content_version()
    call_command("load_content", str(FIXTURE_CONTENT))
    out = capsys.readouterr().out
    assert "No changes: the database already matches the content files." in out
    assert " created" in out  # the table header is still printed
    for line in out.splitlines()[2:-1]:
        created, updated = line.split()[-5:-3]
        assert (created, updated) == ("0", "0"), line
    assert content_version() == before


def test_changed_file_is_reported_as_updated(content_tree, db, capsys):
    call_command("load_content", str(content_tree))
    path = content_tree / "en/guide/buy/evaluate-bids.md"
    path.write_text(path.read_text().replace("Score every bid fairly.", "Score bids fairly."))
    declare_change(path)
    capsys.readouterr()
    call_command("load_content", str(content_tree))
    out = capsys.readouterr().out
    assert "topic         en                  0          1          2" in out
    assert Topic.objects.get(slug="evaluate-bids").summary_en == "Score bids fairly."


def test_removed_file_is_removed(content_tree, db, capsys):
    call_command("load_content", str(content_tree))
    (content_tree / "en/guide/plan/define-outcomes.md").unlink()
    call_command("load_content", str(content_tree))
    assert "removed" in capsys.readouterr().out
    assert not Topic.objects.filter(slug="define-outcomes").exists()


def test_dry_run_writes_nothing(db, capsys):
    call_command("load_content", str(FIXTURE_CONTENT), "--dry-run")
    assert "dry run, nothing written" in capsys.readouterr().out
    assert Topic.objects.count() == 0


def test_language_option_loads_only_that_translation(db):
    call_command("load_content", str(FIXTURE_CONTENT), "--language", "en")
    topic = Topic.objects.get(slug="work-as-a-team")
    assert topic.title_en == "Work as a team" and not topic.title_es
    call_command("load_content", str(FIXTURE_CONTENT), "--language", "es")
    topic.refresh_from_db()
    assert topic.title_es == "Trabaje en equipo"


# --- one test per error kind: exit status, message names the file, database unchanged -------


ERROR_CASES = {
    "yaml syntax": (
        "en/guide/plan/define-outcomes.md",
        "---\ntitle: Define: outcomes: bad\n  - x\nsummary: [\n---\nBody\n",
        "YAML syntax error",
        ":2",
    ),
    "missing field": (
        "en/guide/plan/define-outcomes.md",
        "---\ntitle: Define outcomes\norder: 2\ndos: [a]\ndonts: [b]\n---\n"
        "## Why\n\nx\n\n## What\n\ny\n",
        "the required field 'summary' is missing or empty",
        None,
    ),
    "empty field": (
        "en/guide/plan/define-outcomes.md",
        "---\ntitle: ''\nsummary: s\norder: 2\ndos: [a]\ndonts: [b]\n---\n"
        "## Why\n\nx\n\n## What\n\ny\n",
        "the required field 'title' is missing or empty",
        None,
    ),
    "unknown stage": (
        "en/guide/nowhere/orphan.md",
        "---\ntitle: T\nsummary: S\norder: 1\ndos: [a]\ndonts: [b]\n---\n"
        "## Why\n\nx\n\n## What\n\ny\n",
        "unknown stage 'nowhere'",
        None,
    ),
    "unknown topic": (
        "en/case-studies/bad-topic.md",
        "---\ntitle: T\nsummary: S\ncountry: MX\norganisation: O\n"
        "published: 2024-01-01\ntopics:\n  - plan/no-such-topic\nthemes: [open-data]\n"
        "---\nBody\n",
        "unknown topic 'plan/no-such-topic'",
        ":8",
    ),
    "unknown theme": (
        "en/case-studies/bad-theme.md",
        "---\ntitle: T\nsummary: S\ncountry: MX\norganisation: O\n"
        "published: 2024-01-01\ntopics: [plan/work-as-a-team]\nthemes:\n"
        "  - no-such-theme\n---\nBody\n",
        "unknown theme 'no-such-theme'",
        ":9",
    ),
    "duplicate slug": (
        "en/glossary.md",
        "---\ntitle: G\nterms:\n  - term: OCDS\n    definition: a\n"
        "  - term: ocds\n    definition: b\n---\n",
        "duplicate glossary term 'ocds'",
        ":6",
    ),
    "translation without original": (
        "es/guide/plan/no-english.md",
        "---\ntitle: T\nsummary: S\n---\nx\n",
        "this translation has no English original",
        None,
    ),
    "broken internal link": (
        "en/guide/buy/_stage.md",
        "---\ntitle: Buy\nsummary: S\norder: 2\nupdated: 2024-03-01\n---\n\n"
        "See [this](/guide/buy/no-such-page/).\n",
        "broken internal link '/guide/buy/no-such-page/'",
        ":8",
    ),
    "broken glossary anchor": (
        "en/pages/about.md",
        "---\ntitle: About\nupdated: 2024-03-01\n---\nSee [x](/glossary/#nope).\n",
        "broken internal link '/glossary/#nope'",
        ":5",
    ),
    "unexpected place": ("en/stray/notes.md", "---\ntitle: x\n---\n", "unexpected place", None),
    "unexpected language folder": (
        "fr/pages/about.md",
        "---\ntitle: x\n---\n",
        "unexpected place",
        None,
    ),
    "wrong headings": (
        "en/guide/buy/evaluate-bids.md",
        "---\ntitle: T\nsummary: S\norder: 1\ndos: [a]\ndonts: [b]\n---\nOnly text, no headings.\n",
        "exactly two '## ' headings",
        None,
    ),
    "unknown country": (
        "en/case-studies/bad-country.md",
        "---\ntitle: T\nsummary: S\ncountry: ZZ\norganisation: O\n"
        "published: 2024-01-01\ntopics: [plan/work-as-a-team]\n"
        "themes: [open-data]\n---\nBody\n",
        "unknown country code 'ZZ'",
        ":4",
    ),
}


@pytest.mark.parametrize("case", ERROR_CASES)
def test_bad_file_stops_the_load_and_changes_nothing(content_tree, db, capsys, case):
    call_command("load_content", str(content_tree))
    before = snapshot()
    rel, text, message, line = ERROR_CASES[case]
    write(content_tree, rel, text)
    with pytest.raises(CommandError) as excinfo:
        call_command("load_content", str(content_tree))
    err = capsys.readouterr().err
    assert "nothing was loaded" in str(excinfo.value)
    assert rel in err, err
    assert message in err, err
    if line:
        assert f"{rel}{line}:" in err, err
    assert snapshot() == before


def test_last_file_broken_means_nothing_is_written(content_tree, db):
    """Atomicity: every other file is fine and new, yet nothing reaches the database."""
    # "zz" sorts last: the broken file is read after every valid one.
    write(content_tree, "en/case-studies/zz-broken.md", "---\ntitle: [unclosed\n---\n")
    with pytest.raises(CommandError):
        call_command("load_content", str(content_tree))
    assert snapshot() == ([], [], [], [], [], [], [])


def test_error_in_translation_names_that_file(content_tree, db):
    write(content_tree, "es/pages/about.md", "---\nsummary: sin título\n---\nx\n")
    errors = errors_for(content_tree)
    assert any(e.startswith("es/pages/about.md") and "'title'" in e for e in errors)


def test_glossary_translation_must_keep_english_terms(content_tree, db):
    write(
        content_tree,
        "es/glossary.md",
        "---\ntitle: Glosario\nterms:\n  - term: Acuerdo marco\n    definition: x\n---\n",
    )
    errors = errors_for(content_tree)
    assert any("'Acuerdo marco' is not in the English glossary" in e for e in errors)
