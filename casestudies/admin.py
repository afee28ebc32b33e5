"""The editors' admin for case studies and themes.

Thin on purpose: the forms and their wording are in forms.py, the rules in rules.py and what
a save does (Markdown → HTML, tags, search, content version) in services.py. The languages
are tabs (modeltranslation), without any third-party script: jQuery is Django's own and the
tabs are a small local script (casestudies/static/). A draft is previewed on its public page,
which shows it to staff (views.detail).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from guidance.languages import LANGUAGE_CODES, TRANSLATION_CODES, language_name, localized

from . import review, services
from .forms import MARKDOWN_TIPS, CaseStudyForm, ReviewForm, ThemeForm, VerifiedImageField
from .models import CaseStudy, CaseStudyRevision, Theme, Visibility


class TabbedAdmin(TranslationAdmin):
    """modeltranslation's tabbed admin, with every script served by us (no CDN); deletes go
    through the app's service (search, content version), never a bare delete()."""

    delete_service = None

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

    def delete_model(self, request, obj):
        self.delete_service(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_service(obj)


class LanguageFilter(admin.SimpleListFilter):
    title = _("languages")
    parameter_name = "languages"

    def lookups(self, request, model_admin):
        choices = [("complete", _("In every language"))]
        for code in TRANSLATION_CODES:
            choices.append(
                (f"missing-{code}", _("Missing %(language)s") % {"language": language_name(code)})
            )
        return choices

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value == "complete":
            return queryset.in_every_language()
        if value.startswith("missing-") and value[8:] in TRANSLATION_CODES:
            return queryset.missing_language(value[8:])
        return queryset


class VisibilityFilter(admin.SimpleListFilter):
    title = _("visible to visitors")
    parameter_name = "visible"

    def lookups(self, request, model_admin):
        return Visibility.choices

    def queryset(self, request, queryset):
        if self.value() in Visibility.values:
            return queryset.with_visibility(self.value())
        return queryset


def _translated_search(*names):
    return tuple(localized(name, code) for name in names for code in LANGUAGE_CODES)


def public_url(case: CaseStudy, language: str) -> str:
    """The case study's page in `language`; staff see it there whatever its visibility."""
    with translation.override(language):
        return case.get_absolute_url()


class StageCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes without Django's aria-describedby="<id>_helptext": the admin gives a
    checkbox list's help text no id, so the reference named nothing (the help stays visible).
    """

    def get_context(self, name, value, attrs):
        attrs = {k: v for k, v in (attrs or {}).items() if k != "aria-describedby"}
        return super().get_context(name, value, attrs)


@admin.register(CaseStudy)
class CaseStudyAdmin(TabbedAdmin):
    form = CaseStudyForm
    delete_service = staticmethod(services.case_study_delete)
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
    filter_horizontal = ("topics", "themes", "notes")
    prepopulated_fields = {"slug": ("title_en",)}
    readonly_fields = ("visibility", "source", "updated_at")
    formfield_overrides = {models.ImageField: {"form_class": VerifiedImageField}}
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary")}),
        (_("Story"), {"fields": ("body",), "description": MARKDOWN_TIPS}),
        (
            _("Facts"),
            {"fields": ("country", "organisation", "year", "year_inferred", "quote", "quote_by")},
        ),
        (_("Tags"), {"fields": ("topics", "themes", "stages", "notes")}),
        (_("Image"), {"fields": ("image", "image_alt")}),
        (_("Publication"), {"fields": ("status", "published_on", "visibility")}),
        (
            _("Change note"),
            {
                "fields": (
                    *(localized("change_note", code) for code in LANGUAGE_CODES),
                    "minor_change",
                )
            },
        ),
        (_("Record"), {"fields": ("source", "updated_at")}),
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "stages":
            kwargs["widget"] = StageCheckboxes
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- list columns ---------------------------------------------------------------

    @admin.display(description=_("visibility"), ordering="status")
    def visibility(self, obj):
        visibility = obj.visibility()
        if visibility == Visibility.DRAFT:
            return gettext("Draft: not visible")
        if visibility == Visibility.SCHEDULED:
            return gettext("Scheduled: visible from %(date)s") % {"date": obj.published_on}
        return gettext("Live on the site")

    @admin.display(description=_("languages"))
    def language_list(self, obj):
        return ", ".join(obj.languages())

    @admin.display(description=_("on the site"))
    def on_the_site(self, obj):
        label = gettext("View on site") if obj.is_visible else gettext("Preview")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)

    def view_on_site(self, obj):
        # Only what visitors can see; drafts have a preview link per language instead.
        return obj.get_absolute_url() if obj.is_visible else None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["preview_languages"] = [
            (code, language_name(code), public_url(obj, code))
            for code in (LANGUAGE_CODES if obj else ())
        ]
        context["latest_revision"] = review.latest_revision(obj) if obj else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- saving: one service call does all of it ------------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        tags = {
            "topics": data["topics"],
            "themes": data["themes"],
            "stages": data.get("stages") or (),
            "notes": data.get("notes", ()),
        }
        if review.review_needed(case=obj, status=obj.status):
            # The live row stays as it is; the proposal waits for a reviewer.
            request.case_study_revision = review.revision_submit(
                case=obj,
                **tags,
                author=request.user,
                change_note=form.change_note(),
                minor=data.get("minor_change", False),
            )
            return
        services.case_study_mark_updated(obj, form.changed_data)
        services.case_study_save(obj, **tags, change_note=form.change_note() if change else None)

    def log_change(self, request, obj, message):
        if getattr(request, "case_study_revision", None):
            return None  # revision_submit wrote "Submitted a change for review."
        return super().log_change(request, obj, message)

    def _submitted(self, request, obj):
        self.message_user(
            request,
            gettext(
                "Submitted for review. Visitors keep seeing the published version (if any) "
                "until a reviewer approves the change."
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:casestudies_casestudy_change", args=[obj.pk]))

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "case_study_revision", None):
            return self._submitted(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "case_study_revision", None):
            return self._submitted(request, obj)
        return super().response_change(request, obj)

    def save_related(self, request, form, formsets, change):
        # The tags were saved with the case study (save_model); only inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def response_post_save_add(self, request, obj):
        return self._preview_redirect(request, obj) or super().response_post_save_add(request, obj)

    def response_post_save_change(self, request, obj):
        return self._preview_redirect(request, obj) or super().response_post_save_change(
            request, obj
        )

    @staticmethod
    def _preview_redirect(request, obj):
        """After "Save and preview": the public page, in the language the editor works in."""
        if "_preview" not in request.POST:
            return None
        language = (translation.get_language() or "en").split("-")[0]
        return HttpResponseRedirect(
            public_url(obj, language if language in LANGUAGE_CODES else "en")
        )


@admin.register(CaseStudyRevision)
class CaseStudyRevisionAdmin(admin.ModelAdmin):
    """Reviewers' list of changes; a change's page is the field-by-field difference with
    Approve and Send back (review.py decides, this only shows and asks)."""

    list_display = ("__str__", "author", "state", "submitted_at", "reviewer")

    class Media:
        css = {"all": ("casestudies/admin/admin.css",)}

    list_filter = ("state",)
    show_facets = admin.ShowFacets.NEVER  # its "Show counts" icon link fails contrast checks
    list_select_related = ("case_study", "author", "reviewer")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("casestudies.review_casestudyrevision")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.get_object(request, object_id)
        if revision is None:
            raise Http404
        if not self.has_view_or_change_permission(request, revision):
            raise PermissionDenied
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["decision"] == ReviewForm.APPROVE:
                    review.revision_approve(revision=revision, reviewer=request.user)
                    done = gettext("Approved: the change is on the site (or on its date).")
                else:
                    review.revision_send_back(
                        revision=revision,
                        reviewer=request.user,
                        comment=form.cleaned_data["comment"],
                    )
                    done = gettext("Sent back to its author with your comment.")
            except review.ReviewProblem as problem:
                form.add_error(None, str(problem))
            else:
                self.message_user(request, done, messages.SUCCESS)
                return redirect("admin:casestudies_casestudyrevision_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Review a change: %(title)s") % {"title": revision},
            "revision": revision,
            "diff": review.revision_diff(revision),
            "form": form,
            "can_review": self.has_change_permission(request, revision)
            and revision.state == CaseStudyRevision.PENDING,
            "preview_languages": [
                (code, language_name(code), public_url(revision.case_study, code))
                for code in LANGUAGE_CODES
            ],
        }
        return TemplateResponse(request, "admin/casestudies/casestudyrevision/review.html", context)


@admin.register(Theme)
class ThemeAdmin(TabbedAdmin):
    form = ThemeForm
    delete_service = staticmethod(services.theme_delete)
    list_display = ("name", "slug", "order", "case_study_count", "on_the_site")
    search_fields = ("slug", *_translated_search("name", "description"))
    prepopulated_fields = {"slug": ("name_en",)}
    fields = ("name", "slug", "description", "order")

    def save_model(self, request, obj, form, change):
        services.theme_save(obj)

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
