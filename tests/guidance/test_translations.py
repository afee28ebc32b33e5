"""Translation status (current / out of date / missing) and the English fallback."""

import pytest
from django.core.management import CommandError, call_command

from guidance.translations import (
    CURRENT,
    MISSING,
    OUT_OF_DATE,
    content_translation_status,
    po_entries,
)
from tests.conftest import REAL_CONTENT


def status_of(root, key, language):
    return next(
        s.status
        for s in content_translation_status(root)
        if s.key == key and s.language == language
    )


def test_current_missing_and_out_of_date(content_tree):
    assert status_of(content_tree, "guide/plan/work-as-a-team.md", "es") == CURRENT
    assert status_of(content_tree, "guide/plan/define-outcomes.md", "es") == MISSING
    english = content_tree / "en/guide/plan/work-as-a-team.md"
    english.write_text(english.read_text().replace("Teams make", "Good teams make"))
    assert status_of(content_tree, "guide/plan/work-as-a-team.md", "es") == OUT_OF_DATE


def test_strict_fails_until_the_translation_is_updated(content_tree, capsys, settings):
    with pytest.raises(CommandError):
        call_command("translation_status", "--strict", "--content", str(content_tree))
    out = capsys.readouterr().out
    assert "es  missing      guide/plan/define-outcomes.md" in out


def test_changed_english_file_makes_the_real_translations_out_of_date(tmp_path):
    import shutil

    root = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, root)
    assert status_of(root, "guide/plan/estimate-costs.md", "es") == CURRENT
    english = root / "en/guide/plan/estimate-costs.md"
    english.write_text(english.read_text() + "\nOne more sentence.\n")
    assert status_of(root, "guide/plan/estimate-costs.md", "es") == OUT_OF_DATE
    assert status_of(root, "guide/plan/estimate-costs.md", "id") == OUT_OF_DATE
    with pytest.raises(CommandError):
        call_command("translation_status", "--strict", "--content", str(root))


def test_real_translations_are_complete():
    """What `translation_status --strict` checks in CI, as a test too."""
    call_command("translation_status", "--strict")


def test_po_parser_sees_untranslated_and_fuzzy_entries():
    text = (
        'msgid ""\nmsgstr "Content-Type: text/plain"\n\n'
        'msgid "Done"\nmsgstr "Hecho"\n\n'
        'msgid "Missing"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "Adivina"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "uno"\nmsgstr[1] ""\n'
    )
    entries = {msgid: (strings, fuzzy) for msgid, strings, fuzzy in po_entries(text)}
    assert entries["Done"] == (["Hecho"], False)
    assert entries["Missing"] == ([""], False)
    assert entries["Guess"][1] is True
    assert entries["one"][0] == ["uno", ""]


def test_untranslated_page_falls_back_to_english_with_notice_and_lang(fixture_site, client):
    html = client.get("/es/guide/plan/define-outcomes/").content.decode()
    assert '<html lang="es">' in html
    notice = html.split('class="notice fallback-notice">', 1)[1].split("</p>", 1)[0]
    assert "todavía no se ha traducido" in notice  # the notice, in the visitor's language
    assert "<h1>Define outcomes</h1>" in html
    assert 'lang="en"' in html
    # Interface strings around it are still Spanish.
    assert '<h2 id="what">Qué significa</h2>' in html


def test_translated_page_has_no_fallback_notice(fixture_site, client):
    html = client.get("/es/guide/plan/work-as-a-team/").content.decode()
    assert "fallback-notice" not in html
    assert "<h1>Trabaje en equipo</h1>" in html
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    assert 'lang="en"' not in article
    # The next topic has no Spanish yet: its title in the pager is marked as English.
    assert '<span lang="en">Define outcomes</span>' in html


def test_indonesian_has_no_translation_in_the_fixture_so_all_is_fallback(fixture_site, client):
    html = client.get("/id/guide/buy/evaluate-bids/").content.decode()
    assert '<html lang="id">' in html and "fallback-notice" in html
    main = html.split("<main", 1)[1]
    assert '<header lang="en">' in main


def test_links_in_an_english_fallback_lead_to_pages_in_the_visitors_language(fixture_site, client):
    # The Buy stage has no Spanish text: its overview is shown in English, but its links
    # (and the glossary links on an untranslated topic) keep the reader in Spanish.
    html = client.get("/id/guide/plan/work-as-a-team/").content.decode()
    assert 'href="/id/glossary/#framework-agreement"' in html
    assert 'href="/en/glossary/' not in html


def test_compile_translations_needs_no_gettext_and_leaves_out_guesses(tmp_path, settings):
    """`make run` compiles the catalogues with polib; the result reads like msgfmt's."""
    import gettext

    po = tmp_path / "demo" / "locale" / "es" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Stage"\nmsgstr "Etapa"\n\n'
        '#, fuzzy\nmsgid "Topic"\nmsgstr "Tema adivinado"\n\n'
        'msgid "%(n)s case study"\nmsgid_plural "%(n)s case studies"\n'
        'msgstr[0] "%(n)s caso"\nmsgstr[1] "%(n)s casos"\n',
        encoding="utf-8",
    )
    (tmp_path / ".venv" / "x" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / ".venv" / "x" / "LC_MESSAGES" / "django.po").write_text("not a catalogue")
    settings.BASE_DIR = tmp_path
    call_command("compile_translations", verbosity=0)
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert compiled.gettext("Stage") == "Etapa"
    assert compiled.gettext("Topic") == "Topic"  # fuzzy: English, not the guess
    assert compiled.ngettext("%(n)s case study", "%(n)s case studies", 3) == "%(n)s casos"
    assert not (tmp_path / ".venv" / "x" / "LC_MESSAGES" / "django.mo").exists()
