"""Self-assessment pages: list, instrument, one step per category, result, CSV, comparison.

Answers live only in signed tokens in the address or a hidden field (codec.py): no session,
no cookie, nothing written, so every GET page is cached like the rest of the site. The forms
post back here and change nothing on the server, so they need no CSRF cookie.
"""

from urllib.parse import unquote, urlsplit

from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import codec
from .answers import CsvProblem, answers_from_csv, answers_from_form, write_csv
from .scoring import compare_results, levels, score_answers
from .selectors import (
    all_instruments,
    assessment_row,
    assessments_in_language,
    instrument_in_every_language,
    instrument_of,
    result_report,
)

REASONS = {
    "damaged": gettext_lazy(
        "This link is damaged or incomplete: part of it is missing or has been changed, so "
        "we cannot show the answers it held. Check that you copied the whole link."
    ),
    "too-long": gettext_lazy("This link is far too long to be a link made by this guide."),
    "incomplete": gettext_lazy(
        "This link holds an unfinished set of answers, so it has no result yet."
    ),
    "other-language": gettext_lazy(
        "This link was made in another language. Open it in the language it was made in, "
        "then switch language on that page."
    ),
    "other-assessment": gettext_lazy("This link belongs to a different self-assessment."),
}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _instrument_or_404(slug):
    row = assessment_row(slug, _language())
    if row is None:
        raise Http404
    return row, instrument_of(row)


def _bad_link(request, row, reason, *, fix_url=None):
    return render(
        request,
        "assessments/bad_link.html",
        {"assessment": row, "message": REASONS[reason], "fix_url": fix_url, "nav": "assessments"},
        status=400,
    )


def _find_owner(token, instrument, url_name, extra=()):
    """Where a token that fails here would open: (reason, url) for another language or
    instrument, or None."""
    for other in all_instruments():
        if (other.slug, other.language) == (instrument.slug, instrument.language):
            continue
        if codec.signed_for(other, token):
            with override(other.language):
                url = reverse(url_name, args=[other.slug, *extra, token])
            reason = "other-language" if other.slug == instrument.slug else "other-assessment"
            return reason, url
    return None


def _decode(request, row, instrument, token, url_name, *, complete, extra=()):
    """(answers, None) or (None, a 400 response that says what is wrong)."""
    try:
        answers = codec.decode(instrument, token)
    except codec.BadToken as problem:
        reason, fix_url = problem.reason, None
        if reason == "damaged":
            owner = _find_owner(token, instrument, url_name, extra)
            if owner:
                reason, fix_url = owner
        return None, _bad_link(request, row, reason, fix_url=fix_url)
    if complete and any(v == 0 for v in answers.values()):
        return None, _bad_link(request, row, "incomplete")
    return answers, None


def _language_paths(request, instrument, answers, url_name, *extra):
    """The same page in each language: the answers re-signed for that language's text."""
    paths = {}
    for other in instrument_in_every_language(instrument.slug):
        if other.fingerprint == instrument.fingerprint:
            with override(other.language):
                tokens = [codec.encode(other, a) for a in answers]
                paths[other.language] = reverse(url_name, args=[other.slug, *extra, *tokens])
    request.language_paths = paths


@require_GET
def index(request):
    return render(
        request,
        "assessments/index.html",
        {"assessments": assessments_in_language(), "nav": "assessments"},
    )


@require_GET
def detail(request, slug):
    row, instrument = _instrument_or_404(slug)
    scale_names = {}
    for q in instrument.questions:
        key = "fields" if q.fields else tuple(q.scale)
        scale_names.setdefault(key, q)
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": row,
            "instrument": instrument,
            "levels": levels(),
            "scales": [q.scale for key, q in scale_names.items() if key != "fields"],
            "has_fields": "fields" in scale_names,
            "nav": "assessments",
        },
    )


def _step_context(row, instrument, category, answers, problems=()):
    token = codec.encode(instrument, answers)
    by_question = {p.question.id: p.message for p in problems}
    questions = []
    for q in category.questions:
        value = answers.get(q.id, 0)
        questions.append(
            {
                "q": q,
                "error": by_question.get(q.id),
                "chosen": q.answer_code(value).split("+") if value else [],
            }
        )
    return {
        "assessment": row,
        "instrument": instrument,
        "category": category,
        "questions": questions,
        "problems": problems,
        "state": token,
        "steps": [
            {
                "category": c,
                "done": all(answers.get(q.id, 0) for q in c.questions),
                "url": reverse("assessments:step-state", args=[instrument.slug, c.step, token]),
            }
            for c in instrument.categories
        ],
        "total": len(instrument.categories),
        "nav": "assessments",
    }


def _category(instrument, step):
    if not 1 <= step <= len(instrument.categories):
        raise Http404
    return instrument.categories[step - 1]


@require_GET
def step(request, slug, step, token=None):
    row, instrument = _instrument_or_404(slug)
    category = _category(instrument, step)
    answers = {}
    if token is not None:
        answers, error = _decode(
            request, row, instrument, token, "assessments:step-state", complete=False, extra=[step]
        )
        if error:
            return error
        _language_paths(request, instrument, [answers], "assessments:step-state", step)
    return render(
        request, "assessments/step.html", _step_context(row, instrument, category, answers)
    )


@csrf_exempt  # changes nothing on the server and sets no cookie (see the module docstring)
@require_POST
def step_submit(request, slug, step):
    row, instrument = _instrument_or_404(slug)
    category = _category(instrument, step)
    answers = {}
    state = request.POST.get("state", "")
    if state:
        answers, error = _decode(
            request, row, instrument, state, "assessments:step-state", complete=False, extra=[step]
        )
        if error:
            return error
    answers, problems = answers_from_form(category=category, data=request.POST, answers=answers)
    if request.POST.get("go") == "back":
        token = codec.encode(instrument, answers)
        if step == 1:
            return redirect("assessments:detail", slug)
        return redirect("assessments:step-state", slug, step - 1, token)
    if problems:
        return render(
            request,
            "assessments/step.html",
            _step_context(row, instrument, category, answers, problems),
        )
    token = codec.encode(instrument, answers)
    if step < len(instrument.categories):
        return redirect("assessments:step-state", slug, step + 1, token)
    unfinished = next(
        (c for c in instrument.categories if any(not answers.get(q.id) for q in c.questions)),
        None,
    )
    if unfinished is not None:
        _, problems = answers_from_form(category=unfinished, data={}, answers=answers)
        return render(
            request,
            "assessments/step.html",
            _step_context(row, instrument, unfinished, answers, problems),
        )
    return redirect("assessments:result", slug, token)


def _result_for(request, slug, token):
    row, instrument = _instrument_or_404(slug)
    answers, error = _decode(request, row, instrument, token, "assessments:result", complete=True)
    if error:
        return row, instrument, None, None, error
    return row, instrument, answers, score_answers(instrument=instrument, answers=answers), None


@require_GET
def result(request, slug, token):
    row, instrument, answers, _scored, error = _result_for(request, slug, token)
    if error:
        return error
    _language_paths(request, instrument, [answers], "assessments:result")
    report = result_report(instrument=instrument, answers=answers)
    return render(
        request,
        "assessments/result.html",
        {
            **report,
            "assessment": row,
            "instrument": instrument,
            "chart": _chart(report["result"]),
            "pdf_key": f"{instrument.slug}/{token}",
            "token": token,
            "nav": "assessments",
        },
    )


@require_GET
def result_csv(request, slug, token):
    row, _instrument, _answers, scored, error = _result_for(request, slug, token)
    if error:
        return error
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(row.title) or slug
    response["Content-Disposition"] = f'attachment; filename="{name}-{_("result")}.csv"'
    write_csv(response, scored)
    return response


# Bar chart geometry (SVG user units): each row is its label, then a bar of score × 5 wide.
CHART_BAR = 5
CHART_ROW = 52


def _chart(scored):
    rows = [(_("Overall"), scored.score, scored.level)] + [
        (c.category.title, c.score, c.level) for c in scored.categories
    ]
    bars = []
    for index, (label, score, level) in enumerate(rows):
        top = 4 + index * CHART_ROW
        width = (score or 0) * CHART_BAR
        bars.append(
            {
                "label": label,
                "score": score,
                "level": level,
                "label_y": top + 14,
                "y": top + 20,
                "text_y": top + 37,
                "width": width,
                "value_x": width + 8,
                "overall": index == 0,
            }
        )
    height = 8 + len(rows) * CHART_ROW + 18
    return {
        "bars": bars,
        "height": height,
        "width": 100 * CHART_BAR + 50,
        "grid_bottom": height - 18,
        "tick_y": height - 4,
        "ticks": [{"x": t * CHART_BAR, "value": t} for t in (0, 25, 50, 75, 100)],
    }


def _earlier_token(text: str) -> str:
    """A pasted result link (or just its token) → the token."""
    text = text.strip()
    path = unquote(urlsplit(text).path) if "/" in text else text
    parts = [p for p in path.split("/") if p]
    return parts[-1] if parts else ""


def _answers_from_any_language(slug, token):
    """Answers from an earlier result link made in any language of this instrument."""
    for other in all_instruments():
        if other.slug == slug:
            try:
                answers = codec.decode(other, token)
            except codec.BadToken:
                continue
            if all(answers.values()):
                return other, answers
    return None, None


@csrf_exempt  # reads what the visitor sends and stores nothing (see the module docstring)
def compare_start(request, slug, token):
    row, instrument, _later, _scored, error = _result_for(request, slug, token)
    if error:
        return error
    problem = None
    if request.method == "POST":
        upload = request.FILES.get("earlier_csv")
        earlier = None
        if upload:
            try:
                earlier = answers_from_csv(instrument=instrument, upload=upload)
            except CsvProblem as exc:
                problem = str(exc)
        elif request.POST.get("earlier", "").strip():
            other, earlier = _answers_from_any_language(
                slug, _earlier_token(request.POST["earlier"])
            )
            if earlier is not None and other.fingerprint != instrument.fingerprint:
                earlier = None
            if earlier is None:
                problem = _(
                    "We could not read that link: paste the whole address of an earlier "
                    "result page of this self-assessment."
                )
        else:
            problem = _("Paste the link to an earlier result, or choose its CSV file.")
        if earlier is not None:
            return redirect("assessments:compare", slug, codec.encode(instrument, earlier), token)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "assessments/compare_form.html",
        {
            "assessment": row,
            "instrument": instrument,
            "token": token,
            "problem": problem,
            "nav": "assessments",
        },
        status=400 if problem else 200,
    )


@require_GET
def compare(request, slug, earlier, later):
    row, instrument = _instrument_or_404(slug)
    found = []
    for token in (earlier, later):
        answers, error = _decode(
            request, row, instrument, token, "assessments:result", complete=True
        )
        if error:
            return error
        found.append(answers)
    _language_paths(request, instrument, found, "assessments:compare")
    before, after = (score_answers(instrument=instrument, answers=a) for a in found)
    return render(
        request,
        "assessments/compare.html",
        {
            "assessment": row,
            "instrument": instrument,
            "earlier": before,
            "later": after,
            "rows": compare_results(earlier=before, later=after),
            "overall_change": after.score - before.score,
            "earlier_token": earlier,
            "later_token": later,
            "nav": "assessments",
        },
    )
