"""The rules a case study's texts must meet, whichever door they come through.

Single-field rules (slug, year) are validators on the model's fields. The rules that look at
several fields, language by language, are here, in one pure function that both the admin
form (casestudies/forms.py) and the content loader (casestudies/loader.py) call; each maps
the problems it gets to its own error style (a form field's error, a file and line).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from guidance.languages import SOURCE_LANGUAGE

# The fields a language "has": a title, and the text that goes with it.
TRANSLATED_FIELDS = ("title", "summary", "body", "organisation", "quote", "quote_by", "image_alt")
# With a title in a language, these are needed in that language too.
REQUIRED_WITH_TITLE = ("summary", "organisation")

# Problem codes (what went wrong; each door words it in its own way).
NEEDED_WITH_TITLE = "needed_with_title"
TEXT_WITHOUT_TITLE = "text_without_title"
QUOTE_WITHOUT_SOURCE = "quote_without_source"
IMAGE_WITHOUT_ALT = "image_without_alt"
ALT_WITHOUT_IMAGE = "alt_without_image"


@dataclass(frozen=True)
class Problem:
    code: str
    field: str  # the translated field it is about ("image_alt")
    language: str


def case_study_problems(*, texts: dict[str, dict[str, str]], has_image: bool) -> list[Problem]:
    """What is wrong with a case study's texts; `texts` is language → {field: text}.

    - a language with a title needs a summary and an organisation in that language;
    - a translation without a title is neither shown nor exported, so it may have no text;
    - a quote needs whom it is from;
    - a language with a title and an image needs a text alternative in that language
      (people who can't see the image read the page in their language), and a text
      alternative needs an image.
    """
    problems = []
    for language, values in texts.items():

        def filled(name, values=values):
            return bool(str(values.get(name) or "").strip())

        if filled("title"):
            problems += [
                Problem(NEEDED_WITH_TITLE, name, language)
                for name in REQUIRED_WITH_TITLE
                if not filled(name)
            ]
        elif language != SOURCE_LANGUAGE and any(filled(name) for name in TRANSLATED_FIELDS):
            problems.append(Problem(TEXT_WITHOUT_TITLE, "title", language))
        if filled("quote") and not filled("quote_by"):
            problems.append(Problem(QUOTE_WITHOUT_SOURCE, "quote_by", language))
        if has_image and filled("title") and not filled("image_alt"):
            problems.append(Problem(IMAGE_WITHOUT_ALT, "image_alt", language))
        elif filled("image_alt") and not has_image:
            problems.append(Problem(ALT_WITHOUT_IMAGE, "image_alt", language))
    return problems


def change_note_missing(*, was_published: bool, text_changed: bool, minor: bool, note) -> bool:
    """A published case study whose text changes needs an English change note for readers,
    unless the editor marks the change minor (a typo fix)."""
    return was_published and text_changed and not minor and not str(note or "").strip()


def texts_changed(changed_fields, languages) -> bool:
    """Whether any translated text (in any of `languages`) is among `changed_fields`."""
    from guidance.languages import localized

    names = {localized(name, code) for name in TRANSLATED_FIELDS for code in languages}
    return bool(names & set(changed_fields))


def inferred_year_without_year(*, year, year_inferred) -> bool:
    """An estimated year ("about 2021") needs a year to qualify."""
    return bool(year_inferred) and year in (None, "")


def field_errors(model, name: str, value) -> list[str]:
    """The messages of a model field's own validators for `value` (empty when it passes)."""
    try:
        model._meta.get_field(name).run_validators(value)
    except ValidationError as error:
        return [str(message) for message in error.messages]
    return []
