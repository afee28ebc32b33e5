"""Refused posts: a clear page in the reader's language, never a 500, and nothing stored."""

import time

import pytest
from django.core import signing

from feedback.models import Vote

from .conftest import TOPIC

NOT_STORED = {"en": "Nothing was stored.", "es": "No se ha guardado nada.",
              "id": "Tidak ada yang disimpan."}  # fmt: skip


def assert_refused(response, status, words, lang="en"):
    text = response.content.decode()
    assert response.status_code == status, text[:500]
    assert words in text
    assert NOT_STORED[lang] in text
    assert f'<html lang="{lang}">' in text
    assert Vote.objects.count() == 0


def test_a_damaged_token_is_refused(page_form, post):
    fields = page_form()
    fields["token"] = fields["token"][:-3] + "xyz"
    response = post("/en/feedback/", {**fields, "useful": "yes"})
    assert_refused(response, 400, "The form was damaged or belongs to another page")


def test_a_missing_token_is_refused(page_form, post):
    fields = page_form()
    del fields["token"]
    assert_refused(post("/en/feedback/", {**fields, "useful": "yes"}), 400, "damaged")


def test_an_expired_token_is_refused_with_a_reload_hint(client, fixture_site, post, monkeypatch):
    from tests.feedback.conftest import form_fields

    # The page was rendered (and its token signed) three days ago.
    three_days_ago = signing.b62_encode(int(time.time()) - 3 * 86400)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: three_days_ago)
    fields = form_fields(client.get(f"/es{TOPIC}").content.decode())
    monkeypatch.undo()
    response = post("/es/feedback/", {**fields, "useful": "yes"})
    assert_refused(response, 400, "el formulario ha caducado", lang="es")


def test_a_token_for_another_page_is_refused(page_form, post):
    fields = page_form()
    fields["page"] = "/guide/buy/evaluate-bids/"
    assert_refused(post("/en/feedback/", {**fields, "useful": "no"}), 400, "another page")


def test_a_token_for_another_language_is_refused(page_form, post):
    fields = page_form("en")
    response = post("/id/feedback/", {**fields, "useful": "yes"})
    assert_refused(response, 400, "Formulir rusak atau milik halaman lain", lang="id")


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "", "HTTP_REFERER": "https://evil.example/en/guide/"},
        {"HTTP_ORIGIN": ""},  # neither header: nothing says where the post came from
    ],
    ids=["foreign-origin", "null-origin", "foreign-referer", "no-origin"],
)
def test_a_post_from_another_site_is_refused(page_form, post, headers):
    response = post("/en/feedback/", {**page_form(), "useful": "yes"}, **headers)
    assert_refused(response, 403, "came from another website")


def test_a_same_site_referer_is_enough_without_origin(page_form, post):
    headers = {"HTTP_ORIGIN": "", "HTTP_REFERER": f"http://testserver/en{TOPIC}"}
    assert post("/en/feedback/", {**page_form(), "useful": "yes"}, **headers).status_code == 303
    assert Vote.objects.count() == 1


def test_a_filled_honeypot_is_refused(page_form, post):
    response = post("/en/feedback/", {**page_form(), "useful": "yes", "website": "http://spam"})
    assert_refused(response, 400, "could not be accepted")


@pytest.mark.parametrize("useful", ["", "maybe", "yes" * 100])
def test_an_answer_other_than_yes_or_no_is_refused(page_form, post, useful):
    assert_refused(post("/en/feedback/", {**page_form(), "useful": useful}), 400, "damaged")


def test_a_get_of_the_endpoint_gets_a_page_not_an_error(client, fixture_site):
    assert_refused(client.get("/es/feedback/"), 405, "No se pudo aceptar su respuesta", "es")


def test_past_the_throttle_a_client_is_told_to_wait(client, page_form, post, settings):
    settings.FEEDBACK_RATE_LIMIT = "3/m"
    fields = page_form()
    for _ in range(3):
        assert post("/en/feedback/", {**fields, "useful": "yes"}).status_code == 303
    response = post("/en/feedback/", {**fields, "useful": "yes"})
    assert response.status_code == 429
    assert "Please wait a minute" in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 60
    assert Vote.objects.count() == 3, "the refused post stored nothing"
    # Another address is not held back by this one.
    other = post("/en/feedback/", {**fields, "useful": "yes"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 303
    assert Vote.objects.count() == 4


def test_the_throttle_also_counts_refused_posts(page_form, post, settings):
    settings.FEEDBACK_RATE_LIMIT = "2/m"
    fields = page_form()
    for _ in range(2):
        post("/en/feedback/", {**fields, "useful": "yes", "website": "bot"})
    assert post("/en/feedback/", {**fields, "useful": "yes"}).status_code == 429
    assert Vote.objects.count() == 0


# The comment step.


def _no(client, page_form, post, lang="en"):
    response = post(f"/{lang}/feedback/", {**page_form(lang), "useful": "no"})
    token = response["Location"].split("t=", 1)[1]
    from urllib.parse import unquote

    return unquote(token)


@pytest.mark.parametrize("length", [1001, 1024 * 1024])
def test_an_over_long_comment_is_refused_and_the_text_kept(client, page_form, post, length):
    token = _no(client, page_form, post)
    text = "a" * length
    response = post("/en/feedback/more/", {"token": token, "comment": text})
    html = response.content.decode()
    assert response.status_code == 400
    assert f"at most 1000 characters (it has {length})" in html
    assert text in html, "the reader's text is kept so they can shorten it"
    assert Vote.objects.get().comment == ""


def test_an_over_long_comment_in_spanish(client, page_form, post):
    token = _no(client, page_form, post, "es")
    response = post("/es/feedback/more/", {"token": token, "comment": "b" * 1200})
    assert response.status_code == 400
    assert (
        "Acorte su respuesta a 1000 caracteres como máximo (tiene 1200)"
        in response.content.decode()
    )


def test_a_comment_that_is_not_utf8_is_refused(client, page_form, post):
    token = _no(client, page_form, post)
    body = b"token=" + token.encode() + b"&comment=caf%E9+%FF%FE"
    response = client.post(
        "/en/feedback/more/",
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert Vote.objects.get().comment == ""


def test_a_second_comment_for_the_same_answer_is_not_stored(client, page_form, post):
    token = _no(client, page_form, post)
    assert post("/en/feedback/more/", {"token": token, "comment": "first"}).status_code == 303
    again = post("/en/feedback/more/", {"token": token, "comment": "second"})
    assert again.status_code == 409
    assert "We already have your comment" in again.content.decode()
    assert Vote.objects.get().comment == "first"


def test_a_comment_token_cannot_be_forged(client, fixture_site, post):
    forged = signing.dumps({"vote": 1}, salt="another.salt")
    response = client.get(f"/en/feedback/more/?t={forged}")
    assert_refused(response, 400, "damaged")
    assert_refused(post("/en/feedback/more/", {"token": forged, "comment": "x"}), 400, "damaged")


def test_a_page_token_is_no_comment_token(page_form, post):
    fields = page_form()
    response = post("/en/feedback/more/", {"token": fields["token"], "comment": "x"})
    assert_refused(response, 400, "damaged")


def test_a_comment_from_another_site_is_refused(client, page_form, post):
    token = _no(client, page_form, post)
    response = post(
        "/en/feedback/more/", {"token": token, "comment": "x"}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert Vote.objects.get().comment == ""


def test_a_comment_with_the_honeypot_filled_is_refused(client, page_form, post):
    token = _no(client, page_form, post)
    response = post("/en/feedback/more/", {"token": token, "comment": "x", "website": "y"})
    assert response.status_code == 400
    assert Vote.objects.get().comment == ""
