"""What changed in an English content file since a translation was made from it.

A translation records `source_hash`, the hash of the English file it was made from. The text
of that version is kept in the sources folder (`settings.TRANSLATION_SOURCES_DIR`, one file per
hash; `translation_status --record` stores the versions current translations were made from),
so an out-of-date translation can be shown the English difference item by item: front-matter
texts (title, summary, each do, don't and question), headings, paragraphs, list items and
table rows — added, removed or changed — with the line in the English file and the line of
the translation to change, not a raw line diff.
"""

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .content import file_hash

# Front-matter keys that are never translated (shared values, ids, dates, the hash itself).
SHARED_KEYS = frozenset(
    {
        "source_hash", "updated", "published", "order", "slug", "number", "kind", "code",
        "letter", "status", "topics", "stages", "themes", "notes", "country", "year",
        "year_inferred", "image", "note", "minor", "type", "region", "group", "languages",
        "link", "url", "id", "weight", "score", "value", "topic", "stage", "date",
    }
)  # fmt: skip
# A list under these keys holds items with a name of their own.
ITEM_NAMES = {
    "dos": "do",
    "donts": "don't",
    "questions": "question",
    "statements": "statement",
    "points": "point",
}
LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Item:
    label: str  # "title", "do", "paragraph", "list item", …
    text: str
    line: int  # in its file, from 1


@dataclass
class Change:
    kind: str  # ADDED, REMOVED or CHANGED
    label: str
    old: str = ""
    new: str = ""
    english_line: int | None = None  # in the current English file (the old one's if removed)
    # The translation's line for the item; for an added item, the line it goes before.
    translation_line: int | None = None

    def describe(self) -> str:
        if self.kind == CHANGED:
            return f"{self.label} changed: “{self.old}” → “{self.new}”"
        if self.kind == ADDED:
            return f"{self.label} added: “{self.new}”"
        return f"{self.label} removed: “{self.old}”"


@dataclass
class FileDiff:
    changes: list[Change]
    shared: list[str]  # shared front-matter values that changed (nothing to translate)
    source_known: bool = True  # False: the version the translation was made from is not kept


def _split(text: str) -> tuple[str, str, int]:
    """(front matter, body, the body's first line); no front matter → ("", text, 1)."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return "", text, 1
    for number, line in enumerate(lines[1:], 1):
        if line.strip() == "---":
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1 :]), number + 2
    return "", text, 1


def _front_items(front: str, shared: dict) -> list[Item]:
    try:
        root = yaml.compose(front) if front.strip() else None
    except yaml.YAMLError:
        return []
    items: list[Item] = []

    def walk(node, label, path):
        if isinstance(node, yaml.MappingNode):
            for key_node, value in node.value:
                key = str(key_node.value)
                if key in SHARED_KEYS:
                    shared[f"{path}{key}"] = (
                        str(value.value)
                        if isinstance(value, yaml.ScalarNode)
                        else yaml.serialize(value).strip().removesuffix("...").strip()
                    )
                    continue
                walk(value, key, f"{path}{key}.")
        elif isinstance(node, yaml.SequenceNode):
            for value in node.value:
                walk(value, ITEM_NAMES.get(label, label), path)
        elif isinstance(node, yaml.ScalarNode) and str(node.value).strip():
            # +1: the opening "---" is line 1 of the file.
            items.append(Item(label, " ".join(str(node.value).split()), node.start_mark.line + 2))

    if root is not None:
        walk(root, "", "")
    return items


def _body_items(body: str, first_line: int) -> list[Item]:
    items: list[Item] = []
    current: list[str] = []
    label, start = "", 0

    def flush():
        if current:
            items.append(Item(label, " ".join(" ".join(current).split()), start))
            current.clear()

    for offset, raw in enumerate(body.splitlines()):
        number = first_line + offset
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#"):
            flush()
            items.append(Item("heading", line.lstrip("#").strip(), number))
            continue
        if LIST_ITEM_RE.match(raw) or line.startswith("|"):
            flush()
            label, start = ("table row" if line.startswith("|") else "list item"), number
            current.append(LIST_ITEM_RE.sub("", raw).strip())
            if line.startswith("|"):
                flush()
            continue
        if not current:
            label, start = "paragraph", number
        current.append(line)
    flush()
    return items


def text_items(text: str) -> tuple[list[Item], dict]:
    """The translatable items of a content file, in order, and its shared values."""
    front, body, body_line = _split(text)
    shared: dict = {}
    items = _front_items(front, shared) + _body_items(body, body_line)
    return items, shared


def _ranks(items: list[Item]) -> list[tuple[str, int]]:
    """Each item as (label, how many items of that label come before it)."""
    seen: dict[str, int] = {}
    ranks = []
    for item in items:
        ranks.append((item.label, seen.get(item.label, 0)))
        seen[item.label] = seen.get(item.label, 0) + 1
    return ranks


def items_diff(old: str, new: str, translation: str = "") -> FileDiff:
    """The difference between two English versions, item by item.

    A translation keeps the English order of items (docs/translating.md), so the n-th do of
    the old English is the n-th do of the translation: that gives `translation_line`.
    """
    old_items, old_shared = text_items(old)
    new_items, new_shared = text_items(new)
    trans_items = text_items(translation)[0] if translation else []
    trans_at = dict(zip(_ranks(trans_items), trans_items, strict=False))
    old_ranks = _ranks(old_items)

    def translation_line(index):
        if not trans_items:
            return None
        if index < len(old_items):
            found = trans_at.get(old_ranks[index])
            if found:
                return found.line
        return trans_items[-1].line  # after the last item

    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(
        a=[(i.label, i.text) for i in old_items],
        b=[(i.label, i.text) for i in new_items],
        autojunk=False,
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed, added = list(range(a1, a2)), []
        # A removed and an added item of the same kind, in order, are one change.
        for j in range(b1, b2):
            i = next((i for i in removed if old_items[i].label == new_items[j].label), None)
            if i is None:
                added.append(j)
                continue
            removed.remove(i)
            changes.append(
                Change(
                    CHANGED,
                    new_items[j].label,
                    old_items[i].text,
                    new_items[j].text,
                    new_items[j].line,
                    translation_line(i),
                )
            )
        for i in removed:
            item = old_items[i]
            changes.append(
                Change(
                    REMOVED,
                    item.label,
                    old=item.text,
                    english_line=item.line,
                    translation_line=translation_line(i),
                )
            )
        for j in added:
            item = new_items[j]
            changes.append(
                Change(
                    ADDED,
                    item.label,
                    new=item.text,
                    english_line=item.line,
                    translation_line=translation_line(a2),
                )
            )
    changes.sort(key=lambda c: c.english_line or 0)
    shared = [
        f"{key}: {old_shared.get(key, '—')} → {new_shared.get(key, '—')}"
        for key in sorted(set(old_shared) | set(new_shared))
        if key != "source_hash" and old_shared.get(key) != new_shared.get(key)
    ]
    return FileDiff(changes=changes, shared=shared)


# --- the kept English versions ------------------------------------------------------------


def source_path(sources: Path, source_hash: str) -> Path:
    return Path(sources) / f"{source_hash}.md"


def source_text(sources: Path, source_hash: str) -> str | None:
    """The English text a translation was made from, if it is kept (hash checked)."""
    if not re.fullmatch(r"[0-9a-f]{12}", source_hash or ""):
        return None
    path = source_path(sources, source_hash)
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    return text if file_hash(text) == source_hash else None


def source_record(sources: Path, english_text: str) -> bool:
    """Keep this English version (named by its hash); True if it was not kept yet."""
    path = source_path(sources, file_hash(english_text))
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # newline="" keeps the text byte for byte, so its hash stays the file's hash.
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(english_text)
    return True


GIT_REVISIONS = 200  # how far back the git history is searched for a version not kept


def source_from_git(english_path: Path, source_hash: str) -> str | None:
    """The version of `english_path` with `source_hash`, from the git history if there is one.

    For translations made before their version was kept: a checkout with history still has
    it. A deployed image has no .git; then this finds nothing, quietly."""
    import subprocess  # git, with fixed arguments, never through a shell

    path = Path(english_path).resolve()
    if not re.fullmatch(r"[0-9a-f]{12}", source_hash or "") or not path.is_file():
        return None

    def git(*args, cwd=path.parent):
        return subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607 (git from PATH, as every developer runs it)
            cwd=cwd,
            capture_output=True,
            timeout=20,
            check=False,
        )

    try:
        top = git("rev-parse", "--show-toplevel")
        if top.returncode:
            return None
        root = Path(top.stdout.decode().strip()).resolve()
        rel = path.relative_to(root).as_posix()
        log = git("log", f"-{GIT_REVISIONS}", "--format=%H", "--", rel, cwd=root)
        for revision in log.stdout.decode().split():
            shown = git("show", f"{revision}:{rel}", cwd=root)
            if shown.returncode:
                continue
            text = shown.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
            if file_hash(text) == source_hash:
                return text
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    return None


def translation_diff(
    *,
    english_text: str,
    translation_text: str,
    recorded_hash: str,
    sources: Path,
    english_path: Path | None = None,
) -> FileDiff:
    """What changed in English since the translation (with `recorded_hash`) was made.

    The old version comes from the kept sources, else from git history (`english_path`)."""
    old = source_text(sources, recorded_hash)
    if old is None and english_path is not None:
        old = source_from_git(english_path, recorded_hash)
    if old is None:
        return FileDiff(changes=[], shared=[], source_known=False)
    return items_diff(old, english_text, translation_text)
