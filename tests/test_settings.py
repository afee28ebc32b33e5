"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_settings(env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(env_overrides)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import buyingguide.settings.base as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_debug_off_without_secret_key_fails_with_a_clear_message():
    result = run_settings({"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_off_without_allowed_hosts_fails_with_a_clear_message():
    result = run_settings({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_database_url_chooses_the_database():
    sqlite = run_settings({})
    assert sqlite.stdout.strip() == "django.db.backends.sqlite3"
    postgres = run_settings({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"})
    assert postgres.stdout.strip() == "django.db.backends.postgresql"
