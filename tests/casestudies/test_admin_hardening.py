"""The admin with over-long text or headings that clash with the page (issue 13, 5 and 10)."""

import re
from collections import Counter

from casestudies.models import CaseStudy
from guidance.limits import MAX_STORY_CHARS

from .conftest import ADD_URL, case_data
from .test_admin import form_errors


def test_a_3_mb_story_in_the_admin_gets_a_form_error_and_keeps_the_text(editor_client):
    story = "## The problem\n\n" + "A long, long story. " * 150_000  # about 3 MB
    response = editor_client.post(ADD_URL, case_data(body_en=story))
    assert response.status_code == 200  # the form again, not "Bad Request (400)"
    [message] = form_errors(response)["body_en"]
    assert f"{MAX_STORY_CHARS:,}" in message or str(MAX_STORY_CHARS) in message
    html = response.content.decode()
    assert (
        "A long, long story. " * 50 in html
        and 'value="A town buys a shared booking system"' in html
    )
    assert not CaseStudy.objects.filter(slug="town-booking-system").exists()


def test_an_editor_s_story_and_its_page_have_unique_ids(editor_client, client):
    body = (
        "## Main\n\nOne.\n\n## Case studies\n\nTwo.\n\n## Site name\n\nThree.\n\n"
        "| a | b |\n|---:|:---|\n| 1 | 2 |\n"
    )
    response = editor_client.post(ADD_URL, case_data(body_en=body, status="published"))
    assert response.status_code == 302
    html = client.get("/en/case-studies/town-booking-system/").content.decode()
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    assert ids and all(count == 1 for count in ids.values()), ids
    assert 'class="align-right"' in html and " style=" not in html


def test_a_form_over_the_request_limit_gets_a_page_that_says_what_to_do(editor_client, settings):
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = editor_client.post(ADD_URL, case_data(body_en=body))
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>The request could not be read</h1>" in html
    assert "Nothing was saved" in html and "Go back" in html
    assert not CaseStudy.objects.filter(slug="town-booking-system").exists()
