"""Reading instruments for the views, the topic pages, search and the sitemap."""

from django.utils.translation import get_language

from casestudies.models import CaseStudy
from guidance.models import Topic

from .instrument import Instrument
from .models import Assessment


def _language(language=None) -> str:
    return (language or get_language() or "en").split("-")[0]


def assessments_in_language(language=None) -> list[Assessment]:
    """Every instrument, in the visitor's language where translated (English otherwise)."""
    language = _language(language)
    rows = {}
    for row in Assessment.objects.filter(language__in={"en", language}):
        if row.slug not in rows or row.language == language:
            rows[row.slug] = row
    return sorted(rows.values(), key=lambda r: (r.order, r.slug))


def assessment_row(slug: str, language=None) -> Assessment | None:
    language = _language(language)
    rows = {
        r.language: r for r in Assessment.objects.filter(slug=slug, language__in={"en", language})
    }
    return rows.get(language) or rows.get("en")


def instrument_of(row: Assessment) -> Instrument:
    return Instrument.from_json(
        slug=row.slug,
        language=row.language,
        title=row.title,
        fingerprint=row.fingerprint,
        definition=row.definition,
    )


def instrument_in(slug: str, language: str) -> Instrument | None:
    row = assessment_row(slug, language)
    return instrument_of(row) if row and row.language == language else None


def all_instruments() -> list[Instrument]:
    """Every instrument in every language (to recognise a link made for another one)."""
    return [instrument_of(row) for row in Assessment.objects.all()]


def instrument_in_every_language(slug: str) -> list[Instrument]:
    """This instrument in each language it is loaded in (for the language switcher)."""
    return [instrument_of(row) for row in Assessment.objects.filter(slug=slug)]


def help_links(instrument: Instrument) -> tuple[dict, dict]:
    """Topic key → Topic and case-study slug → CaseStudy, for every indicator, in 2 queries."""
    keys = {key for i in instrument.indicators for key in i.topics}
    slugs = {slug for i in instrument.indicators for slug in i.case_studies}
    topics = {}
    if keys:
        stage_slugs = {k.split("/")[0] for k in keys}
        for topic in (
            Topic.objects.published().filter(stage__slug__in=stage_slugs).select_related("stage")
        ):
            if topic.key in keys:
                topics[topic.key] = topic
    cases = {c.slug: c for c in CaseStudy.objects.published().filter(slug__in=slugs)}
    return topics, cases


class NoResult(Exception):
    """The token holds no result of this instrument (damaged, signed for another, unfinished)."""


def result_answers(instrument: Instrument, token: str) -> dict[str, int]:
    """The complete answers a result token holds, or NoResult (the PDF's 404)."""
    from . import codec

    try:
        answers = codec.decode(instrument, token)
    except codec.BadToken as problem:
        raise NoResult(problem.reason) from problem
    if any(v == 0 for v in answers.values()):
        raise NoResult("incomplete")
    return answers


def result_report(*, instrument: Instrument, answers: dict[str, int]) -> dict:
    """What a result shows, on its page and in its PDF: the scores, the weakest indicators
    with guidance and case studies that help, and every answer by part."""
    from .answers import answer_label
    from .scoring import score_answers

    scored = score_answers(instrument=instrument, answers=answers)
    topics, cases = help_links(instrument)
    weakest = [
        {
            "score": s,
            "topics": [topics[k] for k in s.indicator.topics if k in topics],
            "case_studies": [cases[c] for c in s.indicator.case_studies if c in cases],
        }
        for s in scored.weakest
    ]
    answered = [
        {
            "category": c,
            "rows": [
                {"qs": qs, "answer": answer_label(qs.question, qs.value)}
                for i in c.indicators
                for qs in i.questions
            ],
        }
        for c in scored.categories
    ]
    return {"result": scored, "weakest": weakest, "answered": answered}
