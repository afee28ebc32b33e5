"""Are the lock files made from the pyproject.toml beside them?  `make lock` stamps them.

    python scripts/requirements_lock.py stamp   # after pip-compile (make lock does both)
    python scripts/requirements_lock.py check   # make install / make test: fails if stale

The stamp is a digest of what pyproject.toml asks for (Python version, dependencies, extras),
written as a comment into each lock file. Any change there (another branch adding a library)
changes the digest, and the check says "run make lock" instead of installing something else.
Standard library only: it runs before anything is installed.
"""

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ("requirements.lock", "requirements-dev.lock")
PREFIX = "# pyproject.toml dependencies digest: "


def digest() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {
        "requires-python": project.get("requires-python", ""),
        "dependencies": sorted(project.get("dependencies", [])),
        "optional-dependencies": {
            name: sorted(deps) for name, deps in project.get("optional-dependencies", {}).items()
        },
    }
    return hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()


def stamp() -> None:
    line = PREFIX + digest()
    for name in LOCKS:
        path = ROOT / name
        old = path.read_text(encoding="utf-8").splitlines()
        lines = [x for x in old if not x.startswith(PREFIX)]
        path.write_text("\n".join([line, *lines]) + "\n", encoding="utf-8")


def check() -> int:
    expected = PREFIX + digest()
    for name in LOCKS:
        path = ROOT / name
        if not path.exists():
            print(f"{name} is missing: run make lock", file=sys.stderr)
            return 1
        if expected not in path.read_text(encoding="utf-8").splitlines():
            print(
                f"{name} was not made from the current pyproject.toml (its dependencies "
                "changed): run make lock, then commit pyproject.toml and the lock files",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "stamp":
        stamp()
    elif command == "check":
        sys.exit(check())
    else:
        sys.exit(f"unknown command {command!r}: use stamp or check")
