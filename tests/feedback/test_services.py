"""What is stored: personal data stripped; every answer counted, also when they arrive at once."""

import threading

import pytest
from django.db import connection

from buyingguide.loading import content_load
from feedback import services
from feedback.models import Vote


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("mail me at ana.perez+gov@city.example.org please", "mail me at [email removed] please"),
        ("ANA@EXAMPLE.GOV.UK", "[email removed]"),
        ("call +44 20 7946 0958 today", "call [phone removed] today"),
        ("tel (021) 555-1234", "tel [phone removed]"),
        ("ring 0812-3456-7890", "ring [phone removed]"),
        ("+34 912 345 678", "[phone removed]"),
    ],
)
def test_email_addresses_and_phone_numbers_are_removed(text, stored):
    assert services.strip_personal_data(text) == stored


@pytest.mark.parametrize(
    "text",
    [
        "Contracts from 2019-2024 over 500000 dollars",
        "ISO 27001 and EN 301 549",
        "the 3 March 2027 deadline, 12/05/2026",
    ],
)
def test_years_dates_and_standards_are_kept(text):
    assert services.strip_personal_data(text) == text


def test_a_stored_comment_has_no_email_address(db):
    vote = services.vote_record(page="/guide/", language="en", content_version=1, useful=False)
    assert services.comment_add(vote_id=vote.pk, text="Write to me: jo@example.org, 555 123 4567")
    vote.refresh_from_db()
    assert "@" not in vote.comment
    assert "4567" not in vote.comment


def test_a_yes_takes_no_comment(db):
    vote = services.vote_record(page="/guide/", language="en", content_version=1, useful=True)
    assert not services.comment_add(vote_id=vote.pk, text="hello")
    vote.refresh_from_db()
    assert vote.comment == ""


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks whole tables between threads; on SQLite "
    "the same test runs against the real server: tests/browser/test_feedback.py",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_are_all_counted(settings):
    """Many readers posting at the same moment: each answer is its own row, none lost."""
    from django.test import Client

    from tests.conftest import FIXTURE_CONTENT
    from tests.feedback.conftest import ORIGIN, TOPIC, form_fields

    content_load(FIXTURE_CONTENT)
    settings.FEEDBACK_RATE_LIMIT = "1000/m"
    fields = form_fields(Client().get(f"/es{TOPIC}").content.decode())
    readers = 200
    barrier = threading.Barrier(readers)
    statuses, errors = [], []

    def answer(index):
        try:
            client = Client(REMOTE_ADDR=f"198.51.100.{index % 250}", HTTP_ORIGIN=ORIGIN)
            barrier.wait(timeout=30)
            useful = "no" if index % 3 == 0 else "yes"
            statuses.append(client.post("/es/feedback/", {**fields, "useful": useful}).status_code)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    assert statuses == [303] * readers
    assert Vote.objects.filter(page=TOPIC, language="es").count() == readers
    assert Vote.objects.filter(useful=False).count() == len(range(0, readers, 3))
