"""A reader answers "Was this page useful?": Yes, or No with what they were looking for."""

import pytest

from feedback.models import Vote
from guidance.version import content_version

from .conftest import TOPIC, form_fields

THANKS = {"en": "Thank you for your feedback", "es": "Gracias por su opinión",
          "id": "Terima kasih atas masukan Anda"}  # fmt: skip
NO_PERSONAL_DATA = {
    "en": "Please do not include personal data",
    "es": "No incluya datos personales",
    "id": "Jangan cantumkan data pribadi",
}


@pytest.mark.parametrize("lang", ["en", "es", "id"])
def test_yes_is_counted_and_thanked_in_the_readers_language(client, page_form, post, lang):
    fields = page_form(lang)
    response = post(f"/{lang}/feedback/", {**fields, "useful": "yes"})
    assert response.status_code == 303
    thanks = client.get(response["Location"])
    text = thanks.content.decode()
    assert THANKS[lang] in text
    assert f'href="/{lang}{TOPIC}"' in text, "the thank-you page leads back to the page"
    vote = Vote.objects.get()
    assert (vote.page, vote.language, vote.useful, vote.comment) == (TOPIC, lang, True, "")
    assert vote.content_version == content_version()


@pytest.mark.parametrize("lang", ["en", "es", "id"])
def test_no_then_what_they_were_looking_for(client, page_form, post, lang):
    response = post(f"/{lang}/feedback/", {**page_form(lang), "useful": "no"})
    assert response.status_code == 303
    assert Vote.objects.get().useful is False, "the No counts before any comment"
    step = client.get(response["Location"])
    html = step.content.decode()
    assert step.status_code == 200
    assert NO_PERSONAL_DATA[lang] in html
    assert '<textarea name="comment"' in html
    token = form_fields_from_comment(html)
    done = post(
        f"/{lang}/feedback/more/",
        {"token": token, "comment": "Prices for cloud hosting. Write to ana@example.org"},
    )
    assert done.status_code == 303
    assert THANKS[lang] in client.get(done["Location"]).content.decode()
    vote = Vote.objects.get()
    assert vote.comment == "Prices for cloud hosting. Write to [email removed]"
    assert vote.commented_at is not None


def test_a_no_without_a_comment_is_still_counted(client, page_form, post):
    response = post("/en/feedback/", {**page_form(), "useful": "no"})
    token = form_fields_from_comment(client.get(response["Location"]).content.decode())
    done = post("/en/feedback/more/", {"token": token, "comment": "  "})
    assert done.status_code == 303
    vote = Vote.objects.get()
    assert (vote.useful, vote.comment, vote.commented_at) == (False, "", None)


def form_fields_from_comment(html: str) -> str:
    import re

    return re.search(r'name="token" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    "path",
    ["/en/guide/", "/en/guide/plan/", f"/en{TOPIC}", "/es/guide/plan/work-as-a-team/",
     "/en/case-studies/open-data-portal/", "/en/glossary/", "/en/resources/"],
)  # fmt: skip
def test_guide_case_study_and_resource_pages_end_with_the_question(client, fixture_site, path):
    html = client.get(path).content.decode()
    fields = form_fields(html)
    assert fields["page"] == path[3:]
    # At the end of the page's main content, inside <main>.
    assert html.index('class="page-feedback"') < html.index("</main>")


@pytest.mark.parametrize(
    "path", ["/en/", "/en/search/?q=team", "/en/case-studies/no-such-case/", "/en/no-such-page/"]
)
def test_home_search_and_error_pages_do_not_ask(client, fixture_site, path):
    assert 'class="page-feedback"' not in client.get(path).content.decode()


def test_reading_a_page_sets_no_cookie_and_it_is_served_from_the_cache(client, fixture_site):
    first = client.get(f"/en{TOPIC}")
    assert first["X-Page-Cache"] == "miss"
    again = client.get(f"/en{TOPIC}")
    assert again["X-Page-Cache"] == "hit"
    for response in (first, again):
        assert "Set-Cookie" not in response
        assert not response.cookies
    assert form_fields(again.content.decode()) == form_fields(first.content.decode())


def test_a_cached_page_s_form_still_works(client, page_form, post):
    page_form()  # the first reader's view fills the cache
    fields = page_form()  # the next reader gets the cached HTML and its token
    assert post("/en/feedback/", {**fields, "useful": "yes"}).status_code == 303
    assert Vote.objects.count() == 1


def test_answers_are_never_cached_and_set_no_cookie(client, page_form, post):
    response = post("/en/feedback/", {**page_form(), "useful": "no"})
    step = client.get(response["Location"])
    for each in (response, step, client.get("/en/feedback/thanks/")):
        assert "no-store" in each["Cache-Control"]
        assert "Set-Cookie" not in each
        assert "X-Page-Cache" not in each
