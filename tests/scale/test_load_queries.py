"""load_content at scale: the queries of a load grow with batches, never with case studies.

Each comparison loads a few generated case studies, then ten times as many, and asserts
the larger load takes no more queries than the smaller one (both fit one batch).
"""

import math

from django.db import connection

from buyingguide.loading import content_load
from buyingguide.models import SearchEntry
from casestudies.models import CaseStudy
from tests.scale.tree import scaled_content_tree, scaled_slug

FEW, MANY = 5, 50
TAG_KINDS = 4


def extra_batches(*kinds) -> int:
    """How many more INSERT/UPDATE batches `(model, rows_many, rows_few, updating)` need
    for the many rows than for the few: none on PostgreSQL; on SQLite its limit on query
    parameters makes batches of a few rows."""
    extra = 0
    for model, many, few, updating in kinds:
        fields = list(model._meta.concrete_fields) * (2 if updating else 1)  # CASE WHEN … THEN
        for rows, sign in ((many, 1), (few, -1)):
            size = connection.ops.bulk_batch_size(fields, [None] * rows) or rows
            cap = 1000 if model is SearchEntry else 500  # the batch sizes the code asks for
            extra += sign * math.ceil(rows / min(size, cap))
    return extra


def load(root):
    report = content_load(root)
    assert report.ok, [str(e) for e in report.errors[:3]]
    return report


def count_queries(django_assert_max_num_queries, root):
    with django_assert_max_num_queries(10_000) as captured:
        report = load(root)
    return len(captured.captured_queries), report


def test_load_and_reload_queries_do_not_grow_with_case_studies(
    db, tmp_path, django_assert_max_num_queries
):
    load(scaled_content_tree(tmp_path / "base", 0))

    few = scaled_content_tree(tmp_path / "few", FEW)
    created_few, report = count_queries(django_assert_max_num_queries, few)
    assert report.stats[("case study", "id", "created")] == FEW
    unchanged_few, report = count_queries(django_assert_max_num_queries, few)
    assert not report.stats.changed
    many = scaled_content_tree(tmp_path / "many", FEW + MANY)
    entries_few = SearchEntry.objects.count()
    entries_many = entries_few + 3 * MANY  # one per case study and language
    batches = extra_batches(
        (CaseStudy, MANY, FEW, False), (SearchEntry, entries_many, entries_few, False)
    )
    # + one INSERT per tag kind (topics, stages, themes, notes) that the few had no rows of.
    with django_assert_max_num_queries(created_few + batches + TAG_KINDS):
        report = load(many)
    assert SearchEntry.objects.count() == entries_many
    assert report.stats[("case study", "id", "created")] == MANY
    assert CaseStudy.objects.get(slug=scaled_slug(FEW + MANY)).topics.exists()

    # An unchanged reload: a constant number of queries, whatever the number of files.
    with django_assert_max_num_queries(unchanged_few):
        report = load(many)
    assert not report.stats.changed

    # Edited files: a few, then all of them, in the same number of queries.
    edited_few, report = count_queries(
        django_assert_max_num_queries, scaled_content_tree(tmp_path / "e1", FEW + MANY, edited=FEW)
    )
    assert report.stats[("case study", "en", "updated")] == FEW
    # + one INSERT per tag kind the few edited ones had no rows of (their templates have no
    # project-proposal notes, later ones do): rows per kind never add queries.
    edited_many = edited_few + extra_batches((CaseStudy, MANY, FEW, True)) + TAG_KINDS
    with django_assert_max_num_queries(edited_many):
        report = load(scaled_content_tree(tmp_path / "e2", FEW + MANY, edited=FEW + MANY))
    assert report.stats[("case study", "en", "updated")] == MANY  # the first FEW already were
    revised = CaseStudy.objects.get(slug=scaled_slug(FEW + MANY))
    assert "revised" in revised.title_en and "revised" in revised.title_es


def test_unchanged_reload_renders_only_what_a_change_reaches(db, tmp_path, monkeypatch):
    root = scaled_content_tree(tmp_path / "tree", FEW)
    linking = root / "en" / "case-studies" / f"{scaled_slug(1)}.md"
    linking.write_text(
        linking.read_text("utf-8") + f"\nSee [a similar case](/case-studies/{scaled_slug(2)}/).\n",
        encoding="utf-8",
    )
    load(root)
    from casestudies import loader

    rendered = []
    real = loader._render_case
    monkeypatch.setattr(
        loader, "_render_case", lambda case, *a: rendered.append(case.slug) or real(case, *a)
    )
    load(root)
    assert rendered == []

    # A new case study is rendered; the others, whose links all still lead somewhere, not.
    scaled_content_tree(root, FEW + 1)
    linking.write_text(
        linking.read_text("utf-8") + f"\nSee [a similar case](/case-studies/{scaled_slug(2)}/).\n",
        encoding="utf-8",
    )
    load(root)
    assert rendered == [scaled_slug(FEW + 1)]

    # Removing the case study it links to: the unchanged file is checked again, and refused.
    rendered.clear()
    for language in ("en", "es", "id"):
        (root / language / "case-studies" / f"{scaled_slug(2)}.md").unlink(missing_ok=True)
    report = content_load(root)
    assert rendered == [scaled_slug(1)]
    assert any(
        "broken internal link" in str(error) and scaled_slug(1) in str(error)
        for error in report.errors
    )


def test_a_glossary_change_renders_every_story_again(db, tmp_path, monkeypatch):
    root = scaled_content_tree(tmp_path / "tree", FEW)
    load(root)
    from casestudies import loader

    rendered = []
    real = loader._render_case
    monkeypatch.setattr(
        loader, "_render_case", lambda case, *a: rendered.append(case.slug) or real(case, *a)
    )
    glossary = root / "en" / "glossary.md"
    glossary.write_text(glossary.read_text("utf-8").replace("definition:", "definition: ", 1))
    load(root)
    assert len(rendered) == CaseStudy.objects.filter(source=CaseStudy.FROM_FILE).count()
