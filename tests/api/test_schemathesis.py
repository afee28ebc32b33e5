"""Property-based run of schemathesis against the generated OpenAPI schema.

Every operation, a bounded number of generated examples each, all of schemathesis's checks
(no 5xx, status codes, content types and bodies as the schema declares them, ...), in-process
through the WSGI application, on the real content (every kind has items there).
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

MAX_EXAMPLES = 15


@pytest.fixture
def api_schema(real_site, settings_api_unlimited, _keep_test_connection):
    # The handler itself: get_wsgi_application() would run django.setup() (and logging) again.
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())


@pytest.fixture
def _keep_test_connection():
    """As Django's test client does: the WSGI handler must not close the connection that
    holds the test's transaction (it would on PostgreSQL, where autocommit is off in it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def settings_api_unlimited(settings):
    settings.API_RATE_LIMIT = "100000/min"  # the run itself must not be rate limited
    settings.ALLOWED_HOSTS = ["*"]


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case):
    # The in-process WSGI transport asks for gzip like a browser but does not unpack it
    # (gzip itself is tested in test_http.py).
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
