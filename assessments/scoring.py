"""The guide's own scoring model (the sources publish none), explained on every instrument page.

- A question scores its points as a share of its maximum: 0 to 1. "Not applicable" answers
  are left out altogether, so they neither help nor hurt.
- An indicator scores the average of its questions, as a percentage (0–100).
- A category scores the average of its indicators; the overall score is the average of the
  categories. Every indicator and category counts the same, however many questions it has.
- A score falls into one of four levels (LEVELS).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# (lowest score of the level, code, name)
LEVELS = (
    (0, "starting", _("Starting")),
    (25, "developing", _("Developing")),
    (50, "established", _("Established")),
    (75, "leading", _("Leading")),
)


@dataclass
class Level:
    code: str
    name: str
    low: int
    high: int


def level_for(score: int | None) -> Level | None:
    if score is None:
        return None
    bounds = [low for low, _c, _n in LEVELS[1:]] + [101]
    for (low, code, name), high in zip(LEVELS, bounds, strict=True):
        if score < high:
            return Level(code, str(name), low, high - 1)
    return None


def levels() -> list[Level]:
    return [level_for(low) for low, _c, _n in LEVELS]


@dataclass
class QuestionScore:
    question: object
    value: int
    points: int | None  # None: not applicable
    max_points: int

    @property
    def share(self) -> float | None:
        return None if self.points is None else self.points / self.max_points


@dataclass
class IndicatorScore:
    indicator: object
    questions: list[QuestionScore]
    score: int | None  # None: every question not applicable
    level: Level | None = None


@dataclass
class CategoryScore:
    category: object
    indicators: list[IndicatorScore]
    score: int | None
    level: Level | None = None


@dataclass
class Result:
    categories: list[CategoryScore]
    score: int | None
    level: Level | None = None
    weakest: list[IndicatorScore] = field(default_factory=list)

    @property
    def indicators(self) -> list[IndicatorScore]:
        return [i for c in self.categories for i in c.indicators]

    @property
    def questions(self) -> list[QuestionScore]:
        return [q for i in self.indicators for q in i.questions]


def _average(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _percent(share: float | None) -> int | None:
    # Half up, not to even: 62.5 reads as 63 as people expect.
    return None if share is None else int(share * 100 + 0.5)


def score_answers(*, instrument, answers: dict[str, int]) -> Result:
    """Scores for complete answers (every question answered)."""
    categories = []
    for category in instrument.categories:
        indicator_scores = []
        for indicator in category.indicators:
            question_scores = [
                QuestionScore(
                    question=q,
                    value=answers[q.id],
                    points=q.points_for(answers[q.id]),
                    max_points=q.max_points,
                )
                for q in indicator.questions
            ]
            share = _average(qs.share for qs in question_scores)
            indicator_scores.append(
                IndicatorScore(indicator, question_scores, _percent(share), None)
            )
        for s in indicator_scores:
            s.level = level_for(s.score)
        score = _percent(
            _average(None if s.score is None else s.score / 100 for s in indicator_scores)
        )
        categories.append(CategoryScore(category, indicator_scores, score, level_for(score)))
    overall = _percent(_average(None if c.score is None else c.score / 100 for c in categories))
    result = Result(categories, overall, level_for(overall))
    # Weakest first; ties keep the instrument's order. Fully scored ones need no action.
    scored = [s for s in result.indicators if s.score is not None and s.score < 100]
    result.weakest = sorted(scored, key=lambda s: s.score)
    return result


def compare_results(*, earlier: Result, later: Result) -> list[dict]:
    """Per category, its indicators: earlier score → later score and the change."""

    def change(a, b):
        return None if a is None or b is None else b - a

    rows = []
    for before, after in zip(earlier.categories, later.categories, strict=True):
        rows.append(
            {
                "category": after.category,
                "earlier": before.score,
                "later": after.score,
                "change": change(before.score, after.score),
                "indicators": [
                    {
                        "indicator": a.indicator,
                        "earlier": b.score,
                        "later": a.score,
                        "change": change(b.score, a.score),
                    }
                    for b, a in zip(before.indicators, after.indicators, strict=True)
                ],
            }
        )
    return rows
