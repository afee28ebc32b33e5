"""The production image, proved without a Docker engine.

The Dockerfile is parsed; the build context is made from .dockerignore's rules; the
Dockerfile's own manage.py RUN steps, its CMD and its HEALTHCHECK are run in a subprocess
against that copy with production settings (DJANGO_DEBUG=0). Only loopback is used.
"""

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SECRET = "test-production-image-" + "s3cr3t-" * 8
HOST = "buying.example.org"


# --- reading the Dockerfile ------------------------------------------------------------


@dataclass
class Stage:
    image: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def env(self) -> dict[str, str]:
        values = {}
        for args in self.all("ENV"):
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                values[key] = value
        return values


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) pairs: continuation lines joined, comments dropped."""
    instructions, current = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1].strip() + " "
            continue
        current += line
        keyword, _, args = current.partition(" ")
        instructions.append((keyword.upper(), args.strip()))
        current = ""
    return instructions


def dockerfile_stages() -> list[Stage]:
    args, stages = {}, []
    for keyword, rest in dockerfile_instructions((ROOT / "Dockerfile").read_text()):
        if keyword == "ARG" and not stages:
            name, _, default = rest.partition("=")
            args[name] = default
        elif keyword == "FROM":
            parts = rest.split()
            image = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), parts[0])
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None
            stages.append(Stage(image, name))
        else:
            stages[-1].instructions.append((keyword, rest))
    return stages


STAGES = dockerfile_stages()
BUILDER, FINAL = STAGES[0], STAGES[-1]


def exec_form(args: str) -> list[str]:
    """A CMD/HEALTHCHECK argument in exec (JSON) form."""
    return json.loads(args[args.index("[") :])


# --- the build context, from .dockerignore ---------------------------------------------


def _pattern_regex(pattern: str) -> re.Pattern:
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            out, i = out + pattern[i : end + 1], end + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def dockerignore_rules() -> list[tuple[bool, re.Pattern, str]]:
    rules = []
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.lstrip("!").strip().strip("/")
        rules.append((negated, _pattern_regex(pattern), pattern))
    return rules


def is_excluded(rel: str, rules) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parents wins."""
    parts = rel.split("/")
    candidates = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    excluded = False
    for negated, regex, _pattern in rules:
        if any(regex.match(c) for c in candidates):
            excluded = not negated
    return excluded


def build_context(dest: Path) -> list[str]:
    """Copy what `docker build .` would send; return the relative paths copied."""
    rules = dockerignore_rules()
    exceptions = [pattern for negated, _r, pattern in rules if negated]
    copied = []
    for dirpath, dirnames, filenames in os.walk(ROOT):
        base = Path(dirpath).relative_to(ROOT)
        keep = []
        for d in dirnames:
            rel = (base / d).as_posix()
            reincluded = any(
                p.startswith(rel + "/") or rel.startswith(p.split("*")[0]) for p in exceptions
            )
            if not is_excluded(rel, rules) or reincluded:
                keep.append(d)
        dirnames[:] = keep
        for name in filenames:
            rel = (base / name).as_posix()
            if not is_excluded(rel, rules):
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / rel, dest / rel)
                copied.append(rel)
    return copied


# --- running things --------------------------------------------------------------------


def clean_env(**extra) -> dict[str, str]:
    """The host's environment without any project setting, plus the venv on PATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            (
                "DJANGO_",
                "DATABASE_",
                "CACHE_URL",
                "PAGE_CACHE",
                "PORT",
                "WEB_CONCURRENCY",
                "GUNICORN",
                "PYTEST",
            )
        )
    }
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def stage_env(stage: Stage, **extra) -> dict[str, str]:
    """A stage's ENV as the image would have it, with the venv standing in for /opt/venv."""
    values = {k: v for k, v in stage.env().items() if k != "PATH"}
    return clean_env(**{**values, **extra})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECTS = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))


def get(url: str, host: str, **headers):
    """GET on loopback, with the Host header the site expects (redirects are not followed)."""
    request = urllib.request.Request(url, headers={"Host": host, **headers})
    try:
        with NO_REDIRECTS.open(request, timeout=3) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def gunicorn_command(port: int) -> str:
    """The image's CMD (shell form), bound to loopback instead of every interface."""
    [cmd] = FINAL.all("CMD")
    assert "0.0.0.0:${PORT:-8000}" in cmd
    return cmd.replace("0.0.0.0:", "127.0.0.1:")


def start_gunicorn(app: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        ["sh", "-c", gunicorn_command(int(env["PORT"]))],
        cwd=app,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    return process.stdout.read() if process.stdout else ""


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """The build context after the Dockerfile's manage.py RUN steps, as in the builder."""
    app = tmp_path_factory.mktemp("image") / "app"
    app.mkdir()
    copied = build_context(app)
    ran = []
    for command in BUILDER.all("RUN"):
        if "manage.py" not in command:
            continue
        if "compilemessages" in command and not shutil.which("msgfmt"):
            continue  # checked (and skipped with a reason) by its own test
        result = subprocess.run(
            ["sh", "-c", command],
            cwd=app,
            env=stage_env(BUILDER),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"RUN {command}\n{result.stdout}\n{result.stderr}"
        ran.append(command)
    return {"app": app, "copied": copied, "ran": ran}


# --- the Dockerfile's shape ------------------------------------------------------------


def test_the_dockerfile_is_multi_stage_on_python_311_slim():
    assert len(STAGES) >= 2
    assert BUILDER.name == "builder"
    assert FINAL.image == "python:3.11-slim"
    copies = FINAL.all("COPY")
    assert any(c.startswith("--from=builder") and "/opt/venv" in c for c in copies)
    assert any(c.startswith("--from=builder") and c.endswith("/app") for c in copies)


def test_the_builder_installs_dependencies_from_pyproject_and_has_gettext():
    runs = " ".join(BUILDER.all("RUN"))
    assert "python -m venv /opt/venv" in runs
    assert "pip install ." in runs
    assert "gettext" in runs
    assert any(c.split()[0] == "pyproject.toml" for c in BUILDER.all("COPY"))


def test_the_image_runs_as_a_non_root_user():
    users = FINAL.all("USER")
    assert users, "the final stage needs a USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}


def test_the_health_check_asks_healthz_with_python():
    [check] = FINAL.all("HEALTHCHECK")
    assert "/healthz" in check
    assert exec_form(check)[0] == "python"
    assert "curl" not in check


def test_the_command_is_gunicorn_with_an_access_log_on_stdout():
    [cmd] = FINAL.all("CMD")
    assert "gunicorn buyingguide.wsgi:application" in cmd
    assert "--workers ${WEB_CONCURRENCY:-2}" in cmd
    assert "--access-logfile -" in cmd
    assert cmd.startswith("exec "), "exec, so gunicorn is PID 1 and gets SIGTERM"
    assert FINAL.env()["DJANGO_DEBUG"] == "0", "the image is production unless told otherwise"


# --- the build context and build steps -------------------------------------------------


def test_the_build_context_has_the_site_and_nothing_private(image):
    copied = set(image["copied"])
    for needed in (
        "manage.py",
        "pyproject.toml",
        "buyingguide/wsgi.py",
        "buyingguide/settings/base.py",
        "guidance/models.py",
        "casestudies/models.py",
        "templates/base.html",
        "locale/es/LC_MESSAGES/django.po",
        "content/en/glossary.md",
    ):
        assert needed in copied, needed
    assert any(p.startswith("static/") for p in copied)
    for path in copied:
        top = path.split("/")[0]
        assert top not in {
            ".git",
            ".venv",
            "node_modules",
            "tests",
            "staticfiles",
            "media",
            "db.sqlite3",
            ".env",
            "docs",
            "bench",
        }, path
        assert "__pycache__" not in path and not path.endswith(".mo"), path


def test_compilemessages_runs_as_in_the_image(image):
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (GNU gettext) is not installed: make gettext")
    for language in ("es", "id"):
        assert (image["app"] / "locale" / language / "LC_MESSAGES" / "django.mo").is_file()


def test_collectstatic_runs_with_production_settings_and_writes_a_manifest(image):
    assert any("collectstatic" in command for command in image["ran"])
    manifest = json.loads((image["app"] / "staticfiles" / "staticfiles.json").read_text())
    paths = manifest["paths"]
    assert paths, "an empty manifest"
    for original, hashed in paths.items():
        assert hashed != original
        assert (image["app"] / "staticfiles" / hashed).is_file(), hashed
    css = [h for h in paths.values() if h.endswith(".css")]
    assert css and all((image["app"] / "staticfiles" / f"{h}.gz").is_file() for h in css)


def test_the_deployment_checklist_reports_nothing(image):
    env = stage_env(
        FINAL,
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{image['app'].parent / 'check.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=image["app"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


# --- the container's command and health check ------------------------------------------


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_the_container_refuses_to_start_half_configured(image, missing):
    values = {
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "PORT": str(free_port()),
        "DATABASE_URL": f"sqlite:///{image['app'].parent / 'refuse.sqlite3'}",
    }
    del values[missing]
    process = start_gunicorn(image["app"], stage_env(FINAL, WEB_CONCURRENCY="1", **values))
    try:
        process.wait(timeout=30)
    finally:
        output = stop(process)
    assert process.returncode != 0, output
    assert f"{missing} is not set" in output


def test_gunicorn_serves_healthz_and_the_health_check_passes(image):
    port = free_port()
    env = stage_env(
        FINAL,
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS=HOST,
        PORT=str(port),
        WEB_CONCURRENCY="1",
        DATABASE_URL=f"sqlite:///{image['app'].parent / 'serve.sqlite3'}",
    )
    process = start_gunicorn(image["app"], env)
    try:
        status, headers, body = None, {}, b""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, headers, body = get(f"http://127.0.0.1:{port}/healthz", HOST)
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200, (status, body, process.poll())
        assert headers["Content-Type"].startswith("application/json")
        assert json.loads(body)["status"] == "ok"

        # The HEALTHCHECK itself, as Docker would run it inside the container.
        check = exec_form(FINAL.all("HEALTHCHECK")[0])
        command = [sys.executable if check[0] == "python" else check[0], *check[1:]]
        result = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=10, check=False
        )
        assert result.returncode == 0, result.stderr

        # whitenoise serves the collected files with a far-future cache lifetime (the request
        # says it came through the TLS proxy, else production redirects it to https).
        manifest = json.loads((image["app"] / "staticfiles" / "staticfiles.json").read_text())
        css = next(h for h in manifest["paths"].values() if h.endswith(".css"))
        status, headers, _body = get(
            f"http://127.0.0.1:{port}/static/{css}", HOST, **{"X-Forwarded-Proto": "https"}
        )
        assert status == 200
        assert "max-age=31536000" in headers.get("Cache-Control", "")
    finally:
        output = stop(process)
    assert "Traceback" not in output, output
