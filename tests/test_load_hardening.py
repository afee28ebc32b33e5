"""load_content and the admin with broken, huge or concurrent input (issue 13, 5–7)."""

import os
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from buyingguide.loading import LoadBusy, content_load, load_lock
from guidance.limits import MAX_CONTENT_FILE_BYTES, MAX_STORY_CHARS
from guidance.models import Topic

TOPIC = "en/guide/buy/evaluate-bids.md"


@pytest.mark.parametrize("kind", ["loop", "dangling", "folder"])
def test_a_broken_symlink_is_reported_like_any_bad_file(content_tree, db, capsys, kind):
    link = content_tree / "en/guide/buy/broken-link.md"
    if kind == "loop":
        os.symlink(link, link)  # points to itself
    elif kind == "dangling":
        os.symlink(content_tree / "nowhere.md", link)
    else:
        os.symlink(content_tree / "en/guide", link)  # a folder (and a loop, through it)
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_content", str(content_tree))
    err = capsys.readouterr().err
    expected = {
        "loop": "the file cannot be read (a symbolic link",
        "dangling": "the file cannot be read (a symbolic link",
        "folder": "a symbolic link to a folder is not followed",
    }[kind]
    assert f"en/guide/buy/broken-link.md: {expected}" in err
    assert "Traceback" not in err
    assert not Topic.objects.exists()


def test_an_oversize_content_file_is_refused_by_name(content_tree, db, capsys):
    path = content_tree / TOPIC
    path.write_text(path.read_text() + "\nPadding text. " * (MAX_CONTENT_FILE_BYTES // 14 + 10))
    with pytest.raises(CommandError):
        call_command("load_content", str(content_tree))
    err = capsys.readouterr().err
    assert f"{TOPIC}: the file is" in err and f"the limit is {MAX_CONTENT_FILE_BYTES:,}" in err
    assert not Topic.objects.exists()


def test_an_over_long_story_in_a_file_is_refused(content_tree, db):
    path = content_tree / "en/case-studies/open-data-portal.md"
    path.write_text(path.read_text() + "\nWords. " * (MAX_STORY_CHARS // 7 + 10))
    report = content_load(content_tree)
    assert any(
        "open-data-portal.md" in e.path and "the field 'body' is" in e.message
        for e in report.errors
    )


@pytest.mark.parametrize(
    ("rel", "field", "limit"),
    [
        ("en/guide/buy/evaluate-bids.md", "title", 200),
        ("es/case-studies/open-data-portal.md", "organisation", 200),
        ("en/guide/plan/_stage.md", "summary", 400),
    ],
)
def test_an_over_long_field_in_a_file_is_refused_by_name(content_tree, db, rel, field, limit):
    path = content_tree / rel
    text = path.read_text()
    start = text.index(f"\n{field}:") + 1
    end = text.index("\n", start)
    path.write_text(text[:start] + f"{field}: {'x' * (limit + 1)}" + text[end:])
    report = content_load(content_tree)
    [error] = [e for e in report.errors if e.path == rel]
    assert f"the field '{field}' is {limit + 1:,} characters; the limit is {limit:,}" in str(error)
    assert not Topic.objects.exists()


class HeldLock:
    """Holds the load lock in another thread (its own database connection) until released."""

    def __init__(self):
        self.taken, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self):
        try:
            with load_lock(wait=5):
                self.taken.set()
                self.release.wait(10)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.taken.wait(5)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(5)


@pytest.mark.django_db(transaction=True)
def test_a_second_load_says_clearly_that_a_load_is_running(content_tree):
    with HeldLock(), pytest.raises(CommandError) as raised:
        call_command("load_content", str(content_tree), "--wait", "0.5")
    assert "Another load_content is running" in str(raised.value)
    assert "nothing was loaded" in str(raised.value)
    assert not Topic.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_second_load_waits_for_the_first_then_loads(content_tree):
    waited = []
    with HeldLock() as held:
        threading.Timer(0.4, held.release.set).start()
        report = content_load(content_tree, wait=10, on_wait=lambda: waited.append(True))
    assert report.ok and waited == [True]
    assert Topic.objects.exists()
    with pytest.raises(LoadBusy), HeldLock():
        content_load(content_tree, wait=0)


def test_the_sqlite_file_lock_lets_one_holder_in(tmp_path):
    from buyingguide.loading import _file_lock

    name = str(tmp_path / "site.sqlite3")
    with _file_lock(name) as first:
        assert first()
        with _file_lock(name) as second:  # another open file: as another process would
            assert not second()
    with _file_lock(name) as later:
        assert later()
    assert (tmp_path / "site.sqlite3.load-lock").exists()


def test_two_loads_at_once_on_one_sqlite_file_both_finish(tmp_path):
    """Two processes, one SQLite file: the second waits, nobody sees "database is locked"."""
    import subprocess
    import sys

    from .conftest import REAL_CONTENT

    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=root, env=env, check=True, timeout=120)
    loads = [
        subprocess.Popen(
            [*manage, "load_content", str(REAL_CONTENT), "--force"],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=240) for p in loads]
    results = [(p.returncode, out, err) for p, (out, err) in zip(loads, outputs, strict=True)]
    for code, _out, err in results:
        assert code == 0, err
        assert "database is locked" not in err
    assert any("Content loaded." in out for _code, out, _err in results)
