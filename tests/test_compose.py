"""compose.yaml, checked without a container engine (issue 22).

Validated against the Compose Specification's own JSON schema (jsonschema), then what an
operator relies on: PostgreSQL and Redis with health checks, two identical app instances
started only once both are healthy and migrations ran, nginx serving static files and
sending the rest to both, and no secret written in the file. The behaviour of two instances
on one PostgreSQL and Redis is proved by tests/test_multi_instance.py.
"""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(
    (ROOT / "tests" / "fixtures" / "compose-spec" / "compose-spec.json").read_text()
)
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APPS = ("app-a", "app-b")
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()


def test_the_file_is_valid_against_the_compose_specification():
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    errors = sorted(jsonschema.Draft7Validator(SCHEMA).iter_errors(COMPOSE), key=str)
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors]


def test_the_schema_catches_a_broken_file():
    # The check can fail: a typo in a service key is reported.
    broken = {"services": {"app": {"image": "x", "helthcheck": {"test": ["CMD", "true"]}}}}
    assert list(jsonschema.Draft7Validator(SCHEMA).iter_errors(broken))


@pytest.mark.parametrize("name", ["postgres", "redis", *APPS, "proxy"])
def test_every_long_running_service_has_a_health_check(name):
    check = SERVICES[name]["healthcheck"]
    assert check["test"][0] == "CMD" and not check.get("disable")
    assert SERVICES[name]["restart"] == "unless-stopped"


def test_two_identical_instances_of_the_image_on_the_shared_services():
    a, b = (SERVICES[name] for name in APPS)
    assert a == b and a["build"] == "."
    assert "command" not in a, (
        "the image's CMD (gunicorn), as tests/test_production_image.py runs it"
    )
    environment = a["environment"]
    assert re.fullmatch(
        r"postgres://\w+:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432/\w+",
        environment["DATABASE_URL"],
    )
    assert environment["CACHE_URL"].startswith("redis://redis:")
    assert environment["PDF_ROOT"].startswith("/data/") and "data:/data" in a["volumes"]
    assert "/readyz" in " ".join(a["healthcheck"]["test"])
    for service in ("postgres", "redis"):
        assert a["depends_on"][service]["condition"] == "service_healthy"
    assert a["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "migrate" in " ".join(SERVICES["migrate"]["command"])


def test_nginx_serves_static_files_and_balances_both_instances():
    proxy = SERVICES["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert {
        SERVICES[app]["depends_on"] and proxy["depends_on"][app]["condition"] for app in APPS
    } == {"service_healthy"}
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    for app in APPS:
        assert re.search(rf"server {app}:8000\b", NGINX)
    static = re.search(r"location /static/ \{\s*alias (\S+);", NGINX).group(1)
    assert f"static:{static.rstrip('/')}:ro" in proxy["volumes"]
    assert "static:/srv/static" in SERVICES["static"]["volumes"]
    assert "X-Forwarded-Proto" in NGINX and proxy["ports"]


def test_no_secret_is_written_in_the_file():
    text = (ROOT / "compose.yaml").read_text()
    for variable in ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD"):
        assert re.search(rf"\$\{{{variable}:\?", text), f"{variable} must be required, not given"
    for value in json.dumps(COMPOSE).split('"'):
        assert not re.search(r"(password|secret)\s*[:=]\s*\w{6,}", value, re.I), value
