"""The guide's scoring model on hand-worked examples (see docs/assessments.md)."""

from assessments.instrument import Instrument
from assessments.scoring import compare_results, level_for, score_answers

MATURITY = [
    {"code": "none", "label": "Not in place", "points": 0},
    {"code": "partly", "label": "Partly", "points": 1},
    {"code": "fully", "label": "Fully", "points": 2},
    {"code": "na", "label": "Not applicable", "points": None},
]
# Values: 0 unanswered, then option index + 1 → none=1, partly=2, fully=3, na=4.
NONE, PARTLY, FULLY, NA = 1, 2, 3, 4


def _instrument():
    """Two categories: A has indicators A1 (q1, q2) and A2 (q3 with three fields); B has B1 (q4)."""

    def q(qid, fields=()):
        return {
            "id": qid,
            "text": qid,
            "scale": "maturity",
            "fields": [{"code": f, "label": f} for f in fields],
        }

    definition = {
        "scales": {"maturity": MATURITY},
        "categories": [
            {
                "id": "a",
                "title": "A",
                "indicators": [
                    {"id": "a1", "title": "A1", "questions": [q("q1"), q("q2")]},
                    {"id": "a2", "title": "A2", "questions": [q("q3", ["x", "y", "z"])]},
                ],
            },
            {
                "id": "b",
                "title": "B",
                "indicators": [{"id": "b1", "title": "B1", "questions": [q("q4")]}],
            },
        ],
    }
    return Instrument.from_json(
        slug="t", language="en", title="T", fingerprint="f", definition=definition
    )


def _fields(*bits):
    """The value of a fields question with these field positions ticked."""
    return 1 + sum(1 << b for b in bits)


def _score(**answers):
    return score_answers(instrument=_instrument(), answers=answers)


def test_all_fully_in_place_scores_100_everywhere():
    result = _score(q1=FULLY, q2=FULLY, q3=_fields(0, 1, 2), q4=FULLY)
    assert result.score == 100
    assert [c.score for c in result.categories] == [100, 100]
    assert result.level.code == "leading"
    assert result.weakest == []  # nothing left to improve


def test_all_not_in_place_scores_0():
    result = _score(q1=NONE, q2=NONE, q3=_fields(), q4=NONE)  # q3: "none of these yet"
    assert result.score == 0
    assert [i.score for i in result.indicators] == [0, 0, 0]
    assert result.level.code == "starting"


def test_mixed_answers_worked_by_hand():
    # A1: q1 partly (1/2) and q2 fully (2/2) → (0.5 + 1) / 2 = 75
    # A2: q3 two of three fields → 2/3 = 67
    # A = (75 + 67) / 2 = 71; B1 = q4 not in place = 0; overall = (71 + 0) / 2 = 35.5 → 36
    result = _score(q1=PARTLY, q2=FULLY, q3=_fields(0, 2), q4=NONE)
    assert [i.score for i in result.indicators] == [75, 67, 0]
    assert [c.score for c in result.categories] == [71, 0]
    assert result.score == 36
    assert result.level.code == "developing"
    # Weakest first: B1 (0), then A2 (67), then A1 (75).
    assert [s.indicator.id for s in result.weakest] == ["b1", "a2", "a1"]
    points = {qs.question.id: (qs.points, qs.max_points) for qs in result.questions}
    assert points == {"q1": (1, 2), "q2": (2, 2), "q3": (2, 3), "q4": (0, 2)}


def test_not_applicable_is_left_out_of_the_denominator():
    # q2 not applicable: A1 is q1 alone (fully) = 100, not (2 + 0) / 4 = 50.
    result = _score(q1=FULLY, q2=NA, q3=_fields(0, 1, 2), q4=PARTLY)
    assert result.indicators[0].score == 100
    assert result.categories[1].score == 50
    assert result.score == 75


def test_an_indicator_wholly_not_applicable_has_no_score_and_does_not_count():
    result = _score(q1=NA, q2=NA, q3=_fields(0), q4=FULLY)
    assert result.indicators[0].score is None
    assert result.categories[0].score == 33  # A2 alone: 1 of 3 fields
    assert result.score == 67  # (33 + 100) / 2 = 66.5 → 67
    assert "a1" not in [s.indicator.id for s in result.weakest]


def test_levels_have_no_gaps():
    assert [level_for(s).code for s in (0, 24, 25, 49, 50, 74, 75, 100)] == [
        "starting",
        "starting",
        "developing",
        "developing",
        "established",
        "established",
        "leading",
        "leading",
    ]


def test_comparison_gives_the_change_per_category_and_indicator():
    before = _score(q1=NONE, q2=NONE, q3=_fields(), q4=PARTLY)
    after = _score(q1=FULLY, q2=PARTLY, q3=_fields(0), q4=PARTLY)
    rows = compare_results(earlier=before, later=after)
    assert [(r["earlier"], r["later"], r["change"]) for r in rows] == [(0, 54, 54), (50, 50, 0)]
    assert [(i["earlier"], i["later"]) for i in rows[0]["indicators"]] == [(0, 75), (0, 33)]
