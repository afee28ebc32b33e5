"""Test settings: fast password hashing, quiet logs, no login lockout between tests."""

import tempfile

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Quiet, but never disabling loggers: a second django.setup() would otherwise switch off every
# logger imported by then, and the tests that read a warning (caplog) would see none.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "CRITICAL"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Built PDFs: a fresh directory per test run (content versions restart with the database).
PDF_ROOT = Path(tempfile.mkdtemp(prefix="bg-test-pdf-"))  # noqa: F405
# Most tests save case studies straight to the site; tests/casestudies/test_review.py turns
# review on with the `settings` fixture.
CASE_STUDY_REVIEW = {"REQUIRED": False, "SELF_APPROVAL": False}
