"""HTML conformance of rendered pages: the Nu Html Checker, plus ID references it skips.

The Nu Html Checker (vnu.jar, the W3C's validator, pinned in package.json) reports duplicate
ids, a label `for` that names no control, skipped heading levels and any other HTML error.
It does not check that `aria-labelledby`, `aria-describedby` and the other ARIA ID-reference
attributes name an element on the page, so `dangling_references` does that one thing.
"""

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# ARIA attributes whose value is one or more ids of elements on the same page.
IDREF_ATTRIBUTES = (
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-details",
    "aria-errormessage",
    "aria-flowto",
    "aria-owns",
    "aria-activedescendant",
)


def nu_check(paths: list[Path]) -> dict[str, list[str]]:
    """Errors of the Nu Html Checker per file name (files with no error are left out)."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu Html Checker: run `make test-deps`"
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `make test-deps` (npm ci)"
    # C1 compiler and serial GC: a short batch run starts 2-3 times faster on a busy machine.
    jvm = ["-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    result = subprocess.run(
        [java, *jvm, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
        + [str(path) for path in paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout or "{}")
    assert "messages" in report, f"the Nu Html Checker did not run: {result.stderr[:500]}"
    found: dict[str, list[str]] = {}
    for message in report["messages"]:
        name = Path(message.get("url", "").removeprefix("file:")).name
        where = f"line {message['lastLine']}" if "lastLine" in message else "page"
        found.setdefault(name, []).append(f"{where}: {message['message']}")
    return found


class _References(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.references: list[tuple[int, str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in IDREF_ATTRIBUTES and value is not None:
                for ref in value.split() or [""]:
                    self.references.append((self.getpos()[0], tag, name, ref))


def dangling_references(html: str) -> list[str]:
    """Every ARIA ID reference that names no element of the page, with its line."""
    parser = _References()
    parser.feed(html)
    return [
        f'line {line}: <{tag} {name}="{ref}">: no element has id="{ref}"'
        for line, tag, name, ref in parser.references
        if ref not in parser.ids
    ]


def html_problems(pages: dict[str, str], work: Path) -> list[str]:
    """Check many pages (name → HTML) in one run of the checker; one line per problem."""
    names = {}
    for number, (label, html) in enumerate(sorted(pages.items())):
        path = work / f"page-{number:04d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = label
    problems = [
        f"{names[name]}: {message}"
        for name, messages in sorted(nu_check([work / name for name in names]).items())
        for message in messages
    ]
    for label, html in sorted(pages.items()):
        problems += [f"{label}: {message}" for message in dangling_references(html)]
    return problems
