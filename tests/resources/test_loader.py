"""Loading the resource library: validation with file and line, all or nothing, round trip."""

import io

from django.core.management import call_command

from buyingguide.loading import content_load
from resources.export import resources_export
from resources.models import Resource
from resources.services import resource_render
from tests.conftest import write
from tests.resources.conftest import ROWS, catalogue, write_library


def messages(report):
    return [str(error) for error in report.errors]


def test_a_valid_library_loads_with_its_topics_and_annotations(library_tree, db):
    report = content_load(library_tree)
    assert report.ok, messages(report)
    assert report.stats[("resource", "en", "created")] == 3
    toolkit = Resource.objects.get(slug="open-toolkit")
    assert toolkit.title == "Open Source Toolkit, with commas"  # quoted CSV cell kept whole
    assert (toolkit.kind, toolkit.region, toolkit.year) == ("toolkit", "europe", 2019)
    assert toolkit.language_codes == ["en", "fr"] and toolkit.title_language == "en"
    assert [t.key for t in toolkit.topics.all()] == ["plan/work-as-a-team"]
    # Internal links get the reader's language, as everywhere in the guide.
    assert 'href="/en/guide/plan/work-as-a-team/"' in toolkit.annotation_html_en
    assert "código abierto" in toolkit.annotation_html_es
    assert not toolkit.annotation_html_ind  # no Indonesian: the English one is shown
    standard = Resource.objects.get(slug="city-standard")
    assert standard.year is None
    assert sorted(t.key for t in standard.topics.all()) == [
        "buy/evaluate-bids",
        "plan/define-outcomes",
    ]
    # A second load with nothing changed writes nothing.
    again = content_load(library_tree)
    assert not again.stats.changed


def test_every_bad_row_is_named_with_its_line_and_nothing_is_written(library_tree, db):
    assert content_load(library_tree).ok
    before = {r.slug: (r.url, r.annotation_en) for r in Resource.objects.all()}
    bad = [
        dict(ROWS[0], title="Changed title"),  # a good change that must not land either
        dict(ROWS[1], url="http://example.org/insecure"),
        dict(ROWS[2], type="podcast", region="mars", year="20x0", languages="en xx"),
        dict(ROWS[2], slug="copy-of-toolkit", url="https://EXAMPLE.org/toolkit/"),
        dict(ROWS[1], slug="no-topic", url="https://example.org/other", topics="plan/nope"),
        dict(ROWS[1], slug="Bad Slug", url="https://example.org/bad"),
        dict(ROWS[1], slug="spaced", url="https://example.org/a b"),
    ]
    write(library_tree, "en/resources.csv", catalogue(bad))
    write(library_tree, "en/resources/copy-of-toolkit.md", "---\n---\nA copy.\n")
    write(library_tree, "en/resources/no-topic.md", "---\n---\nNo topic.\n")
    write(library_tree, "en/resources/spaced.md", "---\n---\nSpaced.\n")
    report = content_load(library_tree)
    found = messages(report)
    expected = [
        "en/resources.csv:3: resource 'city-standard': 'url': the address must start with https://",
        "en/resources.csv:4: resource 'latin-dataset': unknown type 'podcast'",
        "en/resources.csv:4: resource 'latin-dataset': unknown region 'mars'",
        "en/resources.csv:4: resource 'latin-dataset': 'year' must be a four-digit year",
        "en/resources.csv:4: resource 'latin-dataset': unknown language code 'xx'",
        "en/resources.csv:5: duplicate address: https://EXAMPLE.org/toolkit/ is already the "
        "address of the resource 'open-toolkit'",
        "en/resources.csv:6: resource 'no-topic': unknown topic 'plan/nope'",
        "en/resources.csv:7: 'Bad Slug' is not a valid slug",
        "en/resources.csv:8: resource 'spaced': 'url': the address contains a space",
    ]
    for start in expected:
        assert any(message.startswith(start) for message in found), (start, found)
    # All or nothing: the database is exactly as before, including the good change.
    assert {r.slug: (r.url, r.annotation_en) for r in Resource.objects.all()} == before
    assert Resource.objects.get(slug="open-toolkit").title == ROWS[0]["title"]


def test_rows_and_annotation_files_must_match(library_tree, db):
    (library_tree / "en/resources/city-standard.md").unlink()
    (library_tree / "es/resources/city-standard.md").unlink(missing_ok=True)
    write(library_tree, "en/resources/orphan.md", "---\n---\nNo row names me.\n")
    write(library_tree, "es/resources/latin-dataset.md", "---\nsource_hash: x\n---\n\n")
    found = messages(content_load(library_tree))
    assert any(
        m.startswith("en/resources.csv:3: the resource 'city-standard' has no annotation")
        for m in found
    ), found
    assert any(m.startswith("en/resources/orphan.md: no row of en/resources.csv") for m in found)
    assert any(
        m.startswith("es/resources/latin-dataset.md:4: the annotation is missing") for m in found
    )
    assert not Resource.objects.exists()


def test_a_catalogue_without_its_columns_or_with_stray_cells_is_refused(library_tree, db):
    write(library_tree, "en/resources.csv", "name,link\nx,https://example.org\n")
    found = messages(content_load(library_tree))
    assert any(
        m.startswith("en/resources.csv:1: the first line must name the columns") for m in found
    )
    text = catalogue(ROWS).replace("A Government,", "A Government, Ltd,", 1)
    write(library_tree, "en/resources.csv", text)
    found = messages(content_load(library_tree))
    assert any(
        "en/resources.csv:2: this row has more cells than there are columns" in m for m in found
    )
    assert not Resource.objects.exists()


def test_hostile_annotation_is_shown_as_text_and_dangerous_links_are_dropped(library_tree, db):
    write(
        library_tree,
        "en/resources/city-standard.md",
        "---\n---\n<script>alert(1)</script> [click](javascript:alert(1)) "
        "<img src=x onerror=alert(1)>\n",
    )
    assert content_load(library_tree).ok
    html = Resource.objects.get(slug="city-standard").annotation_html_en
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html


def test_a_removed_row_removes_its_resource(library_tree, db):
    assert content_load(library_tree).ok
    write_library(library_tree, rows=ROWS[:2], annotations={})
    for language in ("en", "es", "id"):
        (library_tree / f"{language}/resources/latin-dataset.md").unlink()
    report = content_load(library_tree)
    assert report.ok, messages(report)
    assert report.stats[("resource", "en", "removed")] == 1
    assert not Resource.objects.filter(slug="latin-dataset").exists()


def test_admin_edit_is_kept_then_exported_and_loaded_without_change(library_tree, db, capsys):
    call_command("load_content", str(library_tree), stdout=io.StringIO())
    resource = Resource.objects.get(slug="open-toolkit")
    resource.annotation_en = "An editor's better note."
    resource.annotation_ind = "Catatan editor."
    resource_render(resource)  # what the admin's save does
    resource.save()
    made = Resource.objects.create(
        slug="made-in-admin",
        title="Made in the admin",
        publisher="An editor",
        kind="guide",
        region="africa",
        languages="en",
        url="https://example.org/made",
        group="other-useful-sources",
        annotation_en="Written in the admin.",
    )
    resource_render(made)
    made.save()
    made.topics.set([resource.topics.get()])
    # The file changes too: the load must not overwrite the editor's version.
    rows = [dict(ROWS[0], title="Changed in the file"), *ROWS[1:]]
    write(library_tree, "en/resources.csv", catalogue(rows))
    capsys.readouterr()
    call_command("load_content", str(library_tree))
    err = capsys.readouterr().err
    assert "conflict: resource 'open-toolkit'" in err and "export_resources" in err
    resource.refresh_from_db()
    assert resource.annotation_en == "An editor's better note."
    assert resource.title == ROWS[0]["title"]
    # Export writes the editor's work back; the next load finds nothing to change.
    written = resources_export(library_tree)
    names = {p.relative_to(library_tree).as_posix() for p in written}
    assert {"en/resources/open-toolkit.md", "id/resources/open-toolkit.md"} <= names
    assert {"en/resources/made-in-admin.md", "en/resources.csv"} <= names
    report = content_load(library_tree)
    assert report.ok and not report.conflicts, messages(report)
    assert not report.stats.changed
    assert Resource.objects.get(slug="made-in-admin").source == Resource.FROM_FILE
    assert not resources_export(library_tree)  # nothing left to export
    assert Resource.objects.get(slug="open-toolkit").annotation_ind == "Catatan editor."


def test_force_takes_the_file(library_tree, db):
    assert content_load(library_tree).ok
    Resource.objects.filter(slug="open-toolkit").update(annotation_en="Edited.")
    write(library_tree, "en/resources/open-toolkit.md", "---\n---\nThe file's new note.\n")
    assert [c.slug for c in content_load(library_tree).conflicts] == ["open-toolkit"]
    assert Resource.objects.get(slug="open-toolkit").annotation_en == "Edited."
    assert content_load(library_tree, force=True).ok
    assert "new note" in Resource.objects.get(slug="open-toolkit").annotation_html_en
