"""The editors' admin for case studies and themes.

Thin on purpose: what a save does (Markdown → HTML, links, stages, images) lives in
services.py. The languages are tabs (modeltranslation), without any third-party script:
jQuery is Django's own and the tabs are a small local script (casestudies/static/).
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from guidance.content import valid_slug
from guidance.models import Stage, Topic

from . import services
from .models import CaseStudy, Theme
from .services import LANGUAGE_CODES, localized

LANGUAGE_NAMES = dict(settings.LANGUAGES)
# The fields a language "has": a title, and the text that goes with it.
CASE_STUDY_TEXT = ("title", "summary", "body", "organisation", "quote", "quote_by")
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


class TabbedAdmin(TranslationAdmin):
    """modeltranslation's tabbed admin, with every script served by us (no CDN)."""

    class Media:
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/force_jquery.js",
            "casestudies/admin/tabs.js",
            "modeltranslation/js/tabbed_translation_fields.js",
        )
        css = {
            "all": (
                "modeltranslation/css/tabbed_translation_fields.css",
                "casestudies/admin/admin.css",
            )
        }


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
        upload = services.image_without_metadata(upload, extension)
        upload.name = services.image_storage_name(upload.name, extension)
        return upload


def _filled(cleaned_data, name, language) -> bool:
    return bool((cleaned_data.get(localized(name, language)) or "").strip())


HELP_TEXTS = {
    "stages": _(
        "Only stages no chosen topic belongs to: the stages of the topics are added automatically."
    ),
    "image_alt": _(
        "What the image shows, for people who can't see it. Required in "
        "every language the case study has, when there is an image."
    ),
    "published_on": _(
        "Visitors see a published case study from this date on: a future date schedules it."
    ),
}


class CaseStudyForm(forms.ModelForm):
    """Validates what the content files' loader validates, so export → load always works."""

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
            "quote",
            "quote_by",
            "topics",
            "themes",
            "stages",
            "image",
            "image_alt",
            "status",
            "published_on",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug and not valid_slug(slug):
            raise forms.ValidationError(
                _(
                    "Use lower-case letters, digits and single hyphens only, for example "
                    "ecuador-emergency-reform."
                ),
                code="invalid_slug",
            )
        return slug

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not 1900 <= year <= 2100:
            raise forms.ValidationError(
                _("Write the year with four digits, for example 2021."), code="invalid_year"
            )
        return year

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):  # browsers send \r\n; the content files use \n
                data[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        self._check_languages(data)
        self._check_image_alt(data)
        self._check_links(data)
        return data

    def _check_languages(self, data):
        for language in LANGUAGE_CODES:
            name = LANGUAGE_NAMES[language]
            if _filled(data, "title", language):
                for required in ("summary", "organisation"):
                    if not _filled(data, required, language):
                        self._error(
                            required,
                            language,
                            gettext(
                                "The case study has a title in %(language)s, so it needs this "
                                "field in %(language)s too."
                            )
                            % {"language": name},
                        )
            elif language != "en":
                typed = [
                    f for f in (*CASE_STUDY_TEXT[1:], "image_alt") if _filled(data, f, language)
                ]
                if typed:
                    self._error(
                        "title",
                        language,
                        gettext(
                            "Give the title in %(language)s too, or empty the other "
                            "%(language)s fields: a language without a title is neither shown "
                            "nor exported."
                        )
                        % {"language": name},
                    )
            if _filled(data, "quote", language) and not _filled(data, "quote_by", language):
                self._error(
                    "quote_by",
                    language,
                    gettext("Say whom the quote is from (name, role, organisation)."),
                )

    def _check_image_alt(self, data):
        image = data.get("image")
        has_image = bool(image) and image is not False
        for language in LANGUAGE_CODES:
            name = LANGUAGE_NAMES[language]
            has_alt = _filled(data, "image_alt", language)
            if has_image and _filled(data, "title", language) and not has_alt:
                self._error(
                    "image_alt",
                    language,
                    gettext(
                        "Describe the image in %(language)s: a text alternative is required in "
                        "every language the case study has, for people who can't see the "
                        "image."
                    )
                    % {"language": name},
                )
            elif has_alt and not has_image:
                self._error(
                    "image_alt",
                    language,
                    gettext(
                        "There is no image for this text alternative: choose the image file, "
                        "or empty this field."
                    ),
                )

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


def _empty(field):
    return Q(**{f"{field}__isnull": True}) | Q(**{field: ""})


class LanguageFilter(admin.SimpleListFilter):
    title = _("languages")
    parameter_name = "languages"

    def lookups(self, request, model_admin):
        choices = [("complete", _("In every language"))]
        for code in LANGUAGE_CODES[1:]:
            choices.append(
                (f"missing-{code}", _("Missing %(language)s") % {"language": LANGUAGE_NAMES[code]})
            )
        return choices

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value == "complete":
            for code in LANGUAGE_CODES[1:]:
                queryset = queryset.exclude(_empty(localized("title", code)))
            return queryset
        if value.startswith("missing-") and value[8:] in LANGUAGE_CODES[1:]:
            return queryset.filter(_empty(localized("title", value[8:])))
        return queryset


class VisibilityFilter(admin.SimpleListFilter):
    title = _("visible to visitors")
    parameter_name = "visible"

    def lookups(self, request, model_admin):
        return [
            ("live", _("Live on the site")),
            ("scheduled", _("Scheduled")),
            ("draft", _("Draft")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.filter(status=CaseStudy.PUBLISHED, published_on__gt=today)
        if self.value() == "draft":
            return queryset.filter(status=CaseStudy.DRAFT)
        return queryset


def _translated_search(*names):
    return tuple(localized(name, code) for name in names for code in LANGUAGE_CODES)


@admin.register(CaseStudy)
class CaseStudyAdmin(TabbedAdmin):
    form = CaseStudyForm
    list_display = (
        "title",
        "country",
        "visibility",
        "published_on",
        "language_list",
        "updated_at",
        "on_the_site",
    )
    list_filter = ("status", VisibilityFilter, "stages", "themes", "country", LanguageFilter)
    search_fields = ("slug", *_translated_search("title", "summary", "organisation"))
    date_hierarchy = "published_on"
    list_per_page = 50
    filter_horizontal = ("topics", "themes")
    prepopulated_fields = {"slug": ("title_en",)}
    readonly_fields = ("visibility", "source", "updated_at")
    formfield_overrides = {models.ImageField: {"form_class": VerifiedImageField}}
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary")}),
        (_("Story"), {"fields": ("body",), "description": MARKDOWN_TIPS}),
        (_("Facts"), {"fields": ("country", "organisation", "year", "quote", "quote_by")}),
        (_("Tags"), {"fields": ("topics", "themes", "stages")}),
        (_("Image"), {"fields": ("image", "image_alt")}),
        (_("Publication"), {"fields": ("status", "published_on", "visibility")}),
        (_("Record"), {"fields": ("source", "updated_at")}),
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "stages":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- list columns ---------------------------------------------------------------

    @admin.display(description=_("visibility"), ordering="status")
    def visibility(self, obj):
        if obj.status == CaseStudy.DRAFT:
            return gettext("Draft: not visible")
        if obj.published_on and obj.published_on > timezone.localdate():
            return gettext("Scheduled: visible from %(date)s") % {"date": obj.published_on}
        return gettext("Live on the site")

    @admin.display(description=_("languages"))
    def language_list(self, obj):
        return ", ".join(code for code in obj.languages())

    @admin.display(description=_("on the site"))
    def on_the_site(self, obj):
        if obj.is_visible:
            return format_html(
                '<a href="{}">{}</a>', obj.get_absolute_url(), gettext("View on site")
            )
        return format_html('<a href="{}">{}</a>', self.preview_url(obj), gettext("Preview"))

    def view_on_site(self, obj):
        # Only what visitors can see; drafts have the preview instead.
        return obj.get_absolute_url() if obj.is_visible else None

    # --- saving ---------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        services.case_study_render(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.case_study_sync_stages(form.instance, form.cleaned_data.get("stages") or ())

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return HttpResponseRedirect(self.preview_url(obj, self._editing_language()))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return HttpResponseRedirect(self.preview_url(obj, self._editing_language()))
        return super().response_change(request, obj)

    # --- preview --------------------------------------------------------------------

    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/<str:language>/",
            self.admin_site.admin_view(self.preview_view),
            name="casestudies_casestudy_preview",
        )
        return [preview, *super().get_urls()]

    @staticmethod
    def _editing_language():
        language = (translation.get_language() or "en").split("-")[0]
        return language if language in LANGUAGE_CODES else "en"

    def preview_url(self, obj, language="en"):
        return reverse(
            "admin:casestudies_casestudy_preview",
            kwargs={"object_id": quote(obj.pk), "language": language},
        )

    def preview_view(self, request, object_id, language):
        """The public page for this case study, whatever its status or date (staff only)."""
        if language not in LANGUAGE_CODES:
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        with translation.override(language):
            alternates = [
                {
                    "code": code,
                    "name": name,
                    "url": self.preview_url(obj, code),
                    "absolute": request.build_absolute_uri(self.preview_url(obj, code)),
                    "current": code == language,
                }
                for code, name in settings.LANGUAGES
            ]
            response = render(
                request,
                "admin/casestudies/casestudy/preview.html",
                {
                    "case": obj,
                    "newer": None,
                    "older": None,
                    "alternates": alternates,
                    "current_language": language,
                    "canonical": request.build_absolute_uri(),
                    "change_url": reverse(
                        "admin:casestudies_casestudy_change", args=[quote(obj.pk)]
                    ),
                    "public_url": obj.get_absolute_url(),
                },
            )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["preview_languages"] = (
            []
            if obj is None
            else [(code, name, self.preview_url(obj, code)) for code, name in settings.LANGUAGES]
        )
        return super().render_change_form(request, context, add, change, form_url, obj)


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ("name", "slug", "description", "order")

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug and not valid_slug(slug):
            raise forms.ValidationError(
                _("Use lower-case letters, digits and single hyphens only, for example open-data."),
                code="invalid_slug",
            )
        return slug


@admin.register(Theme)
class ThemeAdmin(TabbedAdmin):
    form = ThemeForm
    list_display = ("name", "slug", "order", "case_study_count", "on_the_site")
    search_fields = ("slug", *_translated_search("name", "description"))
    prepopulated_fields = {"slug": ("name_en",)}
    fields = ("name", "slug", "description", "order")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_study_total=Count("case_studies"))

    @admin.display(description=_("case studies"), ordering="case_study_total")
    def case_study_count(self, obj):
        return obj.case_study_total

    def view_on_site(self, obj):
        return f"{reverse('casestudies:index')}?theme={obj.slug}"

    @admin.display(description=_("on the site"))
    def on_the_site(self, obj):
        return format_html('<a href="{}">{}</a>', self.view_on_site(obj), gettext("View on site"))
