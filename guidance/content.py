"""Reading content files: front matter, body, errors that name the file and the line.

Shared by the guidance and case-study loaders (see docs/content.md for the format).
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .languages import LANGUAGE_CODES as LANGUAGES
from .limits import MAX_CONTENT_FILE_BYTES

# libyaml's safe loader when available: ten times faster on a large tree; same results.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The paths a content file may have, relative to content/<lang>/; anything else is an error.
KNOWN_PATHS = (
    re.compile(r"^pages/(?P<slug>home|about|accessibility)\.md$"),
    re.compile(r"^glossary\.md$"),
    re.compile(r"^themes\.md$"),
    re.compile(r"^guide/(?P<stage>[^/]+)/_stage\.md$"),
    re.compile(r"^guide/(?P<stage>[^/]+)/(?P<slug>[^/_][^/]*)\.md$"),
    re.compile(r"^case-studies/(?P<slug>[^/]+)\.md$"),
    re.compile(r"^assessments/(?P<slug>[^/]+)\.md$"),
    # The project-proposals guide (proposals/loader.py checks the names further).
    re.compile(r"^proposals/[^/]+\.md$"),
    re.compile(r"^proposals/[^/]+/[^/]+\.md$"),
    re.compile(r"^resources/(?P<slug>[^/]+)\.md$"),
)
# Data files the tree reader leaves to their app's loader (not Markdown with front matter).
DATA_FILES = (re.compile(r"^resources\.csv$"),)


@dataclass
class ContentError:
    path: str
    message: str
    line: int | None = None

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass
class ContentFile:
    path: Path  # absolute
    rel: str  # relative to the content root, e.g. "en/guide/plan/work-as-a-team.md"
    language: str
    key: str  # relative to the language folder, e.g. "guide/plan/work-as-a-team.md"
    text: str
    meta: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # line number of the body's first line, for error messages

    @property
    def sha(self) -> str:
        return file_hash(self.text)

    def line_of(self, needle: str) -> int | None:
        """The first line containing `needle`, so errors can point at it."""
        for number, line in enumerate(self.text.splitlines(), 1):
            if needle in line:
                return number
        return None

    def error(self, message: str, line: int | None = None, needle: str | None = None):
        if line is None and needle:
            line = self.line_of(needle)
        return ContentError(self.rel, message, line)


def file_hash(text: str) -> str:
    """The 12-digit SHA-256 prefix a translation records as `source_hash`."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def split_front_matter(cf: ContentFile) -> ContentError | None:
    text = cf.text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return cf.error("the file must start with a '---' line, then YAML front matter", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return cf.error("the front matter is not closed: add a '---' line after it", 1)
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=SafeLoader) or {}  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else None  # +1 for 1-based, +1 for the opening ---
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return cf.error(
            f"YAML syntax error in the front matter ({problem}); check indentation and "
            "quote values that contain ': ' or start with a special character",
            line,
        )
    except ValueError as exc:
        # YAML reads 2024-13-01 as a date and fails outside its error class.
        return cf.error(
            f"a value in the front matter is not a real date ({exc}); write dates as YYYY-MM-DD",
            2,
        )
    if not isinstance(meta, dict):
        return cf.error("the front matter must be a set of 'key: value' lines", 2)
    cf.meta = meta
    cf.body = "\n".join(lines[end + 1 :]).strip("\n") + "\n"
    cf.body_line = end + 2
    return None


def read_tree(root: Path, errors: list[ContentError]) -> list[ContentFile]:
    """Every Markdown file under root/<lang>/, parsed; problems go to `errors`."""
    files = []
    if not root.is_dir():
        errors.append(ContentError(str(root), "the content folder does not exist"))
        return files
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_dir():
            if path.is_symlink():  # not followed: what it holds would silently be missing
                errors.append(
                    ContentError(
                        rel,
                        "a symbolic link to a folder is not followed: put the real folder "
                        "here, or remove the link",
                    )
                )
            continue
        parts = rel.split("/", 1)
        # The termbase is for translators (guidance/termbase.py), not a page of the guide.
        if path.name.startswith(".") or path.name.lower() in ("readme.md", "termbase.md"):
            continue
        if len(parts) < 2 or parts[0] not in LANGUAGES:
            errors.append(
                ContentError(
                    rel,
                    f"unexpected place: content files live in content/<language>/ "
                    f"where <language> is one of {', '.join(LANGUAGES)}",
                )
            )
            continue
        language, key = parts
        if language == "en" and any(pattern.match(key) for pattern in DATA_FILES):
            continue
        if not any(pattern.match(key) for pattern in KNOWN_PATHS):
            errors.append(
                ContentError(
                    rel,
                    "unexpected place or name: see docs/content.md for where "
                    "stages, topics, case studies, glossary and pages go",
                )
            )
            continue
        try:
            size = path.stat().st_size
            if size > MAX_CONTENT_FILE_BYTES:
                errors.append(
                    ContentError(
                        rel,
                        f"the file is {size:,} bytes; the limit is {MAX_CONTENT_FILE_BYTES:,}. "
                        "Split it or shorten it (see docs/operations.md, Limits)",
                    )
                )
                continue
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            errors.append(ContentError(rel, "the file is not UTF-8 text: save it as UTF-8"))
            continue
        except OSError as error:  # a symlink loop, a link to nothing, no permission
            link = (
                " (a symbolic link: it points to nothing or to itself)" if path.is_symlink() else ""
            )
            errors.append(
                ContentError(
                    rel,
                    f"the file cannot be read{link}: {error.strerror or error}. Replace it "
                    "with the real file or remove it",
                )
            )
            continue
        cf = ContentFile(path=path, rel=rel, language=language, key=key, text=text)
        problem = split_front_matter(cf)
        if problem:
            errors.append(problem)
            continue
        files.append(cf)
    return files


def require(cf: ContentFile, name: str, errors: list, kind=str, allow_empty=False):
    """A front-matter value of the right type, or an error naming the field."""
    value = cf.meta.get(name)
    if value is None or (not allow_empty and value in ("", [], {})):
        errors.append(
            cf.error(
                f"the required field '{name}' is missing or empty",
                needle=f"{name}:" if name in cf.meta else None,
            )
        )
        return None
    if not isinstance(value, kind):
        errors.append(cf.error(f"the field '{name}' must be {_kind_name(kind)}", needle=f"{name}:"))
        return None
    return value.strip() if isinstance(value, str) else value


def _kind_name(kind) -> str:
    names = {str: "text", int: "a whole number", list: "a list ('- item' lines)", dict: "a map"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def valid_slug(slug: str) -> bool:
    return bool(SLUG_RE.match(slug))


def content_date(cf: ContentFile, name: str, errors: list, required=False):
    """A front-matter date written YYYY-MM-DD (or empty when not required), never in the future.

    Dates are facts a reader relies on ("last updated", "published"): a wrong or invented one
    is an error, not something to guess around.
    """
    value = cf.meta.get(name)
    if value in (None, ""):
        if required:
            errors.append(
                cf.error(
                    f"the required field '{name}' is missing: write the date this file's text "
                    "last changed, as YYYY-MM-DD",
                    needle=f"{name}:" if name in cf.meta else None,
                )
            )
        return None
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        errors.append(cf.error(f"'{name}' must be a date written YYYY-MM-DD", needle=f"{name}:"))
        return None
    if value > datetime.date.today():
        errors.append(cf.error(f"'{name}' is {value}, a date in the future", needle=f"{name}:"))
        return None
    return value


def updated_date(cf: ContentFile, errors: list):
    """The `updated:` date every page's file carries (each translation its own)."""
    return content_date(cf, "updated", errors, required=True)
