"""The production image, proved without a Docker engine.

The Dockerfile is read with dockerfile-parse and the build context is chosen with docker-py's
own .dockerignore matcher (no rules of Docker's re-implemented here). Then the image's own
commands run, with production settings (DJANGO_DEBUG=0), against a copy of that context:
the builder's manage.py RUN steps, the deployment checklist, the CMD (gunicorn, through the
shared helper in bench/server.py) and the HEALTHCHECK. Only loopback is used.
"""

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from docker.utils.build import exclude_paths
from dockerfile_parse import DockerfileParser

from bench.server import Gunicorn, free_port

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SECRET = "test-production-image-" + "s3cr3t-" * 8
HOST = "buying.example.org"
ORIGIN = f"https://{HOST}"

DOCKERFILE = DockerfileParser(path=str(ROOT / "Dockerfile"))


def stages() -> list[list[dict]]:
    """The instructions of each stage (FROM first), from the parser's structure; each with
    "env": the stage's ENV at that point, as the parser works it out."""
    found = []
    for instruction, context in zip(
        DOCKERFILE.structure, DOCKERFILE.context_structure, strict=True
    ):
        if instruction["instruction"] == "FROM":
            found.append([])
        if found and instruction["instruction"] != "COMMENT":
            found[-1].append({**instruction, "env": context.get_values(context_type="ENV")})
    return found


STAGES = stages()
BUILDER, FINAL = STAGES[0], STAGES[-1]


def values(stage, keyword: str) -> list[str]:
    return [i["value"] for i in stage if i["instruction"] == keyword]


def stage_env(stage) -> dict[str, str]:
    """The ENV a stage's last instruction runs with."""
    return dict(stage[-1]["env"])


def exec_form(value: str) -> list[str]:
    """A CMD/HEALTHCHECK argument in exec (JSON) form."""
    return json.loads(value[value.index("[") :])


# --- running things --------------------------------------------------------------------


def run_env(stage, **extra) -> dict[str, str]:
    """The stage's ENV on this machine: no project setting from the host, the venv on PATH
    in place of /opt/venv."""
    host = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "DATABASE_", "CACHE_URL", "PAGE_CACHE", "PORT", "WEB_", "GUNICORN")
        )
        and not k.startswith("PYTEST")
    }
    image = {k: v for k, v in stage_env(stage).items() if k != "PATH"}
    return {**host, **image, "PATH": f"{VENV_BIN}{os.pathsep}{host.get('PATH', '')}", **extra}


def get(url: str, host: str, **headers):
    """GET on loopback with the Host header the site expects; no proxy, no redirect."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, headers={"Host": host, **headers})
    try:
        with opener.open(request, timeout=3) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def container(app: Path, **env) -> Gunicorn:
    """The image's CMD (a shell command), bound to loopback instead of every interface."""
    [cmd] = values(FINAL, "CMD")
    assert "0.0.0.0:${PORT:-8000}" in cmd
    port = free_port()
    return Gunicorn(
        command=cmd.replace("0.0.0.0:", "127.0.0.1:"),
        port=port,
        cwd=app,
        env=run_env(FINAL, PORT=str(port), WEB_CONCURRENCY="1", **env),
        log=app.parent / f"container-{port}.log",
        host=HOST,
    )


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """The build context after the builder's manage.py RUN steps."""
    app = tmp_path_factory.mktemp("image") / "app"
    patterns = (ROOT / ".dockerignore").read_text().splitlines()
    copied = sorted(path for path in exclude_paths(str(ROOT), patterns) if (ROOT / path).is_file())
    for rel in copied:
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, app / rel)
    ran = []
    for command in values(BUILDER, "RUN"):
        if "manage.py" not in command:
            continue
        result = subprocess.run(
            ["sh", "-c", command],
            cwd=app,
            env=run_env(BUILDER),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"RUN {command}\n{result.stdout}\n{result.stderr}"
        ran.append(command)
    return {"app": app, "copied": copied, "ran": ran}


# --- what the Dockerfile promises -------------------------------------------------------


def test_a_slim_multi_stage_image_that_runs_as_a_non_root_user():
    assert DOCKERFILE.is_multistage and DOCKERFILE.baseimage == "python:3.11-slim"
    users = values(FINAL, "USER")
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert stage_env(FINAL)["DJANGO_DEBUG"] == "0", "production unless told otherwise"


def test_dependencies_come_from_the_lock_with_hashes():
    installs = [run for run in values(BUILDER, "RUN") if "pip install" in run]
    assert any("--require-hashes -r requirements.lock" in run for run in installs), installs
    assert not any("apt-get" in run for run in values(BUILDER, "RUN")), "no system packages"


def test_the_command_is_gunicorn_as_pid_1_and_the_health_check_is_python():
    [cmd] = values(FINAL, "CMD")
    assert cmd.startswith("exec gunicorn buyingguide.wsgi:application"), "PID 1 gets SIGTERM"
    [check] = values(FINAL, "HEALTHCHECK")
    assert exec_form(check)[0] == "python" and "/healthz" in check


# --- the build context and build steps -------------------------------------------------


def test_the_build_context_has_the_site_and_nothing_private(image):
    copied = set(image["copied"])
    for needed in (
        "manage.py",
        "requirements.lock",
        "buyingguide/wsgi.py",
        "guidance/models.py",
        "casestudies/models.py",
        "assessments/models.py",
        "assessments/locale/es/LC_MESSAGES/django.po",
        "templates/base.html",
        "locale/es/LC_MESSAGES/django.po",
        "content/en/glossary.md",
    ):
        assert needed in copied, needed
    assert any(p.startswith("static/") for p in copied)
    private = {".git", ".venv", "node_modules", "tests", "staticfiles", "media", "docs", "bench"}
    for path in copied:
        assert path.split("/")[0] not in private | {"db.sqlite3", ".env"}, path
        assert "__pycache__" not in path and not path.endswith(".mo"), path


def test_the_translations_are_compiled_in_the_build(image):
    assert any("compile_translations" in command for command in image["ran"])
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
    env = run_env(
        FINAL,
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS=HOST,
        SITE_URL=ORIGIN,
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


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "SITE_URL"])
def test_the_container_refuses_to_start_half_configured(image, missing):
    settings = {
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "SITE_URL": ORIGIN,
        "DATABASE_URL": f"sqlite:///{image['app'].parent / 'refuse.sqlite3'}",
    }
    del settings[missing]
    server = container(image["app"], **settings).launch()
    try:
        status = server.wait(timeout=30)
    finally:
        output = server.stop()
    assert status != 0, output
    assert f"{missing} is not set" in output


def test_gunicorn_serves_healthz_and_the_health_check_passes(image):
    server = container(
        image["app"],
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS=HOST,
        SITE_URL=ORIGIN,
        DATABASE_URL=f"sqlite:///{image['app'].parent / 'serve.sqlite3'}",
    ).start(timeout=20)
    try:
        status, headers, body = get(f"{server.base_url}/healthz", HOST)
        assert status == 200 and headers["Content-Type"].startswith("application/json")
        assert json.loads(body)["status"] == "ok"

        # The HEALTHCHECK itself, as Docker would run it inside the container.
        check = exec_form(values(FINAL, "HEALTHCHECK")[0])
        command = [sys.executable if check[0] == "python" else check[0], *check[1:]]
        result = subprocess.run(
            command, env=server.env, capture_output=True, text=True, timeout=10, check=False
        )
        assert result.returncode == 0, result.stderr

        # whitenoise serves the collected files with a far-future cache lifetime (the request
        # says it came through the TLS proxy, else production redirects it to https).
        manifest = json.loads((image["app"] / "staticfiles" / "staticfiles.json").read_text())
        css = next(h for h in manifest["paths"].values() if h.endswith(".css"))
        status, headers, _body = get(
            f"{server.base_url}/static/{css}", HOST, **{"X-Forwarded-Proto": "https"}
        )
        assert status == 200
        assert "max-age=31536000" in headers.get("Cache-Control", "")
    finally:
        output = server.stop()
    assert "Traceback" not in output, output
