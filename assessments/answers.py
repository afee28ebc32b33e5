"""Answers in and out: a step's form, the CSV download and the CSV brought back."""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_CSV_BYTES = 200_000  # the largest real download is under 20 kB


@dataclass
class FormProblem:
    question: object
    message: str


def answers_from_form(*, category, data, answers: dict[str, int]):
    """Merge one step's submitted answers into `answers`; return (answers, problems).

    A question left unanswered is a problem; so is a value the form never offered (a
    hand-made request), reported the same way, so the visitor simply answers again.
    """
    merged = dict(answers)
    problems = []
    for question in category.questions:
        if question.fields:
            codes = [c for c in data.getlist(question.id) if c]
            if not codes:
                merged[question.id] = 0
                problems.append(
                    FormProblem(question, _("Tick what you have, or “None of these yet”."))
                )
                continue
            if "none" in codes and len(codes) > 1:
                merged[question.id] = 0
                problems.append(
                    FormProblem(
                        question,
                        _("You ticked “None of these yet” and some items: choose one or another."),
                    )
                )
                continue
            value = question.value_for_code("+".join(codes))
        else:
            value = question.value_for_code(data.get(question.id, ""))
        if value is None:
            merged[question.id] = 0
            problems.append(FormProblem(question, _("Choose an answer.")))
        else:
            merged[question.id] = value
    return merged, problems


def answer_label(question, value: int) -> str:
    if question.fields:
        chosen = question.fields_for(value)
        return "; ".join(f.label for f in chosen) if chosen else _("None of these yet")
    option = question.option_for(value)
    return option.label if option else ""


def csv_rows(result) -> list[list[str]]:
    """One row per question, in the visitor's language, with the language-free answer code."""
    rows = [[_("id"), _("Question"), _("Answer"), _("Points"), _("Out of"), _("Answer code")]]
    for qs in result.questions:
        q = qs.question
        points = _("not applicable") if qs.points is None else str(qs.points)
        rows.append(
            [
                q.id,
                q.text,
                answer_label(q, qs.value),
                points,
                str(qs.max_points),
                q.answer_code(qs.value),
            ]
        )
    return rows


def write_csv(response, result) -> None:
    response.write("\ufeff")  # byte-order mark: spreadsheet programs then read UTF-8 right
    writer = csv.writer(response)
    writer.writerows(csv_rows(result))


class CsvProblem(Exception):
    pass


def answers_from_csv(*, instrument, upload) -> dict[str, int]:
    """The answers in a CSV downloaded from a result page (any language), or CsvProblem."""
    if upload.size > MAX_CSV_BYTES:
        raise CsvProblem(_("This file is too large to be a result downloaded from this guide."))
    try:
        text = upload.read(MAX_CSV_BYTES + 1).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvProblem(
            _("This file is not a CSV file saved as UTF-8 text, as the guide downloads it.")
        ) from exc
    questions = {q.id: q for q in instrument.questions}
    answers = {}
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise CsvProblem(_("This file is not a readable CSV file.")) from exc
    for number, row in enumerate(rows[1:], 2):
        if not row or not "".join(row).strip():
            continue
        question = questions.get(row[0].strip())
        if question is None:
            raise CsvProblem(
                _(
                    "Line %(line)s names a question this self-assessment does not have (“%(id)s”): "
                    "is the file from another self-assessment?"
                )
                % {"line": number, "id": row[0][:40]}
            )
        value = question.value_for_code(row[-1]) if len(row) >= 6 else None
        if value is None:
            raise CsvProblem(
                _(
                    "Line %(line)s: the answer code in the last column is missing or not one "
                    "this question offers."
                )
                % {"line": number}
            )
        answers[question.id] = value
    missing = [q for q in instrument.questions if q.id not in answers]
    if missing:
        raise CsvProblem(
            _("This file has no answer for %(count)s question(s), for example “%(id)s”.")
            % {"count": len(missing), "id": missing[0].id}
        )
    return answers
