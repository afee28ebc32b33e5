"""Editors read feedback in the admin: counts and share per page, chart, comments, CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from feedback import services
from feedback.models import Vote

REPORT = "/admin/feedback/vote/report/"
PAGE_REPORT = "/admin/feedback/vote/report/page/"
CSV_URL = "/admin/feedback/vote/export.csv"
TOPIC = "/guide/plan/work-as-a-team/"


@pytest.fixture
def editor_client(client, db):
    call_command(
        "create_editor", "edna", "--email", "edna@example.org", "--password",
        "a-long-test-password-1", stdout=io.StringIO(),
    )  # fmt: skip
    client.force_login(get_user_model().objects.get(username="edna"))
    return client


def answer(days_ago, useful, *, page=TOPIC, language="es", comment="", version=4):
    now = timezone.now() - timedelta(days=days_ago)
    vote = services.vote_record(
        page=page, language=language, content_version=version, useful=useful, now=now
    )
    if comment:
        services.comment_add(vote_id=vote.pk, text=comment, now=now)
    return vote


@pytest.fixture
def answers(db):
    # Spanish topic page: within 30 days 3 yes, 1 no; 31–90 days 1 yes, 3 no; older 5 no.
    for days in (1, 2, 3):
        answer(days, True)
    answer(5, False, comment="precios de la nube")
    answer(40, True)
    answer(45, False, comment="plantillas de contrato")
    answer(50, False)
    answer(60, False, comment="escribir a ana@example.org")
    for days in (100, 120, 130, 140, 150):
        answer(days, False, comment="viejo")
    # Same page in English, and another page.
    answer(1, True, language="en")
    answer(2, False, page="/guide/buy/", language="en")


def _cells(html, row_start):
    import re

    row = html[html.index(row_start) :]
    row = row[: row.index("</tr>")]
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    ]


def test_the_report_gives_counts_and_share_per_page_and_language(editor_client, answers):
    response = editor_client.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    # page, language, 30 days: yes, no, share; 90 days: yes, no, share; comments (90 days)
    rows = {}
    for query in (
        "page=%2Fguide%2Fplan%2Fwork-as-a-team%2F&amp;language=es",
        "page=%2Fguide%2Fplan%2Fwork-as-a-team%2F&amp;language=en",
        "page=%2Fguide%2Fbuy%2F&amp;language=en",
    ):
        cells = _cells(html, f'<th scope="row"><a href="{PAGE_REPORT}?{query}')
        rows[tuple(cells[:2])] = cells
    assert rows[(TOPIC, "es")] == [TOPIC, "es", "3", "1", "75%", "4", "4", "50%", "3"]
    assert rows[(TOPIC, "en")] == [TOPIC, "en", "1", "0", "100%", "1", "0", "100%", "0"]
    assert rows[("/guide/buy/", "en")][2:5] == ["0", "1", "0%"]


def test_the_report_filters_by_language(editor_client, answers):
    html = editor_client.get(REPORT + "?language=en").content.decode()
    assert "language=es" not in html
    assert "language=en" in html


def test_a_page_report_has_a_chart_a_table_and_comments_newest_first(editor_client, answers):
    response = editor_client.get(PAGE_REPORT, {"page": TOPIC, "language": "es"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg viewBox="0 0 640 220"' in html and 'role="img"' in html
    assert "Answers per week (week starting)" in html, "the chart has its table beside it"
    assert _cells(html, '<th scope="row">Last 30 days')[1:] == ["3", "1", "75%"]
    assert _cells(html, '<th scope="row">Last 90 days')[1:] == ["4", "4", "50%"]
    newest, middle, oldest = (
        "precios de la nube",
        "plantillas de contrato",
        "escribir a [email removed]",
    )
    assert html.index(newest) < html.index(middle) < html.index(oldest)
    assert "ana@example.org" not in html
    assert 'href="/es/guide/plan/work-as-a-team/"' in html


def test_the_weekly_table_adds_up_to_the_answers_of_the_last_13_weeks(editor_client, answers):
    import re

    html = editor_client.get(PAGE_REPORT, {"page": TOPIC, "language": "es"}).content.decode()
    table = html[html.index("Answers per week (week starting)") :]
    table = table[: table.index("</table>")]
    weeks = re.findall(r"<th scope=\"row\">[^<]+</th><td>(\d+)</td><td>(\d+)</td>", table)
    assert len(weeks) == 13
    assert sum(int(y) for y, _ in weeks) == 4
    assert sum(int(n) for _, n in weeks) == 4


def test_the_csv_has_every_answer_newest_first(editor_client, answers):
    response = editor_client.get(CSV_URL, {"page": TOPIC, "language": "es"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["time", "page", "language", "content_version", "useful", "comment"]
    assert len(rows) == 1 + 13
    assert [row[4] for row in rows[1:5]] == ["yes", "yes", "yes", "no"]
    assert rows[4][5] == "precios de la nube"
    everything = list(csv.reader(io.StringIO(editor_client.get(CSV_URL).content.decode())))
    assert len(everything) == 1 + Vote.objects.count()


def test_a_comment_cannot_become_a_spreadsheet_formula(editor_client, db):
    answer(1, False, comment='=HYPERLINK("http://x")')
    rows = list(csv.reader(io.StringIO(editor_client.get(CSV_URL).content.decode())))
    assert rows[1][5].startswith("'=")


def test_clearing_old_comments_keeps_the_counts(editor_client, answers):
    old = Vote.objects.filter(created_at__lt=timezone.now() - timedelta(days=90))
    ids = list(old.values_list("pk", flat=True))
    response = editor_client.post(
        "/admin/feedback/vote/",
        {"action": "clear_comments", "_selected_action": ids},
        follow=True,
    )
    assert "5 comments deleted; the answers are still counted." in response.content.decode()
    assert Vote.objects.count() == 15
    assert not Vote.objects.filter(pk__in=ids).exclude(comment="").exists()
    assert Vote.objects.exclude(comment="").count() == 3, "newer comments stay"
    # The report's numbers did not move.
    html = editor_client.get(PAGE_REPORT, {"page": TOPIC, "language": "es"}).content.decode()
    assert _cells(html, '<th scope="row">Last 90 days')[1:] == ["4", "4", "50%"]


def test_a_cleared_answer_takes_no_new_comment(db):
    vote = answer(200, False, comment="old")
    services.comments_clear(votes=Vote.objects.filter(pk=vote.pk))
    assert not services.comment_add(vote_id=vote.pk, text="again")


def test_answers_cannot_be_deleted_or_added_in_the_admin(editor_client, answers):
    html = editor_client.get("/admin/feedback/vote/").content.decode()
    assert "delete_selected" not in html
    assert editor_client.get("/admin/feedback/vote/add/").status_code == 403
    vote = Vote.objects.first()
    assert editor_client.get(f"/admin/feedback/vote/{vote.pk}/delete/").status_code == 403


def test_only_staff_with_the_permission_read_feedback(client, db, answers):
    for url in (REPORT, PAGE_REPORT + f"?page={TOPIC}&language=es", CSV_URL):
        assert client.get(url).status_code == 302, "anonymous visitors go to the login page"
    plain = get_user_model().objects.create_user("sam", password="x" * 20, is_staff=True)
    client.force_login(plain)
    for url in (REPORT, CSV_URL):
        assert client.get(url).status_code == 403


def test_a_hostile_page_parameter_gets_an_empty_report_not_an_error(editor_client, db):
    response = editor_client.get(PAGE_REPORT, {"page": "<script>" + "x" * 5000, "language": "zz"})
    assert response.status_code == 200
    assert "<script>x" not in response.content.decode()
