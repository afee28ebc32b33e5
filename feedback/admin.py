"""Editors read feedback here: a report per page and language, comments, CSV (thin admin)."""

import csv
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guidance.languages import LANGUAGE_CODES, language_name

from . import selectors, services
from .chart import weekly_chart
from .models import Vote
from .pages import page_url


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ("created_at", "page", "language", "useful", "comment")
    list_filter = ("language", "useful", "created_at")
    search_fields = ("page", "comment")
    date_hierarchy = "created_at"
    readonly_fields = (
        "page", "language", "content_version", "useful", "comment", "commented_at", "created_at"
    )  # fmt: skip
    actions = ["clear_comments"]

    def has_add_permission(self, request):
        return False  # answers come from readers only

    def has_delete_permission(self, request, obj=None):
        return False  # the counts are kept: clear comments instead

    @admin.action(description=_("Delete the comments of the selected answers (keep the counts)"),
                  permissions=["change"])  # fmt: skip
    def clear_comments(self, request, queryset):
        cleared = services.comments_clear(votes=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d comment deleted; the answers are still counted.",
                "%(count)d comments deleted; the answers are still counted.",
                cleared,
            )
            % {"count": cleared},
            messages.SUCCESS,
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("report/", wrap(self.report_view), name="feedback_vote_report"),
            path("report/page/", wrap(self.page_report_view), name="feedback_vote_page_report"),
            path("export.csv", wrap(self.csv_view), name="feedback_vote_csv"),
            *super().get_urls(),
        ]

    def _check_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def _language(self, request):
        language = request.GET.get("language", "")
        return language if language in LANGUAGE_CODES else ""

    def report_view(self, request):
        self._check_view(request)
        language = self._language(request)
        rows = selectors.feedback_summary(language=language or None)
        for row in rows:
            row["report_url"] = _page_report_url(row["page"], row["language"])
        return render(
            request,
            "admin/feedback/vote/report.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Page feedback: report"),
                "rows": rows,
                "periods": selectors.PERIODS,
                "languages": [(code, language_name(code)) for code in LANGUAGE_CODES],
                "language": language,
                "csv_url": reverse("admin:feedback_vote_csv"),
            },
        )

    def page_report_view(self, request):
        self._check_view(request)
        page, language = request.GET.get("page", ""), self._language(request)
        report = selectors.page_feedback(page=page, language=language or "en")
        return render(
            request,
            "admin/feedback/vote/page_report.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Page feedback: %(page)s (%(language)s)")
                % {"page": page, "language": language_name(language or "en")},
                "report": report,
                "chart": weekly_chart(report["weeks"]),
                "periods": selectors.PERIODS,
                "live_url": page_url(page, language or "en"),
                "csv_url": reverse("admin:feedback_vote_csv")
                + "?"
                + _query(page=page, language=language or "en"),
            },
        )

    def csv_view(self, request):
        self._check_view(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="page-feedback.csv"'
        writer = csv.writer(response)
        page, language = request.GET.get("page") or None, self._language(request) or None
        for row in selectors.feedback_csv_rows(page=page, language=language):
            writer.writerow(row)
        return response


def _query(**params) -> str:
    return urlencode(params)


def _page_report_url(page: str, language: str) -> str:
    return reverse("admin:feedback_vote_page_report") + "?" + _query(page=page, language=language)
