"""Editors' work is never destroyed: conflicts, --force, export_content round trip."""

from django.core.management import call_command

from buyingguide.loading import content_load
from casestudies import services
from casestudies.export import case_studies_export
from casestudies.models import CaseStudy, Theme
from guidance.models import Topic


def test_admin_edit_is_kept_and_reported_as_a_conflict(content_tree, db, capsys):
    call_command("load_content", str(content_tree))
    case = CaseStudy.objects.get(slug="open-data-portal")
    case.title_en = "Edited by an editor"
    case.save()
    path = content_tree / "en/case-studies/open-data-portal.md"
    path.write_text(path.read_text().replace("Savings of 10%.", "Savings of 12%."))
    capsys.readouterr()
    call_command("load_content", str(content_tree))
    captured = capsys.readouterr()
    assert "conflict: case study 'open-data-portal'" in captured.err
    assert "export_content" in captured.err and "--force" in captured.err
    case.refresh_from_db()
    assert case.title_en == "Edited by an editor"
    assert "12%" not in case.body_html_en


def test_force_takes_the_file(content_tree, db):
    call_command("load_content", str(content_tree))
    case = CaseStudy.objects.get(slug="open-data-portal")
    case.title_en = "Edited by an editor"
    case.save()
    call_command("load_content", str(content_tree), "--force")
    case.refresh_from_db()
    assert case.title_en == "A city publishes its contracts"
    # After --force the database matches the file again: the next load is clean.
    report = content_load(content_tree)
    assert not report.conflicts and not report.stats.changed


def test_unedited_case_study_is_updated_from_its_file(content_tree, db):
    call_command("load_content", str(content_tree))
    path = content_tree / "en/case-studies/open-data-portal.md"
    path.write_text(path.read_text().replace("Savings of 10%.", "Savings of 12%."))
    report = content_load(content_tree)
    assert not report.conflicts
    assert "12%" in CaseStudy.objects.get(slug="open-data-portal").body_html_en


def test_removed_file_of_an_edited_case_study_is_a_conflict_not_a_deletion(content_tree, db):
    call_command("load_content", str(content_tree))
    case = CaseStudy.objects.get(slug="emergency-masks")
    case.summary_en = "An editor improved this."
    case.save()
    (content_tree / "en/case-studies/emergency-masks.md").unlink()
    report = content_load(content_tree)
    assert [c.slug for c in report.conflicts] == ["emergency-masks"]
    assert CaseStudy.objects.filter(slug="emergency-masks").exists()


def test_case_study_made_in_the_admin_is_not_removed_by_a_load(content_tree, db):
    call_command("load_content", str(content_tree))
    CaseStudy.objects.create(
        slug="from-admin",
        title_en="From the admin",
        summary_en="S",
        country="GB",
        organisation_en="O",
    )
    content_load(content_tree)
    assert CaseStudy.objects.filter(slug="from-admin").exists()


def test_export_then_load_is_a_round_trip_with_no_change(content_tree, db):
    call_command("load_content", str(content_tree))
    topic = Topic.objects.get(slug="evaluate-bids")
    case = CaseStudy(
        slug="admin-made",
        title_en="Made in the admin",
        title_es="Hecho en el admin",
        summary_en="Summary",
        summary_es="Resumen",
        body_en="## The problem\n\nA problem.",
        body_es="## El problema\n\nUn problema.",
        country="NG",
        organisation_en="Bureau",
        organisation_es="Oficina",
        year=2021,
        status=CaseStudy.PUBLISHED,
    )
    # The admin's save: Markdown rendered, tags and stages set, search and version told.
    services.case_study_save(case, topics=[topic], themes=[Theme.objects.get(slug="emergency")])
    assert case.body_html_es == '<h2 id="el-problema">El problema</h2>\n<p>Un problema.</p>'
    assert list(case.stages.all()) == [topic.stage]
    written = case_studies_export(content_tree)
    names = sorted(p.relative_to(content_tree).as_posix() for p in written)
    assert names == ["en/case-studies/admin-made.md", "es/case-studies/admin-made.md"]
    report = content_load(content_tree)
    assert not report.conflicts
    assert report.stats[("case study", "en", "unchanged")] == 3
    assert not report.stats.changed
    case.refresh_from_db()
    assert case.source == CaseStudy.FROM_FILE
    assert case.title_es == "Hecho en el admin"
    # And the exported translation is current.
    from guidance.translations import CURRENT, content_translation_status

    status = {(s.key, s.language): s.status for s in content_translation_status(content_tree)}
    assert status[("case-studies/admin-made.md", "es")] == CURRENT


def test_export_command_says_when_there_is_nothing_to_export(content_tree, db, capsys):
    call_command("load_content", str(content_tree))
    call_command("export_content", str(content_tree))
    assert "Nothing to export" in capsys.readouterr().out


def test_theme_made_in_the_admin_survives_a_load_and_is_exported(content_tree, db, capsys):
    call_command("load_content", str(content_tree))
    theme = Theme.objects.create(
        slug="ai", name_en="Artificial intelligence", name_es="Inteligencia artificial", order=9
    )
    case = CaseStudy.objects.get(slug="open-data-portal")
    case.themes.add(theme)
    capsys.readouterr()
    call_command("load_content", str(content_tree))
    assert "conflict: theme 'ai'" in capsys.readouterr().err
    assert Theme.objects.filter(slug="ai").exists()
    assert case.themes.filter(slug="ai").exists()
    # export_content writes themes.md (all languages) with the new theme: then a load is clean.
    call_command("export_content", str(content_tree))
    assert "slug: ai" in (content_tree / "en/themes.md").read_text()
    assert "Inteligencia artificial" in (content_tree / "es/themes.md").read_text()
    report = content_load(content_tree)
    assert not report.errors and not report.conflicts
    assert Theme.objects.get(slug="ai").name_es == "Inteligencia artificial"


def test_unused_theme_missing_from_the_file_is_removed(content_tree, db):
    call_command("load_content", str(content_tree))
    Theme.objects.create(slug="unused", name_en="Unused")
    content_load(content_tree)
    assert not Theme.objects.filter(slug="unused").exists()
