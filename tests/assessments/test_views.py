"""Answering, results, signed links, CSV and comparison, over HTTP against the real guide."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import codec
from assessments.selectors import instrument_in

STEP1 = "/en/assessments/gesi/step/1/answer/"


def _all(instrument, value=lambda q: q.radix - 1):
    return {q.id: value(q) for q in instrument.questions}


def _token(slug="gesi", language="en", value=lambda q: q.radix - 1):
    instrument = instrument_in(slug, language)
    return codec.encode(instrument, _all(instrument, value))


def _step1_answers(**extra):
    data = {f"gesi-{n}": "none" for n in range(1, 8)}
    data.update(extra)
    return data


def test_pages_list_and_explain_the_instruments(client, real_site):
    index = client.get("/es/assessments/").content.decode()
    for slug in ("gesi", "emergency", "think-smart", "critical-success-factors"):
        assert f'href="/es/assessments/{slug}/"' in index
    detail = client.get("/id/assessments/emergency/").content.decode()
    assert "Cara kami memberi skor" in detail  # the scoring model, in the visitor's language
    assert "44 pertanyaan di 3 halaman" in detail
    assert 'href="/id/assessments/emergency/step/1/"' in detail


def test_an_unanswered_question_is_listed_in_an_error_summary_that_links_to_it(client, real_site):
    response = client.post(STEP1, {"go": "next", "gesi-1": ["gender"]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "<title>Error:" in html
    for n in range(2, 8):
        assert f'href="#q-gesi-{n}"' in html and f'id="q-gesi-{n}"' in html
    assert 'href="#q-gesi-1"' not in html
    assert 'value="gender" checked' in html  # what was answered is kept


def test_none_and_some_items_together_is_an_error(client, real_site):
    html = client.post(STEP1, {"go": "next", **_step1_answers(**{"gesi-1": ["none", "gender"]})})
    assert "choose one or another" in html.content.decode()


def test_a_value_the_form_never_offered_is_asked_again_not_a_crash(client, real_site):
    response = client.post(STEP1, {"go": "next", **_step1_answers(**{"gesi-1": "<script>"})})
    assert response.status_code == 200
    assert 'href="#q-gesi-1"' in response.content.decode()


def test_back_and_forward_keep_every_answer(client, real_site):
    response = client.post(
        STEP1, {"go": "next", **_step1_answers(**{"gesi-1": ["gender", "sogi"]})}
    )
    assert response.status_code == 302
    step2 = response["Location"]
    assert step2.startswith("/en/assessments/gesi/step/2/")
    state = step2.rstrip("/").rsplit("/", 1)[1]
    # Answer one question on step 2, then go back: step 1 shows its answers, and the
    # step-2 answer travels along.
    back = client.post(
        "/en/assessments/gesi/step/2/answer/", {"go": "back", "state": state, "gesi-9": "partly"}
    )
    assert back.status_code == 302 and "/step/1/" in back["Location"]
    step1 = client.get(back["Location"]).content.decode()
    assert 'id="gesi-1-gender" value="gender" checked' in step1
    assert 'id="gesi-1-sogi" value="sogi" checked' in step1
    assert 'id="gesi-1-disability" value="disability">' in step1
    forward = re.search(r'href="(/en/assessments/gesi/step/2/[^"]+)"', step1).group(1)
    assert 'id="gesi-9-partly" value="partly" checked' in client.get(forward).content.decode()


def test_the_whole_journey_ends_on_a_result(client, real_site):
    instrument = instrument_in("think-smart", "en")
    state = ""
    for category in instrument.categories:
        data = {"go": "next", "state": state}
        data.update({q.id: "yes" for q in category.questions})
        response = client.post(f"/en/assessments/think-smart/step/{category.step}/answer/", data)
        assert response.status_code == 302, response.content.decode()[:500]
        state = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert "/result/" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert "Overall score: 100 out of 100" in html
    assert "<svg" in html and "<table" in html


def test_a_result_link_always_shows_the_same_result(client, real_site):
    token = _token(value=lambda q: 1)  # everything "not in place" / "none of these"
    first = client.get(f"/en/assessments/gesi/result/{token}/")
    again = client.get(f"/en/assessments/gesi/result/{token}/")
    assert first.status_code == again.status_code == 200
    assert "Overall score: 0 out of 100" in first.content.decode()
    assert first.content == again.content


def test_the_result_page_lists_weakest_indicators_with_topics_and_case_studies(client, real_site):
    instrument = instrument_in("emergency", "en")
    answers = _all(instrument, value=lambda q: q.radix - 2 if not q.fields else q.radix - 1)
    # Everything fully in place except e-procurement, which is not in place at all.
    for q in instrument.questions:
        if q.indicator.id == "e-procurement":
            answers[q.id] = 1
    html = client.get(
        f"/en/assessments/emergency/result/{codec.encode(instrument, answers)}/"
    ).content.decode()
    weakest = html.split("What to do next")[1]
    assert weakest.index("e-Procurement") < weakest.index("Your answers")
    assert 'href="/en/guide/plan/use-digital-buying-tools/"' in weakest
    assert 'href="/en/case-studies/nigeria-e-procurement/"' in weakest


def test_the_language_switcher_on_a_result_opens_the_same_result(client, real_site):
    token = _token("emergency", "en", value=lambda q: 2)
    html = client.get(f"/en/assessments/emergency/result/{token}/").content.decode()
    spanish = re.search(r'href="(/es/assessments/emergency/result/[^"]+)" hreflang="es"', html)
    response = client.get(spanish.group(1))
    assert response.status_code == 200
    score = re.search(r"Overall score: (\d+) out of 100", html).group(1)
    assert f"Puntuación total: {score} sobre 100" in response.content.decode()


@pytest.mark.parametrize(
    ("make_link", "message"),
    [
        (lambda t: t[:3] + ("A" if t[3] != "A" else "B") + t[4:], "damaged or incomplete"),
        (lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), "damaged or incomplete"),
        (lambda t: t[:-6], "damaged or incomplete"),
        (lambda t: t.split(".")[0], "damaged or incomplete"),
        (lambda t: "x" * 5000, "far too long"),
        (lambda t: "%00%ff..", "damaged or incomplete"),
    ],
)
def test_a_tampered_or_truncated_link_gets_a_400_page(client, real_site, make_link, message):
    response = client.get(f"/en/assessments/gesi/result/{make_link(_token())}/")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "<h1>This link cannot be opened</h1>" in html


def test_a_link_for_another_instrument_or_language_says_so_and_links_to_it(client, real_site):
    token = _token("emergency", "en")
    response = client.get(f"/es/assessments/gesi/result/{token}/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Este enlace pertenece a otra autoevaluación." in html  # the visitor's language
    assert f'href="/en/assessments/emergency/result/{token}/"' in html
    other_language = client.get(f"/id/assessments/emergency/result/{token}/")
    assert other_language.status_code == 400
    assert "dibuat dalam bahasa lain" in other_language.content.decode()


def test_an_unfinished_set_of_answers_has_no_result(client, real_site):
    instrument = instrument_in("gesi", "en")
    token = codec.encode(instrument, {"gesi-1": 2})
    response = client.get(f"/en/assessments/gesi/result/{token}/")
    assert response.status_code == 400
    assert "unfinished" in response.content.decode()


def test_a_tampered_hidden_state_is_refused(client, real_site):
    response = client.post(
        "/en/assessments/gesi/step/2/answer/", {"go": "next", "state": _token()[:-2] + "zz"}
    )
    assert response.status_code == 400


def test_unknown_instruments_and_steps_are_404(client, real_site):
    assert client.get("/en/assessments/nope/").status_code == 404
    assert client.get("/en/assessments/gesi/step/9/").status_code == 404
    assert client.get("/en/assessments/gesi/step/0/").status_code == 404


def _csv(response):
    text = (
        b"".join(response).decode("utf-8-sig")
        if response.streaming
        else response.content.decode("utf-8-sig")
    )
    return list(csv.reader(io.StringIO(text)))


def test_csv_download_has_a_row_per_question_in_the_visitor_s_language(client, real_site):
    token = _token("emergency", "es", value=lambda q: 2)
    response = client.get(f"/es/assessments/emergency/result/{token}/csv/")
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:4] == ["id", "Pregunta", "Respuesta", "Puntos"]
    assert len(rows) == 1 + 44
    first = rows[1]
    assert first[0] == "emergency-1-1" and first[2] == "Existe en parte" and first[3] == "1"
    supplier_fields = next(r for r in rows if r[0] == "emergency-3-6")
    assert supplier_fields[2] == "Razón social y número de registro" and supplier_fields[3] == "1"


def test_csv_uploaded_back_is_compared_with_the_new_result(client, real_site):
    instrument = instrument_in("gesi", "en")
    earlier_token = _token(value=lambda q: 1)  # all zero
    download = client.get(f"/es/assessments/gesi/result/{_token('gesi', 'es', lambda q: 1)}/csv/")
    later = _token()  # everything full
    upload = SimpleUploadedFile("old.csv", download.content, content_type="text/csv")
    response = client.post(f"/en/assessments/gesi/compare/{later}/", {"earlier_csv": upload})
    assert response.status_code == 302
    assert response["Location"] == f"/en/assessments/gesi/compare/{earlier_token}/{later}/"
    html = client.get(response["Location"]).content.decode()
    assert "Overall: 0 → 100" in html
    assert "<caption>Data: 0 → 100</caption>" in html
    assert "+100" in html
    assert len(instrument.indicators) == html.count('<tr><th scope="row">')


def test_comparing_with_a_pasted_link_made_in_another_language(client, real_site):
    earlier = _token("critical-success-factors", "id", lambda q: 2)  # "tend to disagree"
    later = _token("critical-success-factors", "en", lambda q: 4)
    response = client.post(
        f"/en/assessments/critical-success-factors/compare/{later}/",
        {
            "earlier": f"https://example.org/id/assessments/critical-success-factors/result/{earlier}/"
        },
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Overall: 33 → 100" in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"id,q,a,p,o,c\nnot-a-question,x,y,1,2,fully\n", "does not have"),
        (b"id,q,a,p,o,c\ngesi-1,x,y,1,2,bogus\n", "answer code"),
        (b"id,q,a,p,o,c\ngesi-9,x,y,1,2,fully\n", "no answer for 27"),
        (b"\xff\xfe\x00bad", "UTF-8"),
        (b"a" * 300_000, "too large"),
    ],
)
def test_a_bad_csv_upload_gets_a_clear_400_and_keeps_the_new_result(
    client, real_site, upload, message
):
    later = _token()
    response = client.post(
        f"/en/assessments/gesi/compare/{later}/",
        {"earlier_csv": SimpleUploadedFile("x.csv", upload, content_type="text/csv")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "There is a problem" in html
    assert f'action="/en/assessments/gesi/compare/{later}/"' in html


def test_a_bad_pasted_link_gets_a_clear_400(client, real_site):
    response = client.post(f"/en/assessments/gesi/compare/{_token()}/", {"earlier": "https://x/y/"})
    assert response.status_code == 400
    assert "We could not read that link" in response.content.decode()


def test_the_result_page_needs_few_queries_whatever_the_instrument(client, real_site):
    for slug in ("gesi", "emergency", "think-smart", "critical-success-factors"):
        url = f"/en/assessments/{slug}/result/{_token(slug)}/"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        # content version, the instrument, every instrument (for the other languages'
        # links), topics, case studies; nothing per question or per indicator.
        assert len(queries) <= 6, [q["sql"][:80] for q in queries]


def test_no_cookie_nothing_stored_and_pages_are_cached(client, real_site):
    from django.contrib.sessions.models import Session

    responses = [
        client.get("/en/assessments/gesi/step/1/"),
        client.post(STEP1, {"go": "next", **_step1_answers()}),
        client.get(f"/en/assessments/gesi/result/{_token()}/"),
    ]
    assert all(not r.cookies for r in responses)
    assert not Session.objects.exists()
    assert client.get(f"/en/assessments/gesi/result/{_token()}/")["X-Page-Cache"] == "hit"
    assert client.get("/en/assessments/gesi/step/1/")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    "path", ["/en/assessments/", "/es/assessments/gesi/", "/id/assessments/gesi/step/2/"]
)
def test_security_headers_and_no_inline_script_or_style(client, real_site, path):
    response = client.get(path)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    # The one script element allowed is the schema.org data block, which never runs.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script type="application/ld+json">'], scripts
    assert "<style" not in html and " style=" not in html


def test_instruments_are_linked_from_home_navigation_stages_and_topics(client, real_site):
    home = client.get("/en/").content.decode()
    assert 'href="/en/assessments/"' in home and 'href="/en/assessments/gesi/"' in home
    emergency = client.get("/en/guide/emergency/").content.decode()
    assert 'href="/en/assessments/emergency/"' in emergency
    plan = client.get("/es/guide/plan/").content.decode()
    assert 'href="/es/assessments/think-smart/"' in plan
    topic = client.get("/en/guide/plan/understand-user-needs/").content.decode()
    assert 'href="/en/assessments/gesi/"' in topic


def test_search_finds_the_instruments_in_each_language(client, real_site):
    html = client.get("/es/search/", {"q": "emergencia proveedores"}).content.decode()
    assert 'href="/es/assessments/emergency/"' in html
    html = client.get("/id/search/", {"q": "kesetaraan gender"}).content.decode()
    assert 'href="/id/assessments/gesi/"' in html


def test_the_sitemap_lists_the_instruments_with_hreflang(client, real_site):
    xml = client.get("/sitemap.xml").content.decode()
    assert "/en/assessments/critical-success-factors/</loc>" in xml
    assert 'hreflang="id" href="http://testserver/id/assessments/gesi/"' in xml
