"""The editors' forms for case studies and themes, and the verified image upload field.

The rules are not written here: single-field rules are validators on the model, the
cross-field and per-language ones are `rules.case_study_problems` (the loader calls it too).
This module only words them for the editor, on the field and the language tab concerned.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guidance.changes import MAX_NOTE_CHARS
from guidance.languages import LANGUAGE_CODES, SOURCE_LANGUAGE, language_name, localized
from guidance.models import Stage, Topic
from proposals.models import Note

from . import rules, services
from .images import image_reencoded
from .models import CaseStudy, Theme


class VerifiedImageField(forms.ImageField):
    """An image upload judged by its content (Pillow) and size, never by its name.

    The stored name gets the extension of the format actually found, so a file can't
    pass as an image and then be served as something else.
    """

    default_validators = []  # no extension check: the content decides

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        try:
            extension = services.image_verify(upload)
        except services.ImageProblem as problem:
            raise forms.ValidationError(str(problem), code="invalid_image") from problem
        upload = image_reencoded(upload, extension)
        upload.name = services.image_storage_name(upload.name, extension)
        return upload


MARKDOWN_TIPS = _(
    "Write in Markdown. Start sections with <code>## The problem</code>, "
    "<code>## The approach</code>, <code>## The results</code> (never a single #: the page "
    "has its own title). <code>**bold**</code>, <code>*italic*</code>, lists with "
    "<code>- </code>. Link to the guide without the language: "
    "<code>[define outcomes](/guide/plan/define-outcomes/)</code>; a link to a page that "
    "does not exist is refused. Other sites: the full address, "
    "<code>https://…</code>. HTML is shown as text. Abbreviations in the glossary are "
    "linked on first use. Use “Save and preview” to see the page as visitors will."
)


HELP_TEXTS = {
    "stages": _(
        "Only stages no chosen topic belongs to: the stages of the topics are added automatically."
    ),
    "notes": _("The notes of the project-proposals guide this case study illustrates, if any."),
    "image_alt": _(
        "What the image shows, for people who can't see it. Required in "
        "every language the case study has, when there is an image."
    ),
    "published_on": _(
        "Visitors see a published case study from this date on: a future date schedules it."
    ),
    "year_inferred": _(
        "Tick when the source gives no date and the year is your estimate: visitors read "
        "“about 2021”."
    ),
}


def _message(problem: rules.Problem) -> str:
    """A rule's problem in the editor's words."""
    name = language_name(problem.language)
    if problem.code == rules.NEEDED_WITH_TITLE:
        return gettext(
            "The case study has a title in %(language)s, so it needs this "
            "field in %(language)s too."
        ) % {"language": name}
    if problem.code == rules.TEXT_WITHOUT_TITLE:
        return gettext(
            "Give the title in %(language)s too, or empty the other "
            "%(language)s fields: a language without a title is neither shown "
            "nor exported."
        ) % {"language": name}
    if problem.code == rules.QUOTE_WITHOUT_SOURCE:
        return gettext("Say whom the quote is from (name, role, organisation).")
    if problem.code == rules.IMAGE_WITHOUT_ALT:
        return gettext(
            "Describe the image in %(language)s: a text alternative is required in "
            "every language the case study has, for people who can't see the "
            "image."
        ) % {"language": name}
    return gettext(
        "There is no image for this text alternative: choose the image file, or empty this field."
    )


def _model_decides_the_slug(form):
    """The model's slug validator decides and words the message, not forms.SlugField's."""
    if "slug" in form.fields:
        form.fields["slug"].validators = []


def _change_note_fields() -> dict:
    fields = {}
    for code in LANGUAGE_CODES:
        fields[localized("change_note", code)] = forms.CharField(
            label=_("Change note [%(language)s]") % {"language": code},
            required=False,
            max_length=MAX_NOTE_CHARS,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_(
                "For readers: what changed and why, in one sentence. Shown on the page and "
                "in “What's new”. English is required when the text of a published case "
                "study changes; the other languages fall back to English."
            ),
        )
    fields["minor_change"] = forms.BooleanField(
        label=_("Minor change"),
        required=False,
        help_text=_("Tick for a typo or wording fix readers need not hear about: no note needed."),
    )
    return fields


class CaseStudyForm(forms.ModelForm):
    """The admin's door to `rules` and `services`; the loader is the other door."""

    locals().update(_change_note_fields())

    class Meta:
        model = CaseStudy
        fields = (
            "title",
            "slug",
            "summary",
            "body",
            "country",
            "organisation",
            "year",
            "year_inferred",
            "quote",
            "quote_by",
            "topics",
            "themes",
            "stages",
            "notes",
            "image",
            "image_alt",
            "status",
            "published_on",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _model_decides_the_slug(self)
        for base, text in HELP_TEXTS.items():  # on every language's field too
            for name in (base, *(localized(base, code) for code in LANGUAGE_CODES)):
                if name in self.fields:
                    self.fields[name].help_text = text
        if "topics" in self.fields:
            topics = self.fields["topics"]
            topics.queryset = Topic.objects.select_related("stage").order_by("position")
            topics.label_from_instance = lambda t: f"{t.stage.title}: {t.title}"
            topics.required = True
            topics.error_messages["required"] = _(
                "Choose at least one guidance topic that this case study illustrates."
            )
        if "notes" in self.fields:
            notes = self.fields["notes"]
            notes.queryset = Note.objects.select_related("component").order_by("position")
            notes.label_from_instance = lambda n: f"{n.code} {n.title}"
        if "themes" in self.fields:
            self.fields["themes"].required = True
            self.fields["themes"].error_messages["required"] = _(
                "Choose at least one theme (add a theme first if none fits)."
            )
        if "stages" in self.fields:
            self.fields["stages"].queryset = Stage.objects.order_by("order")
            if self.instance.pk:
                self.initial["stages"] = [
                    s.pk for s in services.case_study_extra_stages(self.instance)
                ]

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):  # browsers send \r\n; the content files use \n
                data[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        image = data.get("image")
        texts = {
            language: {
                name: data.get(localized(name, language)) or "" for name in rules.TRANSLATED_FIELDS
            }
            for language in LANGUAGE_CODES
        }
        for problem in rules.case_study_problems(
            texts=texts, has_image=bool(image) and image is not False
        ):
            if problem.code == rules.ALT_WITHOUT_IMAGE and "image" in self.errors:
                continue  # a refused upload has its own message; "no image" would contradict it
            self._error(problem.field, problem.language, _message(problem))
        self._check_links(data)
        self._check_change_note(data)
        if rules.inferred_year_without_year(
            year=data.get("year"), year_inferred=data.get("year_inferred")
        ):
            self.add_error("year_inferred", _("Give the estimated year first, then tick this."))
        return data

    def _check_change_note(self, data):
        note_field = localized("change_note", SOURCE_LANGUAGE)
        if rules.change_note_missing(
            was_published=bool(self.instance.pk) and self.instance.status == CaseStudy.PUBLISHED,
            text_changed=rules.texts_changed(self.changed_data, LANGUAGE_CODES),
            minor=data.get("minor_change"),
            note=data.get(note_field),
        ):
            self.add_error(
                note_field,
                gettext(
                    "The text of this published case study changed: write a change note for "
                    "readers (what changed and why), or tick “Minor change” for a typo fix."
                ),
            )

    def change_note(self) -> dict:
        """Language → the change note typed (empty for a minor change)."""
        if self.cleaned_data.get("minor_change"):
            return {}
        return {
            code: self.cleaned_data.get(localized("change_note", code)) or ""
            for code in LANGUAGE_CODES
        }

    def _check_links(self, data):
        bodies = {
            language: data.get(localized("body", language)) or ""
            for language in LANGUAGE_CODES
            if localized("body", language) in self.fields
        }
        broken = services.case_study_broken_links(bodies, data.get("slug", ""))
        for language, links in broken.items():
            for link in links:
                self._error(
                    "body",
                    language,
                    gettext(
                        "The link “%(link)s” leads to no page of the guide. Check the address "
                        "(for example /guide/plan/define-outcomes/ or /case-studies/<slug>/), "
                        "without the language at the start."
                    )
                    % {"link": link},
                )

    def _error(self, name, language, message):
        field = localized(name, language)
        if field in self.fields:
            self.add_error(field, message)
        else:
            self.add_error(None, message)


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ("name", "slug", "description", "order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _model_decides_the_slug(self)


class ReviewForm(forms.Form):
    """A reviewer's answer: the button pressed, and a comment (required to send back)."""

    APPROVE = "approve"
    SEND_BACK = "send_back"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (SEND_BACK, _("Send back"))])
    comment = forms.CharField(
        label=_("Comment for the author"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to send the change back: say what to fix."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.SEND_BACK and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what to change: the author reads your comment."))
        return data
