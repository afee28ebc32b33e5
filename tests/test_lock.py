"""The lock files: installs come from them, and they must match pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "requirements_lock.py"), "check"],
        capture_output=True,
        text=True,
        timeout=30,
    )


def copy_project(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "requirements_lock.py", tmp_path / "scripts")
    for name in ("pyproject.toml", "requirements.lock", "requirements-dev.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_committed_locks_match_pyproject():
    result = check(ROOT)
    assert result.returncode == 0, result.stderr


def test_a_dependency_added_without_make_lock_is_caught(tmp_path):
    root = copy_project(tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace("dependencies = [\n", 'dependencies = [\n    "six",\n', 1)
    )
    result = check(root)
    assert result.returncode == 1
    assert "run make lock" in result.stderr and "requirements.lock" in result.stderr


def test_every_dependency_is_pinned_with_hashes():
    for name in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / name).read_text()
        pins = [line for line in text.splitlines() if line and line[0].isalpha()]
        assert pins and all("==" in pin and pin.endswith("\\") for pin in pins), name
        assert text.count("--hash=sha256:") >= len(pins), name
    production = (ROOT / "requirements.lock").read_text()
    assert "\ndjango==" in production and "\npytest==" not in production  # no dev tools


def test_pre_commit_runs_the_locked_ruff():
    import re

    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    [ruff] = [r for r in config["repos"] if r["repo"].endswith("/ruff-pre-commit")]
    locked = re.search(r"^ruff==(\S+)", (ROOT / "requirements-dev.lock").read_text(), re.M)
    assert ruff["rev"] == f"v{locked.group(1)}", "update .pre-commit-config.yaml's ruff rev"
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff-check", "ruff-format", "migrations"} <= hooks
