"""Loading instruments: the real ones are complete; every kind of mistake names file and line."""

import pytest

from assessments.models import Assessment
from assessments.selectors import instrument_in
from buyingguide.loading import content_load
from tests.conftest import REAL_CONTENT, write

GOOD = """---
title: Tiny check
summary: Two questions.
order: 1
stages: [plan]
scales:
  maturity:
    - {code: none, label: Not in place, points: 0}
    - {code: fully, label: Fully in place, points: 2}
    - {code: na, label: Not applicable, points: ~}
categories:
  - id: people
    title: People
    indicators:
      - id: team
        title: Team
        next: Build the team.
        topics: [plan/work-as-a-team]
        case_studies: [open-data-portal]
        questions:
          - id: tiny-1
            text: Do you have a team?
            scale: maturity
          - id: tiny-2
            text: Which roles does it have?
            scale: maturity
            fields:
              - {code: lead, label: A lead}
              - {code: buyer, label: A buyer}
---
An introduction with a [link](/guide/plan/work-as-a-team/).
"""

SPANISH = """---
title: Pequeña prueba
summary: Dos preguntas.
scales:
  maturity:
    - {code: none, label: No existe}
    - {code: fully, label: Existe}
    - {code: na, label: No se aplica}
categories:
  - id: people
    title: Personas
    indicators:
      - id: team
        title: Equipo
        questions:
          - id: tiny-1
            text: ¿Tiene un equipo?
          - id: tiny-2
            text: ¿Qué funciones tiene?
            fields:
              - {code: lead, label: Una dirección}
              - {code: buyer, label: Una compradora}
---
Introducción.
"""


def _load(content_tree, en=GOOD, es=SPANISH):
    write(content_tree, "en/assessments/tiny.md", en)
    if es is not None:
        write(content_tree, "es/assessments/tiny.md", es)
    return content_load(content_tree)


def _messages(report):
    return [str(e) for e in report.errors]


def test_a_valid_instrument_loads_in_both_languages(db, content_tree):
    report = _load(content_tree)
    assert report.ok, _messages(report)
    spanish = instrument_in("tiny", "es")
    assert [q.text for q in spanish.questions] == ["¿Tiene un equipo?", "¿Qué funciones tiene?"]
    assert spanish.questions[1].fields[0].label == "Una dirección"
    # Points and links come from English; the translation only supplies words.
    assert [o.points for o in spanish.questions[0].scale] == [0, 2, None]
    assert spanish.indicators[0].topics == ["plan/work-as-a-team"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("topics: [plan/work-as-a-team]", "topics: [plan/no-such-topic]"),
            "unknown topic 'plan/no-such-topic'",
        ),
        (("case_studies: [open-data-portal]", "case_studies: [nope]"), "unknown case studie"),
        (("id: tiny-2", "id: tiny-1"), "duplicate id 'tiny-1'"),
        (
            ("            scale: maturity\n          - id: tiny-2", "          - id: tiny-2"),
            "has no answer scale",
        ),
        (
            ("scale: maturity\n            fields", "scale: colours\n            fields"),
            "unknown scale 'colours'",
        ),
        (("points: 2}", "points: lots}"), "'points' must be a whole number"),
        (("{code: none,", "{code: no,"), "needs a 'code' of text"),
        (("stages: [plan]", "stages: [nowhere]"), "unknown stage 'nowhere'"),
    ],
)
def test_english_mistakes_are_reported_with_file_and_line(db, content_tree, change, expected):
    old, new = change
    assert old in GOOD
    report = _load(content_tree, en=GOOD.replace(old, new, 1))
    messages = _messages(report)
    found = [m for m in messages if expected in m]
    assert found, messages
    assert found[0].startswith("en/assessments/tiny.md:"), found[0]  # file and line
    assert not Assessment.objects.exists()  # all or nothing


def test_missing_scales_are_reported(db, content_tree):
    start = GOOD.index("scales:")
    end = GOOD.index("categories:")
    report = _load(content_tree, en=GOOD[:start] + GOOD[end:], es=None)
    assert any("'scales' is missing" in m for m in _messages(report)), _messages(report)


def test_a_translation_whose_questions_differ_from_english_is_refused(db, content_tree):
    report = _load(content_tree, es=SPANISH.replace("id: tiny-2", "id: tiny-9"))
    messages = _messages(report)
    found = [m for m in messages if "must match the English file" in m]
    assert found and "missing: tiny-2" in found[0] and "tiny-9" in found[0], messages
    assert found[0].startswith("es/assessments/tiny.md:")
    assert not Assessment.objects.exists()


def test_a_translation_with_other_answer_codes_is_refused(db, content_tree):
    report = _load(content_tree, es=SPANISH.replace("{code: fully,", "{code: full,"))
    assert any("same option codes as the English" in m for m in _messages(report))


def test_a_translation_with_other_field_codes_is_refused(db, content_tree):
    report = _load(content_tree, es=SPANISH.replace("{code: buyer,", "{code: seller,"))
    assert any("same codes as in English" in m for m in _messages(report))


def test_a_broken_instrument_leaves_the_loaded_one_untouched(db, content_tree):
    assert _load(content_tree).ok
    before = list(Assessment.objects.values_list("language", "title"))
    report = _load(
        content_tree,
        en=GOOD.replace("title: Tiny check", "title: Changed").replace("id: tiny-2", "id: tiny-1"),
    )
    assert not report.ok
    assert list(Assessment.objects.values_list("language", "title")) == before


def test_removing_the_file_removes_the_instrument(db, content_tree):
    assert _load(content_tree).ok
    (content_tree / "en/assessments/tiny.md").unlink()
    (content_tree / "es/assessments/tiny.md").unlink()
    assert content_load(content_tree).ok
    assert not Assessment.objects.exists()


# --- the real instruments ----------------------------------------------------------------


def _structure(slug, language="en"):
    instrument = instrument_in(slug, language)
    return instrument, [len(c.questions) for c in instrument.categories]


@pytest.mark.parametrize("language", ["en", "es", "id"])
def test_all_four_instruments_are_complete_in_every_language(real_site, language):
    gesi, per_category = _structure("gesi", language)
    assert len(gesi.categories) == 3 and len(gesi.indicators) == 7
    numbered = [q for q in gesi.questions if q.id.removeprefix("gesi-").isdigit()]
    assert [q.id for q in numbered] == [f"gesi-{n}" for n in range(1, 27)]
    assert len(gesi.questions) == 28  # plus the two unnumbered questions of indicator 7
    # 66 breakdowns in the source, plus (b), (c) and (e) of sub-indicator 5 restored.
    assert sum(len(q.fields) for q in gesi.questions) == 69
    assert len(next(q for q in gesi.questions if q.id == "gesi-5").fields) == 5

    emergency, per_category = _structure("emergency", language)
    assert len(emergency.categories) == 3 and len(emergency.indicators) == 11
    assert [len(i.questions) for i in emergency.indicators] == [4, 4, 6, 3, 6, 1, 4, 7, 2, 4, 3]

    _think, per_category = _structure("think-smart", language)
    assert per_category == [4, 11, 8, 10]

    csf, _ = _structure("critical-success-factors", language)
    assert len(csf.categories) == 9 and len(csf.questions) == 27
    assert [len(c.indicators) for c in csf.categories] == [3, 3, 3, 3, 2, 2, 5, 3, 3]
    assert [o.points for o in csf.questions[0].scale] == [0, 1, 2, 3]


def test_every_translation_is_in_its_own_language(real_site):
    english = instrument_in("emergency", "en").questions
    for language in ("es", "id"):
        translated = instrument_in("emergency", language).questions
        assert all(a.text != b.text for a, b in zip(english, translated, strict=True))


def test_the_real_content_tree_has_no_errors(db):
    report = content_load(REAL_CONTENT, dry_run=True)
    assert report.ok, [str(e) for e in report.errors]
