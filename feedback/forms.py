from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .models import COMMENT_MAX_LENGTH, PAGE_MAX_LENGTH


class VoteForm(forms.Form):
    page = forms.CharField(max_length=PAGE_MAX_LENGTH)
    token = forms.CharField(max_length=500)
    useful = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])


class CommentForm(forms.Form):
    token = forms.CharField(max_length=500, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("What were you looking for?"),
        required=False,
        # No maxlength attribute: a longer text gets a message saying by how much, with the
        # text kept, rather than being cut silently by the browser.
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        validators=[
            MaxLengthValidator(
                COMMENT_MAX_LENGTH,
                message=_(
                    "Please shorten your answer to at most %(limit_value)s characters "
                    "(it has %(show_value)s)."
                ),
            )
        ],
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"]
        # Django decodes a body that is not UTF-8 with U+FFFD in place of the bad bytes.
        if "\ufffd" in comment:
            raise forms.ValidationError(
                _("Part of your answer could not be read. Please type it again."),
                code="encoding",
            )
        return comment
