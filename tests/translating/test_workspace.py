"""The translators' workspace: what changed in English, on the command line and in the admin."""

import contextlib
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from casestudies.models import CaseStudy
from guidance.translation_diff import ADDED, CHANGED, REMOVED, items_diff
from guidance.translations import sources_missing, sources_record
from tests.conftest import REAL_CONTENT
from translating.checks import unmarked_in_template, unmarked_template_strings

PAGE = "/admin/translating/translationstatus/"
TEAM = "guide/plan/work-as-a-team.md"
PASSWORD = "a-long-translator-password-42"


@pytest.fixture
def tree(content_tree, tmp_path, settings):
    """The fixture content with its translations' English versions kept, as after --record."""
    sources = tmp_path / "sources"
    sources_record(root=content_tree, sources=sources)
    settings.CONTENT_DIR = content_tree
    settings.TRANSLATION_SOURCES_DIR = sources
    return content_tree


def status(*args) -> str:
    out = io.StringIO()
    # --strict would fail when something is to do; here the text is the point.
    with contextlib.suppress(CommandError):
        call_command("translation_status", *args, stdout=out)
    return out.getvalue()


def change_english(root, old, new):
    path = root / "en" / TEAM
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_the_difference_names_exactly_the_changed_item_and_both_lines(tree):
    english = (tree / "en" / TEAM).read_text()
    line = next(n for n, text in enumerate(english.splitlines(), 1) if "Teams make" in text)
    change_english(tree, "Teams make", "Good teams make")
    out = status("--diff", "--language", "es")
    assert f"es  out of date  {TEAM}" in out
    block = out.split(TEAM, 1)[1].split("\nes:", 1)[0]
    assert f"content/en/{TEAM}:{line} → content/es/{TEAM}, at line" in block
    assert re.search(r"changed: “Teams make.*” → “Good teams make", block)
    assert block.count("changed:") == 1 and "added:" not in block and "removed:" not in block


def test_added_removed_and_changed_items_are_told_apart():
    old = "---\ntitle: T\ndos:\n  - Keep this.\n  - Drop this.\ndonts:\n  - Don't stop.\n---\n"
    old += "## Why\n\nFirst paragraph.\n\n- a list item\n"
    new = old.replace("  - Drop this.\n", "").replace("Don't stop.", "Don't ever stop.")
    new += "\nA new closing paragraph.\n"
    changes = {(c.kind, c.label): c for c in items_diff(old, new).changes}
    assert set(changes) == {(REMOVED, "do"), (CHANGED, "don't"), (ADDED, "paragraph")}
    assert changes[(CHANGED, "don't")].old == "Don't stop."
    assert changes[(CHANGED, "don't")].new == "Don't ever stop."


def test_a_change_to_shared_values_only_says_there_is_nothing_to_translate(tree):
    change_english(tree, "updated: 2024-03-01", "updated: 2030-01-01")
    out = status("--diff", "--language", "es")
    assert "no text to translate changed" in out


def test_without_the_kept_version_it_says_so_and_what_to_compare(tree, settings, tmp_path):
    settings.TRANSLATION_SOURCES_DIR = tmp_path / "empty"
    change_english(tree, "Teams make", "Good teams make")
    out = status("--diff", "--language", "es")
    assert "is not kept" in out and f"compare the whole of content/en/{TEAM}" in out


def test_a_tampered_kept_version_is_not_trusted(tree, settings):
    sources = settings.TRANSLATION_SOURCES_DIR
    for path in sources.glob("*.md"):
        path.write_text(path.read_text() + "\nInjected.\n")
    change_english(tree, "Teams make", "Good teams make")
    assert "is not kept" in status("--diff", "--language", "es")


def test_record_keeps_each_version_once(content_tree, tmp_path):
    sources = tmp_path / "s"
    first = sources_record(root=content_tree, sources=sources)
    assert first > 0 and sources_record(root=content_tree, sources=sources) == 0
    assert not sources_missing(root=content_tree, sources=sources)


def test_the_real_translations_have_their_english_versions_kept():
    """Else a later English change could not be shown: run translation_status --record."""
    from django.conf import settings

    missing = sources_missing(root=REAL_CONTENT, sources=settings.TRANSLATION_SOURCES_DIR)
    assert not missing, [f"{m.language}/{m.key}" for m in missing]


# --- interface strings and templates ------------------------------------------------------


def test_a_template_string_not_marked_for_translation_is_found():
    template = (
        "{% load i18n %}<h1>{% translate 'Fine' %}</h1>\n<p>Forgotten words</p>\n"
        '<img src="x.png" alt="A photo">\n<code>python manage.py</code>\n'
        "{% blocktranslate %}Also fine{% endblocktranslate %}<p>{{ value }} · 12</p>\n"
        '<input type="submit" value="Send">'
    )
    found = unmarked_in_template(template)
    assert [text for _line, text in found] == ["Forgotten words", "A photo", "Send"]
    assert [line for line, _text in found] == [2, 3, 6]


def test_no_template_of_the_project_has_unmarked_text(settings):
    assert not [str(u) for u in unmarked_template_strings(base=settings.BASE_DIR)]


def test_the_status_fails_on_a_fixture_template(settings, tmp_path, monkeypatch):
    bad = tmp_path / "app" / "templates" / "bad.html"
    bad.parent.mkdir(parents=True)
    bad.write_text("<p>Not translated</p>")
    found = unmarked_template_strings(base=tmp_path)
    assert [str(u) for u in found] == [
        "app/templates/bad.html:1: “Not translated” is not marked for translation"
    ]


# --- the admin page -----------------------------------------------------------------------


@pytest.fixture
def translator(db, django_user_model):
    call_command("create_editor", "budi", "--translator", "--password", PASSWORD,
                 stdout=io.StringIO())  # fmt: skip
    client = Client()
    client.force_login(django_user_model.objects.get(username="budi"))
    return client


def test_translators_read_the_page_and_change_nothing(translator, fixture_site, tree):
    change_english(tree, "Teams make", "Good teams make")
    html = translator.get(PAGE).content.decode()
    assert "Good teams make" in html and "<del>" in html and "<ins>" in html
    assert "guide/plan/define-outcomes.md" in html  # missing in Spanish: visitors see English
    case = CaseStudy.objects.get(slug="open-data-portal")
    change = f"/admin/casestudies/casestudy/{case.pk}/change/"
    assert translator.get(change).status_code == 200  # read ...
    before = case.title_en
    response = translator.post(change, {"title_en": "Hijacked", "slug": case.slug})
    assert response.status_code == 403  # ... but never write
    case.refresh_from_db()
    assert case.title_en == before
    assert translator.get("/admin/casestudies/casestudy/add/").status_code == 403


def test_others_cannot_read_the_page(client, django_user_model, db):
    assert client.get(PAGE).status_code == 302  # to the login
    staff = django_user_model.objects.create_user("staff", password=PASSWORD, is_staff=True)
    client.force_login(staff)
    assert client.get(PAGE).status_code == 403


def test_the_page_lists_fuzzy_and_untranslated_strings_with_where_they_are_used(
    translator, tree, tmp_path, monkeypatch
):
    po = tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#: templates/x.html\n#, fuzzy\nmsgid "Search the guide"\nmsgstr "Buscar"\n\n'
        '#: casestudies/forms.py\nmsgid "Choose a theme"\nmsgstr ""\n'
    )
    monkeypatch.setattr("translating.selectors.project_locale_dirs", lambda: [po.parents[2]])
    html = translator.get(PAGE + "?language=es").content.decode()
    assert "Search the guide" in html and "templates/x.html" in html
    assert "Choose a theme" in html and "casestudies/forms.py" in html
    assert "Bahasa Indonesia (id)" not in html  # only the language asked for


def test_an_admin_made_case_study_without_a_language_is_linked(translator, fixture_site, tree):
    from casestudies import services
    from guidance.models import Topic

    case = CaseStudy(slug="admin-made", title_en="Made in the admin", summary_en="S",
                     body_en="## The problem\n\nText.", country="GB", organisation_en="O",
                     status=CaseStudy.DRAFT)  # fmt: skip
    services.case_study_save(case, topics=[Topic.objects.first()], themes=[])
    html = translator.get(PAGE + "?language=es").content.decode()
    assert f'href="/admin/casestudies/casestudy/{case.pk}/change/"' in html


@pytest.mark.parametrize("value", ["xx", "<script>", "es' or 1=1"])
def test_a_tampered_language_shows_every_language(translator, tree, value):
    response = translator.get(PAGE, {"language": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Español (es)" in html and "Bahasa Indonesia (id)" in html and "<script>" not in html


def test_the_admin_speaks_spanish_and_indonesian(translator):
    html = translator.get("/admin/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Estado de las traducciones" in html  # the project's own label
    response = translator.post("/i18n/setlang/", {"language": "id", "next": "/admin/"})
    assert response.status_code == 302
    html = translator.get(PAGE).content.decode()
    assert "Status terjemahan" in html and 'lang="id"' in html


def test_the_translators_group_may_only_read(db):
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="Translators").permissions.values_list("codename", flat=True)
    )
    assert {"view_casestudy", "view_resource", "view_translationstatus", "view_topic"} <= codenames
    assert all(code.startswith("view_") for code in codenames)


def test_a_version_not_kept_is_found_in_the_git_history(tree, settings, tmp_path):
    import subprocess

    settings.TRANSLATION_SOURCES_DIR = tmp_path / "empty"

    def git(*args):
        subprocess.run(["git", *args], cwd=tree, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.org", "-c", "user.name=T", "add", "-A")
    git("-c", "user.email=t@example.org", "-c", "user.name=T", "commit", "-qm", "first")
    change_english(tree, "Teams make", "Good teams make")
    out = status("--diff", "--language", "es")
    assert "is not kept" not in out
    assert re.search(r"changed: “Teams make.*” → “Good teams make", out)
